"""Let moto hold 100,000 articles, for the benchmarks.

moto 5.2.5 deep-copies the whole table for every item of a transaction, keeps
every model object it ever created, and sorts the whole table for every
query: with the ~1.6 million items of a 100,000-article table each write and
each query would take gigabytes or most of a minute. ``kabar_infra.moto_fixes``
(which the local stack and the tests install too) fixes all three at their
cause: an undo log of the items a transaction names instead of table copies,
no tracking, and queries that read the partition asked for (an index query
still walks every item, unsorted). ``install`` is that, for the benchmarks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def install() -> None:
    from kabar_infra.moto_fixes import install as install_moto_fixes

    install_moto_fixes()


@contextmanager
def stack_on_moto() -> Iterator[Any]:
    """The whole stack on moto in this process (tests' ``App``), for a benchmark's run."""
    from moto import mock_aws

    from kabar_infra.provision import provision
    from kabar_infra.template import Template
    from tests.support.app import App

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
    )  # fmt: skip
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from kabar_infra.moto_fixes import install as install_moto_fixes

    install_moto_fixes()
    with mock_aws():
        template = Template.load()
        yield App(template, provision(template), {"CDN_URL": "https://cdn.example"})
