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


def test_rendering_reads_the_linked_articles_summaries_once_for_every_article(app: App) -> None:
    from kabar.table import Stores

    name = app.stack.ref("ContentTable")
    summary = {"slug": "tujuan", "path": "/v1/articles/tujuan.json", "title": "Tujuan",
               "published_at": "2026-11-30T00:00:00Z", "updated_at": "2026-11-30T00:00:00Z"}  # fmt: skip
    target = {**keys.article("tujuan"), "slug": "tujuan", "status": "published", "summary": summary}
    app.dynamodb.put_item(TableName=name, Item=to_item(target))
    for slug in ("satu", "dua"):
        app.dynamodb.put_item(TableName=name, Item=to_item({**keys.article(slug), "slug": slug,
                                                            "read_also": ["tujuan", "hilang"]}))  # fmt: skip
    stores, calls = Stores.over(Table(name, app.dynamodb)), _recorded(app)
    with stores.articles.reading_ahead(["satu", "dua"], linked=True):
        assert calls == ["BatchGetItem", "BatchGetItem"]  # the articles' items, then what they link to
        for _ in ("satu", "dua"):
            found = stores.articles.summaries(["tujuan", "hilang"])
            assert list(found) == ["tujuan"] and found["tujuan"].title == "Tujuan"  # "hilang" does not exist
        assert calls == ["BatchGetItem", "BatchGetItem"]
    stores.articles.summaries(["tujuan"])
    assert calls[-1] == "BatchGetItem" and len(calls) == 3  # after the block: read again
