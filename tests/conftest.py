"""Fixtures shared by every tier: AWS on moto, the template's resources, the handlers.

Only fixtures live here; what tests import (App, article files, comment requests) is in tests/support.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from kabar import deps
from kabar_infra.moto_fixes import install as install_moto_fixes
from kabar_infra.provision import Stack, provision
from kabar_infra.template import Template

# Helpers in tests/support assert too: their failures should say what was compared, as in a test.
pytest.register_assert_rewrite("tests.support")

from tests.support.app import CDN_URL, App  # noqa: E402


@pytest.fixture(scope="session")
def template() -> Template:
    return Template.load()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials, one region, and nothing pointing at a real endpoint."""
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # moto's DynamoDB Streams under mock_aws needs this (see docs/architecture.md).
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    deps.reset()


@pytest.fixture
def stack(aws_env: None, template: Template) -> Iterator[Stack]:
    """Every resource of template.yaml, created on moto (with kabar_infra.moto_fixes)."""
    install_moto_fixes()
    with mock_aws():
        yield provision(template)
    deps.reset()


@pytest.fixture
def app(stack: Stack, template: Template) -> App:
    return App(template, stack, {"CDN_URL": CDN_URL})
