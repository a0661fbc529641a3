"""What the local stack deploys differently from AWS: its template parameters (no MFA for the
local accounts; webhook retries seconds apart; social targets pointed at a local server when
asked), the functions' extra environment, and the social tokens it puts in the social secret."""

from __future__ import annotations

import json
import os

import boto3

from kabar_infra.provision import Stack

# No MFA for the local accounts; webhook retries seconds apart, not hours (KABAR_WEBHOOK_RETRY_SECONDS).
_RETRIES = os.environ.get("KABAR_WEBHOOK_RETRY_SECONDS", "1,2,4")
LOCAL_PARAMETERS = {"EditorMfa": "OPTIONAL", "WebhookRetrySeconds": _RETRIES}
# Social targets to try locally (a local server in their APIs' place): KABAR_FACEBOOK_PAGE_ID,
# KABAR_FACEBOOK_GRAPH_URL, KABAR_TELEGRAM_CHAT_ID, KABAR_TELEGRAM_API_URL, and their tokens
# (KABAR_FACEBOOK_TOKEN, KABAR_TELEGRAM_TOKEN), which the stack puts in the social secret.
for _parameter in ("FacebookPageId", "FacebookGraphUrl", "TelegramChatId", "TelegramApiUrl"):
    _variable = "KABAR_" + "".join(f"_{c}" if c.isupper() else c.upper() for c in _parameter).lstrip("_")
    if os.environ.get(_variable):
        LOCAL_PARAMETERS[_parameter] = os.environ[_variable]
LOCAL_ENVIRONMENT = {"WEBHOOK_ALLOW_LOCAL": "true", "POWERTOOLS_DEV": "false"}  # receivers on 127.0.0.1


def social_tokens(session: boto3.Session, stack: Stack) -> None:
    """The social targets' tokens from KABAR_FACEBOOK_TOKEN and KABAR_TELEGRAM_TOKEN, if set."""
    tokens = {kind: os.environ.get(f"KABAR_{kind.upper()}_TOKEN", "") for kind in ("facebook", "telegram")}
    if any(tokens.values()) and "SocialSecret" in stack.attributes:
        session.client("secretsmanager").put_secret_value(SecretId=stack.ref("SocialSecret"),
                                                          SecretString=json.dumps(tokens))  # fmt: skip
