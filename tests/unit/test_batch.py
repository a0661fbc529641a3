"""kabar.batch: partial batch responses as Lambda reads them (ReportBatchItemFailures)."""

from __future__ import annotations

from typing import Any

import pytest

from kabar.batch import BatchFailed, process_batch, sqs_message_id, stream_sequence_number


def _sqs(*ids: str) -> dict[str, Any]:
    return {"Records": [{"messageId": i, "body": i} for i in ids]}


def _stream(*numbers: str) -> dict[str, Any]:
    return {"Records": [{"eventName": "INSERT", "dynamodb": {"SequenceNumber": n}} for n in numbers]}


def _failing(bad: set[str], seen: list[str]) -> Any:
    def handle(record: dict[str, Any]) -> None:
        name = record.get("messageId") or record["dynamodb"]["SequenceNumber"]
        seen.append(name)
        if name in bad:
            raise RuntimeError(f"{name} broke")

    return handle


def test_every_record_is_handled_and_only_the_failed_ones_are_reported() -> None:
    seen: list[str] = []
    response = process_batch(_sqs("a", "b", "c"), _failing({"b"}, seen), sqs_message_id)
    assert seen == ["a", "b", "c"]
    assert response == {"batchItemFailures": [{"itemIdentifier": "b"}]}
    response = process_batch(_stream("11", "12"), _failing({"12"}, []), stream_sequence_number)
    assert response == {"batchItemFailures": [{"itemIdentifier": "12"}]}


def test_a_batch_that_all_failed_fails_the_invocation() -> None:
    with pytest.raises(BatchFailed) as failed:
        process_batch(_stream("11", "12"), _failing({"11", "12"}, []), stream_sequence_number)
    assert [str(e) for e in failed.value.errors] == ["11 broke", "12 broke"]


def test_an_empty_batch_succeeds_and_an_event_without_records_is_refused() -> None:
    assert process_batch({"Records": []}, _failing(set(), []), sqs_message_id) == {"batchItemFailures": []}
    with pytest.raises(ValueError, match="Records"):
        process_batch({"detail": {}}, _failing(set(), []), sqs_message_id)
