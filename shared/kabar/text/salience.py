"""Which entities an article is about: its mentions grouped into names, and ranked.

Pure logic. One entity, however it is written, is one name:

- an acronym an article defines is its long form: "Komisi Pemberantasan Korupsi (KPK)" and
  "BPS (Badan Pusat Statistik)" (the acronym's letters appear in order in the long form, from its
  first letter, reaching its last word);
- a title before a name is not the name ("Presiden Joko Widodo" is "Joko Widodo");
- a person named in part ("Sapardi", "Williams") is the one person the article names in full
  whose name holds those words ("Sapardi Djoko Damono"). Places and organisations are never
  joined this way: "Jakarta" is not "Jakarta Selatan", "Samsung" not "Samsung Mobile Indonesia".

Salience: each mention counts by where it is (:data:`WEIGHTS`: the lead, the first sentences of
the body, the rest), a credit counts nothing, and a name the headline repeats gains
:data:`HEADLINE`. Names keep their most used form, except that a defined acronym used at least as
often as its long form is the name (newsrooms tag "KPK"). The other forms are the name's
variants: what the vocabulary may learn as aliases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from kabar.slugs import slugify
from kabar.text.entities import CasingLookup
from kabar.text.mentions import Mention

WEIGHTS = {"lead": 2.0, "opening": 1.5, "body": 1.0}
OPENING_SENTENCES = 3  # the body's first sentences weigh as "opening"
HEADLINE = 3.0
SURE = 20.0  # the confidence given to a name the article defines (a recogniser's margin well past doubt)

# Words that stand before a name and are not part of it (written for this project).
TITLES = frozenset(
    """
    presiden wakil menteri menko gubernur bupati wali walikota camat lurah kepala ketua sekjen direktur dirut
    kapolri kapolda kapolres kapolsek panglima jenderal jendral letjen mayjen brigjen kolonel letkol kombes
    akbp kompol ipda aiptu bripka aipda komjen irjen laksamana marsekal kasad kasal kasau pangdam dandim
    raja ratu pangeran sultan paus perdana pm syekh kiai kh habib ustaz ustad haji hajjah h hj pak bu bapak
    ibu mbak mas bang kak tuan nyonya nona dr drs ir prof profesor sang si pelatih kapten striker bek kiper
    chef gelandang penyerang aktor aktris penyanyi pebalap petenis pebulutangkis pegolf presenter politikus
    politisi juru bicara jubir mantan calon capres cawapres cagub anggota
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
_ACRONYM_DEFINED = re.compile(
    r"(?P<long>[A-Z][\w.'&-]*(?:\s+(?:[A-Z][\w.'&-]*|dan|dari|untuk|pada|di|ke|of|for|the|and|&|de|la|del)){1,9})"
    r"\s*\(\s*(?P<short>[A-Z][A-Za-z0-9&.-]{1,11})\s*\)"
    r"|(?P<short2>[A-Z][A-Z0-9&.-]{1,11})\s*\(\s*(?P<long2>[A-Z][^()\n]{4,80}?)\s*\)"
)


@dataclass
class Name:
    """One entity of an article: its name, kind, salience and the forms it was written in."""

    name: str
    kind: str
    score: float = 0.0
    forms: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    first: int = 10**9
    confidence: float = 0.0  # the recogniser's surest mention
    unrecognised: int = 0  # mentions outside the recogniser (capitalised words it left out)
    in_headline: bool = False
    aliases: list[str] = field(default_factory=list)  # the defined acronym or long form that is not the name

    @property
    def variants(self) -> list[str]:
        """The other forms, most used first (the name's own slug left out)."""
        own = slugify(self.name)
        seen, out = {own}, []
        for form, _ in self.forms.most_common():
            if slugify(form) not in seen:
                seen.add(slugify(form))
                out.append(form)
        return out


def without_title(text: str) -> str:
    """A name without the titles before it ("Menko Perekonomian Darmin Nasution" stays whole:
    only title words are dropped, and never the last word)."""
    words = text.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words.pop(0)
    return " ".join(words)


