"""Replay: a stream stage re-run for named items from the table's current state.

Stream records expire after 24 hours and a stage's failure queue holds only where the failed
records were, so ``kabar ops replay`` names the items (keys) instead and invokes the stage's
function with a replay event: ``{"kabar_replay": [{"pk": ..., "sk": ...}, ...]}``, built by
:func:`replay_event` from keys (``keys.article(slug)``, ``keys.article_tags(slug)``, ...).

The handler turns each key into a stream record of the item as it is now (``MODIFY`` with the
item as its new image; ``REMOVE`` with the key alone when the item is gone), and handles the
records as any others: each stage works from the table's current state and is idempotent, so
a replay converges on what the lost records would have made. A comment that has an approval
number is given an approved old image too, so that its page is rewritten whether or not it is
still public (the change that failed may have been its removal), and its article comes with it
(the article's count of public comments).
"""

from __future__ import annotations

from typing import Any

from kabar.table import keys
from kabar.table.base import Table
from kabar.table.codec import to_item

REPLAY = "kabar_replay"
SOURCE = "kabar:replay"


def replay_event(item_keys: list[keys.Key]) -> dict[str, Any]:
    """The event that asks a stage to handle these items again."""
    return {REPLAY: [{"pk": key["pk"], "sk": key["sk"]} for key in item_keys]}


def stream_event(event: dict[str, Any], table: Table) -> dict[str, Any]:
    """A replay event as the stream event it stands for; any other event unchanged."""
    if REPLAY not in event:
        return event
    wanted = [{"pk": str(key["pk"]), "sk": str(key["sk"])} for key in event[REPLAY]]
    items = {(key["pk"], key["sk"]): table.get(key) for key in wanted}
    for (pk, sk), item in list(items.items()):
        if item and keys.parse(pk, sk).kind == "comment" and item.get("slug"):
            article = keys.article(str(item["slug"]))  # the article's comment count, too
            if (article["pk"], article["sk"]) not in items:
                items[(article["pk"], article["sk"])] = table.get(article)
    return {"Records": [_record(index, {"pk": pk, "sk": sk}, item)
                        for index, ((pk, sk), item) in enumerate(items.items(), 1)]}  # fmt: skip


def _record(index: int, item_key: dict[str, str], item: dict[str, Any] | None) -> dict[str, Any]:
    stream: dict[str, Any] = {"Keys": to_item(item_key), "SequenceNumber": f"replay-{index}",
                              "StreamViewType": "NEW_AND_OLD_IMAGES"}  # fmt: skip
    if item is not None:
        stream["NewImage"] = to_item(item)
        if keys.parse(item_key["pk"], item_key["sk"]).kind == "comment" and "seq" in item:
            stream["OldImage"] = to_item({**item, "status": "approved"})
    return {"eventID": f"replay-{index}", "eventName": "MODIFY" if item else "REMOVE",
            "eventSource": SOURCE, "dynamodb": stream}  # fmt: skip
