"""The messages of ``kabar images rebuild``: read strictly, told apart from S3 notifications, and
the render requests they lead to in the format RenderFunction reads."""

from __future__ import annotations

import json

import pytest

from kabar.dispatch import decode
from kabar.events import ArticleChanged
from kabar.workflows import image_rebuild as rebuilding

IMAGE = "466b276c04ea214f183f81e5def85967"


def test_rebuild_and_rerender_messages_read_back() -> None:
    ids = [IMAGE, "0" * 32]
    assert rebuilding.read_request(json.loads(rebuilding.rebuild_message(ids))) == rebuilding.RebuildRequest(
        rebuilding.REBUILD, images=tuple(ids)
    )
    step = rebuilding.read_request(json.loads(rebuilding.rerender_message(IMAGE, "gempa-garut")))
    assert (step.kind, step.image, step.after) == (rebuilding.RERENDER, IMAGE, "gempa-garut")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"kabar": "images.rebuild", "images": []}, "1 to 10 image ids"),
        ({"kabar": "images.rebuild", "images": [IMAGE] * 11}, "1 to 10 image ids"),
        ({"kabar": "images.rebuild", "images": ["../../etc"]}, "32 hex digits"),
        ({"kabar": "images.rerender", "image": IMAGE, "after": ""}, "a slug or null"),
        ({"kabar": "images.rerender", "image": 7}, "32 hex digits"),
        ({"kabar": "images.shrink"}, "unknown message 'images.shrink'"),
    ],
)
def test_a_bad_step_says_what_is_wrong(body: dict[str, object], reason: str) -> None:
    with pytest.raises(rebuilding.BadRebuildMessage, match=reason):
        rebuilding.read_request(body)


def test_an_s3_notification_is_not_a_step() -> None:
    notification = json.dumps({"Records": [{"s3": {"object": {"key": "images/u/a.jpg"}}}]})
    step, objects = rebuilding.read_message(notification, lambda body: [json.loads(body)["Records"][0]])
    assert step is None and objects == [{"s3": {"object": {"key": "images/u/a.jpg"}}}]
    step, objects = rebuilding.read_message(rebuilding.rebuild_message([IMAGE]), lambda body: [body])
    assert step is not None and step.images == (IMAGE,) and objects == []


def test_render_requests_ask_for_the_documents_alone() -> None:
    bodies = rebuilding.render_messages(["gempa-garut", "banjir"], IMAGE)
    changes = [decode(body) for body in bodies]
    assert [change for change, _, _ in changes] == [
        ArticleChanged("gempa-garut", frozenset()),
        ArticleChanged("banjir", frozenset()),
    ]
    assert changes[0][2] == {"image": IMAGE, "source": "kabar images rebuild"}
