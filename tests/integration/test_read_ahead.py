"""Table.reading_ahead on moto: several items in one request, each answering one get, and
nothing kept past the block (a warm function's next invocation must read the table again)."""

from __future__ import annotations

from typing import Any

from kabar.table import keys
from kabar.table.base import Table
from kabar.table.codec import to_item
from tests.support.app import App


def _recorded(app: App) -> list[str]:
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    app.dynamodb.meta.events.register("before-call.dynamodb", record)
    return calls


def test_items_read_ahead_answer_one_get_each_and_go_with_the_block(app: App) -> None:
    name = app.stack.ref("ContentTable")
    for slug in ("gempa", "banjir"):
        app.dynamodb.put_item(TableName=name, Item=to_item({**keys.article(slug), "slug": slug, "n": 1}))
    table, calls = Table(name, app.dynamodb), _recorded(app)
    wanted = [keys.article("gempa"), keys.article("banjir"), keys.article("tidak-ada")]
    with table.reading_ahead(wanted):
        assert calls == ["BatchGetItem"]
        assert table.get(keys.article("gempa")) == {**keys.article("gempa"), "slug": "gempa", "n": 1}
        assert table.get(keys.article("banjir"), projection=("slug",)) == {"slug": "banjir"}
        assert table.get(keys.article("tidak-ada")) is None
        assert calls == ["BatchGetItem"]  # all three from the one request
        # Read once: a second get reads the table, and sees what changed meanwhile.
        app.dynamodb.put_item(
            TableName=name, Item=to_item({**keys.article("gempa"), "slug": "gempa", "n": 2})
        )
        assert table.get(keys.article("gempa"))["n"] == 2  # type: ignore[index]
    with table.reading_ahead([keys.article("banjir")]):
        pass  # read ahead, never asked for
    app.dynamodb.put_item(TableName=name, Item=to_item({**keys.article("banjir"), "slug": "banjir", "n": 3}))
    assert table.get(keys.article("banjir"))["n"] == 3  # type: ignore[index]
    assert calls == ["BatchGetItem", "PutItem", "GetItem", "BatchGetItem", "PutItem", "GetItem"]