def acronym_fits(short: str, long: str) -> bool:
    """Whether ``short`` can be an acronym of ``long``: its letters in order, from the first
    letter of the long form, reaching its last word."""
    letters = [c for c in short.lower() if c.isalnum()]
    words = [w.lower() for w in long.split()]
    if len(letters) < 2 or len(words) < 2 or not words[0].startswith(letters[0]):
        return False
    text = " ".join(words)
    last = text.rfind(letters[-1], len(text) - len(words[-1]))  # the last letter from the last word
    if last <= 0:
        return False
    position = 1
    for letter in letters[1:-1]:  # the others in order between the first letter and that one
        position = text.find(letter, position, last)
        if position < 0:
            return False
        position += 1
    return True


_ALSO_KNOWN = re.compile(
    r"(?P<long>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4})\s*,?\s+"
    r"(?:alias|atau akrab disapa|yang akrab disapa)\s+"
    r"(?P<short>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})"
)


def definitions(texts: Iterable[str]) -> dict[str, str]:
    """Acronyms the texts define, to their long forms (the longest run of the words before the
    bracket that fits: "Ketua Federasi Olahraga Rekreasi Masyarakat Indonesia (FORMI)" defines
    FORMI as "Federasi Olahraga Rekreasi Masyarakat Indonesia")."""
    found: dict[str, str] = {}
    texts = list(texts)
    for text in texts:
        for match in _ALSO_KNOWN.finditer(text):  # "Iwa Kusuma alias Iwa K"
            short, long = (without_title(match.group(g).rstrip(".")) for g in ("short", "long"))
            found.setdefault(short, long)
        for match in _ACRONYM_DEFINED.finditer(text):
            short = match.group("short") or match.group("short2")
            long = match.group("long") or match.group("long2")
            words = long.split()
            for start in range(len(words) - 1):
                tail = " ".join(words[start:])
                if words[start][0].isupper() and acronym_fits(short, tail):
                    found.setdefault(short, tail)
                    break
    return found


def _acronyms_as_names(mentions: list[Mention], defined: dict[str, str]) -> list[Mention]:
    """Capitalised words the recogniser left out are names when the article defines them (either
    side of "Komisi Pemberantasan Korupsi (KPK)") or when they are an acronym it repeats."""
    known = {_key(form) for pair in defined.items() for form in pair}
    repeated = Counter(_key(m.text) for m in mentions if not m.kind and _is_acronym(m.text))
    return [
        replace(m, kind="ORG", confidence=SURE)
        if not m.kind and (_key(m.text) in known or repeated[_key(m.text)] > 1) else m
        for m in mentions
    ]  # fmt: skip


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and " " not in text


def _weight(mention: Mention, opening_from: int) -> float:
    if mention.credit or not mention.kind:
        return 0.0  # a credit, or a word the recogniser did not take for a name: no weight of its own
    if mention.field == "lead":
        return WEIGHTS["lead"]
    return WEIGHTS["opening"] if mention.sentence < opening_from + OPENING_SENTENCES else WEIGHTS["body"]


