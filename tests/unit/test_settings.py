"""Settings from the environment: defaults, types, bounds, and every bad variable named at once."""

from __future__ import annotations

import pytest

from kabar.settings import Settings, SettingsError
from kabar.text.relatedness import DEFAULT_MIN_SCORE


def test_an_empty_environment_gives_every_default() -> None:
    settings = Settings.from_environment({})
    assert (settings.page_size, settings.max_tags, settings.suggested_tags) == (50, 8, "publish")
    assert (settings.related_min_score, settings.site_name, settings.comment_origins) == (
        DEFAULT_MIN_SCORE, "Kabar", "*")  # fmt: skip


def test_values_are_read_as_the_type_of_their_setting() -> None:
    settings = Settings.from_environment(
        {"PAGE_SIZE": "100", "RELATED_MIN_SCORE": "0.3", "SUGGESTED_TAGS": "review", "SITE_NAME": "Warta",
         "UNRELATED": "x"}
    )  # fmt: skip
    assert (settings.page_size, settings.related_min_score) == (100, 0.3)
    assert isinstance(settings.page_size, int) and isinstance(settings.related_min_score, float)
    assert (settings.suggested_tags, settings.site_name) == ("review", "Warta")


@pytest.mark.parametrize(
    ("env", "why"),
    [
        ({"PAGE_SIZE": "101"}, "PAGE_SIZE='101': must be a whole number at least 2 and at most 100"),
        ({"PAGE_SIZE": "1"}, "PAGE_SIZE='1': must be a whole number at least 2 and at most 100"),
        ({"PAGE_SIZE": "5.0"}, "PAGE_SIZE='5.0': must be a whole number"),
        ({"UPLOAD_EXPIRES_SECONDS": "10"}, "UPLOAD_EXPIRES_SECONDS='10': must be a whole number at least 30"),
        ({"RELATED_MIN_SCORE": "nan"}, "RELATED_MIN_SCORE='nan': must be a number at least 0 and at most 2"),
        ({"RELATED_MIN_SCORE": "high"}, "RELATED_MIN_SCORE='high': must be a number"),
        ({"SUGGESTED_TAGS": "auto"}, "SUGGESTED_TAGS='auto': must be one of 'publish', 'review'"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_and_its_rule(env: dict[str, str], why: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment(env)
    assert str(refused.value) == f"invalid settings: {why}"


def test_every_bad_variable_is_named_at_once() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment({"MAX_TAGS": "0", "SITE_NAME": "ok", "COMMENT_MAX_DEPTH": "-1"})
    assert str(refused.value) == (
        "invalid settings: MAX_TAGS='0': must be a whole number at least 1 and at most 30; "
        "COMMENT_MAX_DEPTH='-1': must be a whole number at least 0 and at most 10"
    )


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().page_size = 3  # type: ignore[misc]
