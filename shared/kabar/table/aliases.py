"""Alias offers: forms of a tag's name that articles gave ("KPK" for "Komisi Pemberantasan
Korupsi"), waiting for an editor to accept (the vocabulary learns the alias) or reject them.

One item per tag and form (keys: :func:`kabar.table.keys.alias_offer`), listed in gsi1 while it
waits. Offering again is idempotent: the articles that gave the form are a string set (at most
:data:`MAX_ARTICLES` kept), and a rejected offer is never offered again.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kabar.models import AliasOffer
from kabar.table import keys
from kabar.table.base import ConditionFailed, Table

TYPE_ALIAS_OFFER = "alias_offer"
MAX_ARTICLES = 20
WAITING_LISTED = 100  # GET /tags/aliases: the first offers, by tag; deciding them brings the next
_OFFER = (
    "SET #type = :type, tag = :tag, #name = :name, alias = if_not_exists(alias, :alias), #key = :key, "
    "#status = :waiting, gsi1pk = :list, gsi1sk = :position ADD articles :article"
)
# Still waiting (never decided), and room for one more article unless it is listed already.
_OPEN = (
    "(attribute_not_exists(#status) OR #status = :waiting) AND "
    "(attribute_not_exists(articles) OR contains(articles, :slug) OR size(articles) < :most)"
)
_NAMES = {"#type": "type", "#name": "name", "#key": "key", "#status": "status"}


def _offer(item: dict[str, Any]) -> AliasOffer:
    return AliasOffer(tag=str(item["tag"]), name=str(item["name"]), alias=str(item["alias"]),
                      key=str(item["key"]), articles=sorted(item.get("articles", ())),
                      status=item.get("status", "waiting"))  # fmt: skip


class AliasOfferStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def offer(self, tag: str, name: str, alias: str, key: str, article: str) -> bool:
        """Offer ``alias`` (match key ``key``) for ``tag``, seen in ``article``; False when an editor
        decided on it already (or it lists :data:`MAX_ARTICLES` articles)."""
        try:
            self.table.update(keys.alias_offer(tag, key), UpdateExpression=_OFFER, ConditionExpression=_OPEN,
                              ExpressionAttributeNames=_NAMES, ExpressionAttributeValues={
                ":type": {"S": TYPE_ALIAS_OFFER}, ":tag": {"S": tag}, ":name": {"S": name},
                ":alias": {"S": alias}, ":key": {"S": key}, ":list": {"S": keys.ALIAS_OFFERS},
                ":position": {"S": f"{tag}#{key}"},
                ":article": {"SS": [article]}, ":slug": {"S": article}, ":waiting": {"S": "waiting"},
                ":most": {"N": str(MAX_ARTICLES)},
            })  # fmt: skip
        except ConditionFailed:
            return False
        return True

    def get(self, tag: str, key: str) -> AliasOffer | None:
        item = self.table.get(keys.alias_offer(tag, key))
        return _offer(item) if item else None

    def waiting(self, limit: int = WAITING_LISTED) -> list[AliasOffer]:
        """The first ``limit`` offers waiting for an editor, by tag and key: one query of the list
        (which projects only the keys of these items) and one read of the items."""
        listed = self.table.query_page(
            IndexName=keys.GSI1, KeyConditionExpression="gsi1pk = :pk", Limit=limit,
            ExpressionAttributeValues={":pk": {"S": keys.ALIAS_OFFERS}},
        )[0]  # fmt: skip
        found = [
            _offer(item) for item in self.table.batch_get({"pk": i["pk"], "sk": i["sk"]} for i in listed)
        ]
        return sorted((offer for offer in found if offer.status == "waiting"), key=lambda o: (o.tag, o.key))

    def settle(self, offer: AliasOffer, status: str) -> AliasOffer:
        """Mark an offer accepted or rejected: it leaves the waiting list (a rejected one is kept, so
        that it is not offered again; an accepted one is now the vocabulary's)."""
        self.table.update(
            keys.alias_offer(offer.tag, offer.key),
            UpdateExpression="SET #status = :status REMOVE gsi1pk, gsi1sk",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": {"S": status}},
        )
        return replace(offer, status=status)  # type: ignore[arg-type]