def split_joined(mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions the recogniser ran together, apart: at a title inside ("New York Chef Dominique
    Ansel"), or where a name the article also writes alone ends ("Jawa Tengah Ganjar Pranowo",
    when "Jawa Tengah" stands alone elsewhere)."""
    alone = {_key(m.text): m.kind for m in mentions}
    out: list[Mention] = []
    for mention in mentions:
        out += _apart(mention, alone)
    return out


def _apart(mention: Mention, alone: dict[str, str]) -> list[Mention]:
    words = mention.text.split()
    for cut in range(1, len(words) - 1):
        if (
            words[cut].lower().rstrip(".") in TITLES
            and words[cut][0].isupper()
            and words[cut + 1][0].isupper()
        ):
            left, right = " ".join(words[:cut]), " ".join(words[cut + 1 :])
            return [replace(mention, text=left), *_apart(replace(mention, text=right, initial=False), alone)]
    for cut in range(len(words) - 1, 0, -1):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        if (
            alone.get(_key(left), "PER") != "PER"
            and words[cut][0].isupper()
            and (_key(right) in alone or len(words) - cut >= 2)
        ):  # a place or organisation, then more: not a person's own longer name ("Sapardi Djoko Damono")
            return [replace(mention, text=left), replace(mention, text=right, initial=False)]
    return [mention]


def names(
    mentions: Sequence[Mention],
    *,
    title: str = "",
    texts: Iterable[str] = (),
    casing: CasingLookup | None = None,
) -> list[Name]:
    """The article's entities, most salient first. ``texts``: the lead and body, for acronyms;
    ``casing``: the recogniser's casing lexicon (a part of a longer name that cased news does not
    always capitalise is that name's fragment: "Bridge" of "Golden Gate Bridge")."""
    defined = definitions(texts)
    mentions = _acronyms_as_names(split_joined(mentions), defined)
    to_long = {_key(short): _key(long) for short, long in defined.items()}
    opening_from = min((m.sentence for m in mentions if m.field == "body"), default=0)
    groups: dict[str, Name] = {}
    for mention in mentions:
        form = without_title(mention.text)
        if all(word.lower().rstrip(".") in TITLES for word in form.split()):
            continue  # a title alone ("Presiden") names no one in particular
        key = to_long.get(_key(form), _key(form))
        if not key:
            continue
        group = groups.setdefault(key, Name(name=form, kind=mention.kind))
        group.forms[form] += 1
        group.kinds[mention.kind] += 1
        group.score += _weight(mention, opening_from)
        group.mentions += 0 if mention.credit or not mention.kind else 1
        group.unrecognised += 0 if mention.credit or mention.kind else 1
        group.first = min(group.first, mention.sentence)
        group.confidence = max(group.confidence, mention.confidence)
    for short, long in defined.items():
        defining = groups.get(_key(long))
        if defining is not None and _key(short) != _key(long):
            defining.forms.setdefault(long, 0)
    _join_partial_people(groups)
    _join_fragments(groups, casing or {})
    headline = f" {_key(title).replace('-', ' ')} "
    for group in groups.values():
        if not group.mentions:
            group.score = WEIGHTS["body"] * group.unrecognised / 2  # only outside the recogniser: half weight
        kinds = Counter({kind: n for kind, n in group.kinds.items() if kind})
        group.kind = kinds.most_common(1)[0][0] if kinds else ""  # "": only ever outside the recogniser
        group.name = _display(group, defined)
        group.aliases = _aliases(group, defined)
        if any(f" {_key(form).replace('-', ' ')} " in headline for form in group.forms):
            group.score += HEADLINE
            group.in_headline = True
    ranked = [g for g in groups.values() if g.mentions or g.unrecognised]
    ranked.sort(key=lambda g: (-g.score, g.first, g.name))
    return ranked


def _key(text: str) -> str:
    return slugify(text)


def _join_partial_people(groups: dict[str, Name]) -> None:
    people = [k for k, g in groups.items() if g.kinds.get("PER")]
    for short in sorted(people, key=len):
        if short not in groups:
            continue
        words = f"-{short}-"
        holders = [k for k in people if k != short and k in groups and words in f"-{k}-"]
        if len(holders) != 1:
            continue  # unknown, or two people share the word ("Williams": Venus or Serena)
        _absorb(groups[holders[0]], groups.pop(short))


def _join_fragments(groups: dict[str, Name], casing: CasingLookup) -> None:
    for short in sorted(groups, key=len):
        group = groups.get(short)
        if group is None or group.kinds.get("PER"):
            continue
        if all(casing.get(word) == "always" for word in short.split("-")):
            continue  # an established name on its own: "Jakarta" is not a part of "Jakarta Selatan"
        holders = [k for k in groups if k != short and f"-{short}-" in f"-{k}-"]
        if len(holders) == 1:
            _absorb(groups[holders[0]], groups.pop(short))


def _absorb(target: Name, source: Name) -> None:
    target.forms.update(source.forms)
    target.kinds.update(source.kinds)
    target.score += source.score
    target.mentions += source.mentions
    target.unrecognised += source.unrecognised
    target.first = min(target.first, source.first)
    target.confidence = max(target.confidence, source.confidence)


def _aliases(group: Name, defined: dict[str, str]) -> list[str]:
    pairs = [(short, long) for short, long in defined.items() if short in group.forms]
    out = [form for short, long in pairs for form in (short, long) if _key(form) != _key(group.name)]
    return list(dict.fromkeys(out))


def _display(group: Name, defined: dict[str, str]) -> str:
    forms = group.forms
    acronyms = [f for f in forms if f in defined]
    if acronyms:
        short = max(acronyms, key=forms.__getitem__)
        long = defined[short]
        return short if forms[short] >= forms.get(long, 0) else long
    if group.kinds.get("PER"):
        return max(forms, key=lambda f: (len(f.split()), forms[f], f))
    return max(forms, key=lambda f: (forms[f], len(f), f))
