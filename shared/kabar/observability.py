"""Logs and metrics: the structured logger every handler uses, the correlation id, and
Powertools Metrics (CloudWatch embedded metric format), created on first use.

The correlation id follows an article from the editor's upload to its documents: it is the
upload id in PublishFunction, every item a function writes carries the id of the work that
wrote it (``correlation_id``, see :mod:`kabar.correlation`), and each stream consumer takes it
from the record's image. API functions use API Gateway's request id (a comment's intake and
each moderation change). docs/architecture.md, "Operations", has the whole design.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from kabar import correlation

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics

# A batch's records by their id in it (sequence number, SQS message id): each one's correlation id
# and what names it in logs.
RecordFacts = dict[str, tuple[str | None, dict[str, Any]]]

# Service name and level come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_LOG_LEVEL,
# which the template sets per function.
logger = Logger()


def correlate(correlation_id: str | None) -> None:
    """Logs from now on carry this correlation id, and so do the items written."""
    logger.set_correlation_id(correlation_id)
    correlation.set_current(correlation_id)


def request_id(event: dict[str, Any]) -> str | None:
    """API Gateway's id of a request (its access log's ``requestId``)."""
    return (event.get("requestContext") or {}).get("requestId")


@contextmanager
def handling(what: str, correlation_id: str | None, **about: Any) -> Iterator[None]:
    """While one record is handled, logs carry its correlation id and ``about`` (what it
    concerns); a crash logs at ERROR with them, with its traceback, and propagates."""
    previous = correlation.current()
    correlate(correlation_id)
    logger.append_keys(**about)
    try:
        yield
    except Exception:
        logger.exception(f"{what} failed")
        raise
    finally:
        logger.remove_keys(list(about))
        correlate(previous)


def stream_record(record: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """A table stream record's correlation id (from its new image, else its old one) and what
    identifies it in logs: sequence number, event name, keys. Reads the raw record only, so
    that a record too broken to parse is still named."""
    stream = record.get("dynamodb") or {}
    keys = stream.get("Keys") or {}
    about = {
        "sequence_number": stream.get("SequenceNumber"),
        "event_name": record.get("eventName"),
        "pk": (keys.get("pk") or {}).get("S"),
        "sk": (keys.get("sk") or {}).get("S"),
    }
    for image in (stream.get("NewImage"), stream.get("OldImage")):
        value = ((image or {}).get(correlation.ATTRIBUTE) or {}).get("S")
        if value:
            return str(value), about
    return None, about


def stream_facts(records: list[dict[str, Any]]) -> RecordFacts:
    """Table stream records' correlation ids and facts by sequence number (:func:`stream_record`)."""
    return {str(about["sequence_number"]): (found, about) for found, about in map(stream_record, records)}


@contextmanager
def handling_batch(facts: RecordFacts) -> Iterator[RecordFacts]:
    """While a batch is handled as one (DispatchFunction, RenderFunction): logs carry the records'
    correlation ids (``correlation_id`` when they share one, ``correlation_ids`` always).
    ``facts``: each record's correlation id and what names it, by its id in the batch."""
    ids = sorted({found for found, _ in facts.values() if found})
    previous = correlation.current()
    correlate(ids[0] if len(ids) == 1 else None)
    logger.append_keys(correlation_ids=ids)
    try:
        yield facts
    finally:
        logger.remove_keys(["correlation_ids"])
        correlate(previous)


def log_failed_records(what: str, failed: set[str], facts: RecordFacts) -> None:
    """One ERROR line per failed record of a batch, with the record's own correlation id and keys
    (what an operator looks up once the stream has dropped the record)."""
    previous = correlation.current()
    for identifier in sorted(failed):
        found, about = facts.get(identifier, (None, {"id": identifier}))
        correlate(found)
        logger.error(f"{what} failed for a record", extra=about)
    correlate(previous)


# metrics ------------------------------------------------------------------------------


def _metrics() -> Metrics:
    """The invocation's metrics (namespace POWERTOOLS_METRICS_NAMESPACE from the template's
    Globals, dimension ``service``). Powertools imports Metrics only when a metric is counted,
    and every instance shares one metric set, so this reads the environment each time."""
    from aws_lambda_powertools import Metrics

    return Metrics()


def metric(name: str, value: float = 1, unit: str = "Count", **dimensions: str) -> None:
    """Record a metric. Without dimensions it joins the invocation's EMF document (written by
    :func:`flush_metrics`); with dimensions (a rejection's reason) it is written at once.
    Nothing without a namespace (workflows run outside a function too: tests, the CLI)."""
    import os

    if not os.environ.get("POWERTOOLS_METRICS_NAMESPACE"):
        return
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    if not dimensions:
        _metrics().add_metric(name=name, unit=MetricUnit(unit), value=value)
        return
    service = _metrics().service
    with single_metric(name=name, unit=MetricUnit(unit), value=value,
                       default_dimensions={"service": service} if service else None) as one:  # fmt: skip
        for key, dimension in dimensions.items():
            one.add_dimension(name=key, value=dimension)


def flush_metrics() -> None:
    """Write the invocation's metrics as one EMF line on stdout (none counted: nothing)."""
    import sys

    if "aws_lambda_powertools.metrics" in sys.modules and _metrics().metric_set:
        _metrics().flush_metrics()
