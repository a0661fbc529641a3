"""The caller's Cognito groups, as API Gateway's authorizers pass them (a module of its own: the API
functions need this and nothing else of :mod:`kabar.events`, whose models cost a cold start)."""

from __future__ import annotations

import re
from typing import Any


def claim_groups(claims: dict[str, Any]) -> set[str]:
    """The Cognito groups in authorizer claims.

    REST API authorizers pass every claim as a string ("editors" or
    "editors,moderators"); HTTP API JWT authorizers as "[editors moderators]";
    a direct invocation may pass a list.
    """
    groups = claims.get("cognito:groups")
    if groups is None:
        return set()
    if isinstance(groups, list):
        return {str(group) for group in groups}
    return {part for part in re.split(r"[\s,]+", str(groups).strip("[]")) if part}
