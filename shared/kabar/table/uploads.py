"""Uploads: an editor's request for a presigned POST, and what became of the file.

Upload records are Kabar's own (:class:`kabar.models.Upload`, a plain dataclass): only
PublishFunction and UploadsFunction read them.
"""

from __future__ import annotations

from typing import Any

from kabar.errors import AlreadyProcessed
from kabar.models import IgnoredFile, Upload, UploadState
from kabar.table import keys
from kabar.table.base import ConditionFailed, Table, names
from kabar.table.codec import to_value

TYPE_UPLOAD = "upload"


def _upload(item: dict[str, Any]) -> Upload:
    return Upload.from_json(item)


def finish_update(upload: Upload) -> dict[str, Any]:
    """The conditional update that moves an upload out of ``pending`` (or ``expired``: a file
    posted in time that arrived late) exactly once (for :meth:`Table.update`, or a
    transaction's Update)."""
    values = upload.to_json(exclude_none=True)
    values.pop("upload_id")
    return {
        "UpdateExpression": "SET #type = :type, " + ", ".join(f"#{name} = :{name}" for name in values),
        "ConditionExpression": "attribute_not_exists(pk) OR #state IN (:pending, :expired)",
        "ExpressionAttributeNames": {**names(*values), "#type": "type"},
        "ExpressionAttributeValues": {
            **{f":{name}": to_value(value) for name, value in values.items()},
            ":type": to_value(TYPE_UPLOAD),
            ":pending": to_value(UploadState.PENDING.value),
            ":expired": to_value(UploadState.EXPIRED.value),
        },
    }


class UploadStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create(self, upload: Upload) -> None:
        """Record a new upload request (its id must be new)."""
        values = {**keys.upload(upload.upload_id), "type": TYPE_UPLOAD}
        values.update(upload.to_json(exclude_none=True))
        self.table.put(values, ConditionExpression="attribute_not_exists(pk)")

    def get(self, upload_id: str) -> Upload | None:
        item = self.table.get(keys.upload(upload_id))
        return _upload(item) if item else None

    def finish(self, upload: Upload) -> None:
        """Store a rejected (or unchanged) upload's outcome; a replay raises AlreadyProcessed."""
        try:
            self.table.update(keys.upload(upload.upload_id), **finish_update(upload))
        except ConditionFailed as exc:
            raise AlreadyProcessed(upload.upload_id) from exc

    def expire(self, upload_id: str) -> Upload | None:
        """Mark a pending upload ``expired``; None when it is no longer pending (a file came)."""
        try:
            item = self.table.update(
                keys.upload(upload_id),
                UpdateExpression="SET #state = :expired",
                ConditionExpression="#state = :pending",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":expired": to_value(UploadState.EXPIRED.value),
                                           ":pending": to_value(UploadState.PENDING.value)},
                ReturnValues="ALL_NEW",
            )  # fmt: skip
        except ConditionFailed:
            return None
        return _upload(item)

    def ignore(self, upload_id: str, file: IgnoredFile, keep: int) -> Upload | None:
        """Note a file that was not published on a processed upload, once per content (its hash),
        at most ``keep`` of them; None when it was noted already or ``keep`` are noted."""
        try:
            item = self.table.update(
                keys.upload(upload_id),
                UpdateExpression="SET ignored_files = list_append(if_not_exists(ignored_files, :none), "
                ":file) ADD ignored_sha256 :hashes",
                ConditionExpression="attribute_exists(pk) AND NOT contains(ignored_sha256, :hash) "
                "AND (attribute_not_exists(ignored_files) OR size(ignored_files) < :keep)",
                ExpressionAttributeValues={
                    ":none": to_value([]), ":file": to_value([file.to_json()]),
                    ":hashes": {"SS": [file.sha256]}, ":hash": to_value(file.sha256), ":keep": to_value(keep),
                },
                ReturnValues="ALL_NEW",
            )  # fmt: skip
        except ConditionFailed:
            return None
        return _upload(item)
