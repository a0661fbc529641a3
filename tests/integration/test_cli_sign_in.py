"""The CLI's Cognito sign-in against moto: a first sign-in (new password, authenticator set-up),
TOTP codes (verified by moto with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP), the token cache and
its renewal with the refresh token, sign-in and sign-out through ``kabar``."""

from __future__ import annotations

import dataclasses
import json
import re
import stat
from pathlib import Path
from typing import Any

import boto3
import pytest

from kabar_infra.cli.auth import Prompter, SignInError, TokenCache, config_dir
from kabar_infra.cli.client import Credentials
from kabar_infra.cli.main import main
from kabar_infra.provision import Stack
from tests.support.totp import fresh_totp, totp

TEMPORARY = "Sementara-Sekali-1"
CHOSEN = "Dipilih-Sendiri-22"


@pytest.fixture
def pool(stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """The template's pool (EditorMfa ON), an editor created by an administrator as the README
    says, moto checking TOTP codes, and a private config directory."""
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    cognito = boto3.client("cognito-idp", region_name=stack.region)
    pool_id = stack.ref("UserPool")
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "ON"
    cognito.admin_create_user(UserPoolId=pool_id, Username="ani", TemporaryPassword=TEMPORARY,
                              MessageAction="SUPPRESS")  # fmt: skip
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ani", GroupName="editors")
    return {"pool_id": pool_id, "client_id": stack.ref("UserPoolClient")}


class Terminal:
    """The person at the terminal: reads what kabar shows, types answers; keeps the secret shown."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.asked: list[str] = []
        self.secret: str | None = None

    def show(self, text: str) -> None:
        self.shown.append(text)
        found = re.search(r"secret: ([A-Za-z2-7]+)", text)
        self.secret = found.group(1) if found else self.secret

    def ask(self, question: str, secret: bool) -> str:
        self.asked.append(question)
        if "new password" in question:
            assert secret
            return CHOSEN
        assert "code" in question and self.secret, question
        return fresh_totp(self.secret)


def test_rfc_6238_codes() -> None:
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of RFC 6238's SHA-1 key "12345678901234567890"
    assert [totp(secret, at, digits=8) for at in (59, 1111111109, 2000000000)] == [
        "94287082", "07081804", "69279037"]  # fmt: skip


def test_a_first_sign_in_sets_a_password_and_an_authenticator_then_codes_are_asked(
    pool: dict[str, str],
) -> None:
    terminal = Terminal()
    credentials = Credentials(pool["client_id"], "ani", TEMPORARY)
    token = credentials.id_token(Prompter(ask=terminal.ask, show=terminal.show), TokenCache())
    assert terminal.asked == ["new password: ", "first code from the authenticator app: "]
    (setup,) = [text for text in terminal.shown if "otpauth://" in text]
    assert f"otpauth://totp/Kabar:ani?secret={terminal.secret}&issuer=Kabar" in setup
    assert token not in "\n".join(terminal.shown)  # tokens are never shown
    claims = json.loads(_payload(token))
    assert claims["cognito:username"] == "ani" and claims["cognito:groups"] == ["editors"]

    # Next time (nothing cached): the chosen password, then a code, here from --mfa-code.
    assert terminal.secret is not None
    again = Credentials(pool["client_id"], "ani", CHOSEN)
    assert again.id_token(Prompter(mfa_code=fresh_totp(terminal.secret), interactive=False)) != token
    with pytest.raises(SignInError, match="CodeMismatchException"):
        wrong = str((int(totp(terminal.secret)) + 1) % 1_000_000).zfill(6)
        again.id_token(Prompter(mfa_code=wrong, interactive=False))
    with pytest.raises(SignInError, match="give --mfa-code, or run kabar in a terminal"):
        again.id_token(Prompter(interactive=False))
    with pytest.raises(SignInError, match="NotAuthorizedException"):
        Credentials(pool["client_id"], "ani", TEMPORARY).id_token(Prompter(interactive=False))


def _payload(token: str) -> str:
    import base64

    part = token.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def _signed_in(pool: dict[str, str]) -> tuple[Credentials, str]:
    terminal = Terminal()
    credentials = Credentials(pool["client_id"], "ani", TEMPORARY)
    credentials.id_token(Prompter(ask=terminal.ask, show=terminal.show), TokenCache())
    assert terminal.secret is not None
    return Credentials(pool["client_id"], "ani"), terminal.secret  # no password: the cache must do


def never(question: str, secret: bool) -> str:
    raise AssertionError(f"asked {question!r}: the cached tokens should have been enough")


def test_tokens_are_cached_privately_and_renewed_with_the_refresh_token(pool: dict[str, str]) -> None:
    credentials, _ = _signed_in(pool)
    cache = TokenCache()
    assert cache.path == config_dir() / "tokens.json" and "config/kabar" in str(cache.path)  # XDG_CONFIG_HOME
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.path.parent.stat().st_mode) == 0o700
    cached = cache.get(credentials.cache_key)
    assert cached is not None and cached.refresh_token
    assert credentials.id_token(Prompter(ask=never), cache) == cached.id_token  # still valid: no request

    cache.put(credentials.cache_key, dataclasses.replace(cached, expires_at=0.0))  # expired
    renewed = credentials.id_token(Prompter(ask=never), cache)
    assert renewed != cached.id_token and json.loads(_payload(renewed))["cognito:username"] == "ani"
    after = cache.get(credentials.cache_key)
    assert after is not None and after.refresh_token == cached.refresh_token and after.expires_at > 0


def test_kabar_sign_in_and_sign_out_for_a_deployed_stack(
    pool: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, secret = _signed_in(pool)
    TokenCache().put(f"us-east-1/{pool['client_id']}/ani", None)  # forget: sign in again from scratch
    monkeypatch.setenv("KABAR_PASSWORD", CHOSEN)
    deployed = ["--api", "http://127.0.0.1:9", "--client-id", pool["client_id"], "--username", "ani"]
    assert main([*deployed, "--mfa-code", fresh_totp(secret), "sign-in"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("signed in as ani (tokens in ") and "eyJ" not in out.out + out.err
    monkeypatch.delenv("KABAR_PASSWORD")
    # Signed in: no password, no code; the API (nothing listens on port 9) is named in one line.
    assert main([*deployed, "status", "0" * 32]) == 2
    err = capsys.readouterr().err
    assert err == "kabar: cannot reach http://127.0.0.1:9: check --api (or KABAR_API) and the network\n"
    assert main([*deployed, "sign-out"]) == 0
    # moto has no RevokeToken (Cognito does): the tokens are forgotten all the same.
    assert (
        capsys.readouterr().out == "signed out ani (the refresh token was not revoked: NotImplementedError)\n"
    )
    assert TokenCache().get(f"us-east-1/{pool['client_id']}/ani") is None
    assert main([*deployed, "status", "0" * 32]) == 2  # signed out, no password, not a terminal
    assert "signing in needs the password of ani: give KABAR_PASSWORD" in capsys.readouterr().err


def test_the_local_stack_accounts_sign_in_with_a_password_alone(template: Any, pool: dict[str, str]) -> None:
    from kabar_infra.local.stack import LOCAL_PARAMETERS
    from kabar_infra.provision import provision

    local = provision(template, stack_name="kabar-local-mfa", parameters=LOCAL_PARAMETERS)
    cognito = boto3.client("cognito-idp", region_name=local.region)
    pool_id = local.ref("UserPool")
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OPTIONAL"
    cognito.admin_create_user(UserPoolId=pool_id, Username="admin", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="admin", Password=CHOSEN, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="admin", GroupName="admins")
    token = Credentials(local.ref("UserPoolClient"), "admin", CHOSEN).id_token(Prompter(ask=never))
    assert json.loads(_payload(token))["cognito:groups"] == ["admins"]
