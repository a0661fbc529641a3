"""The content table: key formats (:mod:`keys`), a codec, a base that sends requests, and
one store per aggregate. Workflows see stores only through narrow protocols of their own.

Importing this package imports no store: :class:`Stores` builds each store (and imports its
module) the first time it is asked for, so a function's cold start pays only for the stores it
uses, and ``kabar.table.keys`` alone stays light.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kabar.table.aliases import AliasOfferStore
    from kabar.table.articles import ArticleStore
    from kabar.table.authors import AuthorStore
    from kabar.table.base import Table
    from kabar.table.comments import CommentStore
    from kabar.table.images import ImageStore
    from kabar.table.links import LinkStore
    from kabar.table.lists import ListStore
    from kabar.table.related import RelatedListStore
    from kabar.table.releases import ReleaseStore
    from kabar.table.spam_names import SpamNameStore
    from kabar.table.tags import TagStore
    from kabar.table.uploads import UploadStore
    from kabar.table.vocabulary import VocabularyStore
    from kabar.table.webhooks import WebhookStore


class Stores:
    """Every store over one table (built once per execution environment by kabar.deps), each on first use."""

    def __init__(self, table: Table) -> None:
        self.table = table

    @classmethod
    def over(cls, table: Table) -> Stores:
        return cls(table)

    @cached_property
    def uploads(self) -> UploadStore:
        from kabar.table.uploads import UploadStore

        return UploadStore(self.table)

    @cached_property
    def images(self) -> ImageStore:
        from kabar.table.images import ImageStore

        return ImageStore(self.table)

    @cached_property
    def articles(self) -> ArticleStore:
        from kabar.table.articles import ArticleStore

        return ArticleStore(self.table)

    @cached_property
    def releases(self) -> ReleaseStore:
        from kabar.table.releases import ReleaseStore

        return ReleaseStore(self.table)

    @cached_property
    def webhooks(self) -> WebhookStore:
        from kabar.table.webhooks import WebhookStore

        return WebhookStore(self.table)

    @cached_property
    def authors(self) -> AuthorStore:
        from kabar.table.authors import AuthorStore

        return AuthorStore(self.table)

    @cached_property
    def tags(self) -> TagStore:
        from kabar.table.tags import TagStore

        return TagStore(self.table)

    @cached_property
    def vocabulary(self) -> VocabularyStore:
        from kabar.table.vocabulary import VocabularyStore

        return VocabularyStore(self.table)

    @cached_property
    def aliases(self) -> AliasOfferStore:
        from kabar.table.aliases import AliasOfferStore

        return AliasOfferStore(self.table)

    @cached_property
    def related(self) -> RelatedListStore:
        from kabar.table.related import RelatedListStore

        return RelatedListStore(self.table)

    @cached_property
    def comments(self) -> CommentStore:
        from kabar.table.comments import CommentStore

        return CommentStore(self.table)

    @cached_property
    def spam_names(self) -> SpamNameStore:
        from kabar.table.spam_names import SpamNameStore

        return SpamNameStore(self.table)

    @cached_property
    def lists(self) -> ListStore:
        from kabar.table.lists import ListStore

        return ListStore(self.table)

    @cached_property
    def links(self) -> LinkStore:
        from kabar.table.links import LinkStore

        return LinkStore(self.table)
