"""Alias offers: the other forms of a tag's name that articles gave, which editors accept (the
vocabulary learns the alias) or reject (it is never offered again). Nothing applies on its own:
an offer changes no article until an editor accepts it, and then only from each article's next
tagging (or at once for every article, through a merge)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kabar.errors import Conflict, NotFound
from kabar.models import AliasOffer, VocabularyEntry
from kabar.text.tag_suggestion import match_key
from kabar.workflows.vocabulary import Vocabulary, store_entry

if TYPE_CHECKING:
    from kabar.workflows.vocabulary_forms import AliasDecision


class AliasOffers(Protocol):
    def get(self, tag: str, key: str) -> AliasOffer | None: ...
    def waiting(self) -> list[AliasOffer]: ...
    def settle(self, offer: AliasOffer, status: str) -> AliasOffer: ...


def alias_decision(body: object) -> AliasDecision:
    """The ``POST /tags/{slug}/aliases`` body, validated."""
    from kabar.workflows.vocabulary_forms import AliasDecision  # pydantic: only when a body is read

    return AliasDecision.model_validate(body)


def waiting_offers(*, aliases: AliasOffers) -> list[AliasOffer]:
    return aliases.waiting()


def decide(slug: str, request: AliasDecision, *, aliases: AliasOffers, vocabulary: Vocabulary) -> AliasOffer:
    """Accept or reject the offer of ``request.alias`` for tag ``slug``.

    Accepting adds the alias to the tag's vocabulary entry (creating the entry, named as the
    tagger named the tag, when the vocabulary has none); Conflict when the alias belongs to another
    tag, or the tag is merged (accept it for the tag it was merged into). NotFound when no such
    offer waits.
    """
    offer = aliases.get(slug, match_key(request.alias))
    if offer is None or offer.status != "waiting":
        raise NotFound(f"no alias {request.alias!r} is offered for tag {slug!r}")
    if request.decision == "reject":
        return aliases.settle(offer, "rejected")
    entry = vocabulary.get(slug) or VocabularyEntry(slug=slug, name=offer.name)
    if entry.status == "merged":
        raise Conflict(f"tag {slug!r} is merged into {entry.merged_into!r}: its aliases lead there already")
    if offer.key not in {match_key(name) for name in (entry.name, *entry.aliases)}:
        store_entry(entry._replace(aliases=(*entry.aliases, offer.alias)), vocabulary=vocabulary)
    return aliases.settle(offer, "accepted")
