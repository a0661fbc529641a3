"""A list's pages: the newest (the list's own document) and older ones, each at most PageSize.

A page is a range of positions (kabar.models.PageBound). A render touches only the pages that
hold the positions an article was and is at, and the newest page: a new article usually
lands on the newest page and rewrites that document alone. A page that grows past PageSize
splits: its oldest articles, half a page at a time, become new older pages (numbered as they
are made, so no other page's document changes). A page left empty merges into its newer
neighbour (the newest page, when empty, takes in the next older one). Every page's
document links to the next older page ("Show More"), so following the links from the
newest page reaches every article exactly once, newest first.

Concurrency: pages change only through ``Lists.commit``, conditioned on the versions read, so
of two renders of one page only one wins and the other starts again from what is stored. A
document is written after its commit and checked after the write: when the page's version
moved meanwhile, another render committed later, and this one renders the page again, so
the last document written is always the one computed from the last commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from kabar.documents import CACHE_LIST, ArticleSummary, AuthorLink, CategoryLink, PageDocument, TagLink
from kabar.errors import Conflict
from kabar.paging import PageBound
from kabar.workflows.render.sources import Lists, Output

ATTEMPTS = 6  # renders of one page that may lose to another before the record fails (and is retried)

Entry = tuple[str, ArticleSummary]  # an article's position in the list, and what the list shows


@dataclass(frozen=True)
class ListDocuments:
    """How the pages of one list (``name``: kabar.listnames.list_kind) become documents:
    ``write_newest(articles, more)`` writes the list's own document (it may delete it, or write
    a pointer, when there are no articles), ``write_older(page, articles, older)`` an older page
    (at ``page_path(page)``; by default a PageDocument naming ``tag``, ``category`` or ``author``); ``link``
    makes a stored summary what the list shows (its canonical URL added); ``reshaped(made, gone)``
    is told when a render made pages or merged one away (the set of pages changed), with the
    pages made and those deleted."""

    name: str | None
    write_newest: Callable[[list[ArticleSummary], str | None], None]
    page_path: Callable[[int], str]
    tag: TagLink | None = None
    category: CategoryLink | None = None
    author: AuthorLink | None = None
    link: Callable[[ArticleSummary], ArticleSummary] = lambda summary: summary  # its canonical URL added
    write_older: Callable[[int, list[ArticleSummary], str | None], None] | None = None
    reshaped: Callable[[list[PageBound], list[PageBound]], None] | None = None  # pages made, gone


@dataclass
class Change:
    """What one render of a page commits, and the documents that follow from it."""

    put: list[PageBound] = field(default_factory=list)
    delete: list[PageBound] = field(default_factory=list)
    seq: tuple[int, int] | None = None
    documents: list[tuple[PageBound, list[Entry]]] = field(default_factory=list)


@dataclass(frozen=True)
class Written:
    """Pages a render wrote without checking yet that no other render committed them since:
    the versions it committed (``put``), and the pages it deleted."""

    name: str | None
    put: tuple[PageBound, ...]
    deleted: tuple[str, ...]


def refresh(
    docs: ListDocuments, positions: Iterable[str], lists: Lists, out: Output, size: int, *,
    unchecked: list[Written] | None = None,
) -> bool:  # fmt: skip
    """Render the pages holding ``positions``, then the newest page; whether the list's
    newest page was stored for the first time (its first article). With ``unchecked``, the
    check after each write is left to the caller (:func:`moved`, one request for many lists):
    the pages written are added to it."""
    rendered: set[str] = set()
    newest: PageBound | None = None  # found on the way: the newest page holds a position
    for position in sorted(set(positions), reverse=True):
        bound = lists.page_of(docs.name, position)
        if bound is not None and bound.newest:
            newest = newest or bound
        elif bound is not None and bound.upper not in rendered:
            rendered |= _render(docs, position, lists, out, size, found=bound, unchecked=unchecked)[0]
            newest = None  # rendering an older page may have changed the newest (a merge)
    return _render(docs, None, lists, out, size, found=newest, unchecked=unchecked)[1]


def moved(unchecked: list[Written], lists: Lists) -> set[str | None]:
    """The lists among ``unchecked`` whose pages another render committed after these were
    written (their documents may be the older render's): to render again, with checks."""
    stored = lists.versions_of({w.name: [b.upper for b in w.put] + list(w.deleted) for w in unchecked})
    return {w.name for w in unchecked
            if any(stored.get((w.name, b.upper)) != b.version for b in w.put)
            or any((w.name, upper) in stored for upper in w.deleted)}  # fmt: skip


def _render(
    docs: ListDocuments, position: str | None, lists: Lists, out: Output, size: int, *,
    found: PageBound | None = None, unchecked: list[Written] | None = None,
) -> tuple[set[str], bool]:  # fmt: skip
    """Render the page holding ``position`` (None: the newest page) until no other render
    committed it meanwhile; the pages written, and whether the newest page was created.
    ``found``: the page already looked up for ``position`` (the first attempt's)."""
    for _ in range(ATTEMPTS):
        bound = found or (lists.page_of(docs.name, position) if position is not None else None)
        bound, found = bound or lists.newest_page(docs.name), None
        change = _reshape(docs.name, bound, lists.entries(docs.name, bound), lists, size)
        if change.put or change.delete:
            try:
                lists.commit(docs.name, put=change.put, delete=change.delete, seq=change.seq)
            except Conflict:
                continue
        _write(docs, change, out)
        made = [b for b in change.put if b.version == 1]
        if docs.reshaped is not None and (change.delete or made):
            docs.reshaped(made, change.delete)
        if unchecked is not None:
            unchecked.append(Written(docs.name, tuple(change.put), tuple(b.upper for b in change.delete)))
            return {b.upper for b in change.put}, any(b.newest and b.version == 1 for b in change.put)
        stored = lists.versions(docs.name, [b.upper for b in change.put + change.delete])
        if all(stored.get(b.upper) == b.version for b in change.put) and not any(
            b.upper in stored for b in change.delete
        ):
            created = any(b.newest and b.version == 1 for b in change.put)
            return {b.upper for b in change.put}, created
    raise Conflict(f"pages of list {docs.name or 'latest'} kept changing: {ATTEMPTS} renders lost")


def _reshape(name: str | None, bound: PageBound, entries: list[Entry], lists: Lists, size: int) -> Change:
    """The page as it should be stored now: kept, split, or merged into its neighbour."""
    if len(entries) > size:
        return _split(name, bound, entries, lists, size)
    if entries:
        kept = replace(bound, version=bound.version + 1)
        return Change(put=[kept], documents=[(kept, entries)])
    if not bound.newest:
        # Empty: the newer neighbour takes over its range (and its link to the older page).
        newer = lists.page_of(name, bound.upper)
        if newer is None:
            raise Conflict(f"no page above {bound.upper}")
        return _merge(name, newer, bound, lists)
    if bound.older:
        # The newest page is empty: it takes in the next older page.
        older = lists.page(name, bound.lower)
        if older is None:
            raise Conflict(f"no page below the newest at {bound.lower}")
        return _merge(name, bound, older, lists)
    if bound.version == 0:
        return Change(documents=[(bound, [])])  # a list that never had an article: nothing to store
    kept = replace(bound, version=bound.version + 1)
    return Change(put=[kept], documents=[(kept, [])])


def _merge(name: str | None, kept: PageBound, gone: PageBound, lists: Lists) -> Change:
    """``gone``'s range (and its link to the page older than it) joins the next newer page ``kept``."""
    grown = replace(kept, lower=gone.lower, older=gone.older, version=kept.version + 1)
    return Change(put=[grown], delete=[gone], documents=[(grown, lists.entries(name, grown)), (gone, [])])


def _split(name: str | None, bound: PageBound, entries: list[Entry], lists: Lists, size: int) -> Change:
    """The oldest articles, half a page at a time, become new older pages until the rest fits."""
    oldest_first, half = entries[::-1], (size + 1) // 2
    pieces: list[list[Entry]] = []
    while len(oldest_first) > size:
        pieces.append(oldest_first[:half])
        oldest_first = oldest_first[half:]
    seq = bound.seq if bound.newest else lists.newest_page(name).seq
    made: list[PageBound] = []
    for index in range(len(pieces)):
        upper = pieces[index + 1][0][0] if index + 1 < len(pieces) else oldest_first[0][0]
        made.append(PageBound(upper=upper, lower=made[-1].upper if made else bound.lower,
                              number=seq + index + 1, older=made[-1].number if made else bound.older,
                              version=1))  # fmt: skip
    last = seq + len(pieces)
    kept = replace(bound, lower=oldest_first[0][0], older=made[-1].number, version=bound.version + 1,
                   seq=last if bound.newest else bound.seq)  # fmt: skip
    documents = [(page, piece[::-1]) for page, piece in zip(made, pieces, strict=True)]
    return Change(put=[*made, kept], seq=None if bound.newest else (seq, last),
                  documents=[*documents, (kept, oldest_first[::-1])])  # fmt: skip


def _write(docs: ListDocuments, change: Change, out: Output) -> None:
    deleted = {b.upper for b in change.delete}
    for page, entries in change.documents:
        summaries = [docs.link(summary) for _, summary in entries]
        more = docs.page_path(page.older) if page.older else None
        if page.upper in deleted:
            out.delete(docs.page_path(page.number))
        elif page.newest:
            docs.write_newest(summaries, more)
        elif docs.write_older is not None:
            docs.write_older(page.number, summaries, more)
        else:
            document = PageDocument(number=page.number, tag=docs.tag, category=docs.category,
                                    author=docs.author, articles=summaries, older=more)  # fmt: skip
            out.put(docs.page_path(page.number), document, CACHE_LIST)


def paged(positions: Iterable[str], size: int, newest: PageBound) -> list[PageBound]:
    """The pages of a list built in one go (a rebuild, an import, a benchmark's seed), as
    publishing the articles one by one would leave them: from the oldest, older pages of half a
    page each, then ``newest`` (the list's newest page, not yet stored) with the rest, at most
    ``size``. Every bound is new (version 1)."""
    oldest_first, half = sorted(set(positions)), (size + 1) // 2
    made: list[PageBound] = []
    while len(oldest_first) > size:
        oldest_first = oldest_first[half:]
        below = made[-1] if made else PageBound(upper="")
        made.append(PageBound(upper=oldest_first[0], lower=below.upper, number=len(made) + 1,
                              older=below.number, version=1))  # fmt: skip
    last = made[-1] if made else None
    return [*made, replace(newest, lower=last.upper if last else "", older=last.number if last else 0,
                           version=1, seq=len(made))]  # fmt: skip
