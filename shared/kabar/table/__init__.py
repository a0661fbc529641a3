"""The content table: key formats (:mod:`keys`), a codec, a base that sends requests, and
one store per aggregate. Workflows see stores only through narrow protocols of their own."""

from __future__ import annotations

from dataclasses import dataclass

from kabar.table.articles import ArticleStore
from kabar.table.base import Table
from kabar.table.comments import CommentStore
from kabar.table.links import LinkStore
from kabar.table.lists import ListStore
from kabar.table.related import RelatedListStore
from kabar.table.tags import TagStore
from kabar.table.uploads import UploadStore
from kabar.table.vocabulary import VocabularyStore


@dataclass(frozen=True)
class Stores:
    """Every store over one table (built once per execution environment by kabar.deps)."""

    uploads: UploadStore
    articles: ArticleStore
    tags: TagStore
    vocabulary: VocabularyStore
    related: RelatedListStore
    comments: CommentStore
    lists: ListStore
    links: LinkStore

    @classmethod
    def over(cls, table: Table) -> Stores:
        return cls(
            uploads=UploadStore(table), articles=ArticleStore(table), tags=TagStore(table),
            vocabulary=VocabularyStore(table), related=RelatedListStore(table), comments=CommentStore(table),
            lists=ListStore(table), links=LinkStore(table),
        )  # fmt: skip
