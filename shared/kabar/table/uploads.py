"""Uploads: an editor's request for a presigned POST, and what became of the file.

Upload records are Kabar's own (:class:`kabar.models.Upload`, a plain dataclass): only
PublishFunction and UploadsFunction read them.
"""

from __future__ import annotations

from typing import Any

from kabar.errors import AlreadyProcessed
from kabar.images.records import UploadFile
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
        "ConditionExpression": "attribute_not_exists(pk) OR #state IN (:pending, :expired, :waiting)",
        "ExpressionAttributeNames": {**names(*values), "#type": "type"},
        "ExpressionAttributeValues": {
            **{f":{name}": to_value(value) for name, value in values.items()},
            ":type": to_value(TYPE_UPLOAD),
            ":pending": to_value(UploadState.PENDING.value),
            ":expired": to_value(UploadState.EXPIRED.value),
            ":waiting": to_value(UploadState.WAITING.value),
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
                ExpressionAttributeValues={
                    ":expired": to_value(UploadState.EXPIRED.value),
                    ":pending": to_value(UploadState.PENDING.value),
                },
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed:
            return None
        return _upload(item)

    def give_up(self, upload: Upload) -> Upload | None:
        """Reject a waiting upload whose images did not come in time (``upload``: its outcome);
        None when it is no longer waiting (its images came, it was published)."""
        outcome = upload.to_json(exclude_none=True)
        try:
            item = self.table.update(
                keys.upload(upload.upload_id),
                UpdateExpression="SET #state = :rejected, processed_at = :at, errors = :errors",
                ConditionExpression="#state = :waiting",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":rejected": to_value(UploadState.REJECTED.value),
                    ":waiting": to_value(UploadState.WAITING.value),
                    ":at": to_value(outcome["processed_at"]),
                    ":errors": to_value(outcome["errors"]),
                },
                ReturnValues="ALL_NEW",
            )
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
                    ":none": to_value([]),
                    ":file": to_value([file.to_json()]),
                    ":hashes": {"SS": [file.sha256]},
                    ":hash": to_value(file.sha256),
                    ":keep": to_value(keep),
                },
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed:
            return None
        return _upload(item)

    def record_file(self, upload_id: str, file: UploadFile, finish: Upload | None = None) -> Upload | None:
        """Record what became of one image file of an upload, once (the file still ``pending``);
        with ``finish`` (an image uploaded alone), the upload's outcome in the same update. The
        upload as it is now, or None when the file was recorded already (a replay)."""
        values = {":file": to_value(file.to_json(exclude_none=True)), ":pending": to_value("pending")}
        sets, attribute_names = ["files.#file = :file"], {"#file": file.filename, "#fstate": "state"}
        if finish is not None:
            outcome = finish.to_json(exclude_none=True)
            for name in ("state", "processed_at", "image", "errors", "sha256"):
                if name in outcome:
                    sets.append(f"#{name} = :{name}")
                    attribute_names[f"#{name}"] = name
                    values[f":{name}"] = to_value(outcome[name])
        try:
            item = self.table.update(
                keys.upload(upload_id),
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="files.#file.#fstate = :pending",
                ExpressionAttributeNames=attribute_names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed:
            return None
        return _upload(item)

    def wait(self, upload: Upload, awaited: list[str]) -> bool:
        """Mark an upload ``waiting`` for these image files (its article read: ``upload`` carries
        ``waiting_until``, the file's hash, size and version), if every one of them is still
        pending; False when one was processed meanwhile (read the upload again)."""
        outcome = upload.to_json(exclude_none=True)
        stored = [
            name for name in ("waiting_until", "sha256", "file_size", "file_version") if name in outcome
        ]
        attribute_names = {
            "#state": "state",
            "#fstate": "state",
            **{f"#f{i}": name for i, name in enumerate(awaited)},
        }
        values = {
            ":waiting": to_value(UploadState.WAITING.value),
            ":fpending": to_value("pending"),
            **{f":{name}": to_value(outcome[name]) for name in stored},
            **{
                f":s{i}": to_value(state.value)
                for i, state in enumerate((UploadState.PENDING, UploadState.EXPIRED, UploadState.WAITING))
            },
        }
        pending = "".join(f" AND files.#f{i}.#fstate = :fpending" for i in range(len(awaited)))
        try:
            self.table.update(
                keys.upload(upload.upload_id),
                UpdateExpression="SET #state = :waiting" + "".join(f", {name} = :{name}" for name in stored),
                ConditionExpression=f"#state IN (:s0, :s1, :s2){pending}",
                ExpressionAttributeNames=attribute_names,
                ExpressionAttributeValues=values,
            )
        except ConditionFailed:
            return False
        return True
