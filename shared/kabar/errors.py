"""Domain exceptions. Data access turns AWS error codes into these."""

from __future__ import annotations


class KabarError(Exception):
    """Base of every domain error."""


class NotFound(KabarError):
    """The item asked for does not exist."""


class Conflict(KabarError):
    """A conditional write lost a race; the caller may retry."""


class TagMergedMeanwhile(Conflict):
    """Tags were computed before one of them was merged into another: compute them again."""


class Forbidden(KabarError):
    """The caller is authenticated but may not do this."""


class TooManyRequests(KabarError):
    """The caller must wait ``retry_after`` seconds before trying again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PayloadTooLarge(KabarError):
    """A field (or the whole body) is larger than allowed; ``field`` says which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnsupportedMediaType(KabarError):
    """The request's body is not in the one media type the API reads (JSON)."""


class InvalidRequest(KabarError):
    """The request is malformed; ``errors`` names every bad field."""

    def __init__(self, message: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class AlreadyProcessed(KabarError):
    """The upload was already published or rejected (a replayed event)."""


class Stale(KabarError):
    """Work computed from an older version than the one stored: dropped."""


class BadCursor(KabarError):
    """A paging cursor that is not one the list gave."""


class CommentRefused(KabarError):
    """A comment the table refused: ``duplicate``, or ``flood`` (too soon after the last)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
