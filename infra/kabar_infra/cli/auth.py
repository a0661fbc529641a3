"""Signing in to Cognito from the command line: challenges, MFA, and a token cache.

A deployed stack's pool asks for a TOTP code at every sign-in (``EditorMfa: ON``).
:func:`sign_in` answers what Cognito asks in turn: ``NEW_PASSWORD_REQUIRED`` (an
admin-created user's first sign-in), ``MFA_SETUP`` (associate an authenticator app:
its secret and ``otpauth://`` URI are shown, then its first code verifies it), and
``SOFTWARE_TOKEN_MFA`` (``--mfa-code``, or a prompt). :class:`TokenCache` keeps the
tokens in ``$XDG_CONFIG_HOME/kabar/tokens.json`` (``~/.config/kabar``; the directory
mode 0700, the file 0600) and :func:`id_token` renews the ID token with the refresh
token, so a code is asked for again only when the refresh token expires (30 days)
or is revoked (``kabar sign-out``). Tokens are never printed or logged.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ISSUER = "Kabar"
RENEW_BEFORE = 120  # seconds: an ID token this close to expiring is renewed first


class SignInError(Exception):
    """Why signing in failed, for the person at the terminal (never a token or a password)."""


@dataclass
class Prompter:
    """How sign-in asks the person at the terminal: ``mfa_code`` (``--mfa-code``) answers the
    first TOTP code asked for; ``ask(question, secret)`` the rest (a terminal prompt when
    ``interactive``, by default when stdin is a terminal); ``show`` prints to stderr."""

    mfa_code: str | None = None
    ask: Callable[[str, bool], str] | None = None
    show: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr))
    # sys.stdin as it is when the prompter is made (tests and shells replace it).
    interactive: bool = field(default_factory=lambda: sys.stdin.isatty())  # noqa: PLW0108

    def __post_init__(self) -> None:
        if self.ask is None and self.interactive:
            self.ask = _terminal_ask

    def code(self, why: str) -> str:
        if self.mfa_code:
            code, self.mfa_code = self.mfa_code, None
            return code
        return self.ask_for(why, secret=False, option="--mfa-code")

    def ask_for(self, what: str, *, secret: bool, option: str) -> str:
        """An answer from the terminal, or SignInError naming the option that gives it."""
        if self.ask is None:
            raise SignInError(f"signing in needs the {what}: give {option}, or run kabar in a terminal")
        return self.ask(f"{what}: ", secret).strip()


def _terminal_ask(question: str, secret: bool) -> str:
    import getpass

    return getpass.getpass(question) if secret else input(question)


@dataclass
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str | None
    expires_at: float  # epoch seconds

    @classmethod
    def of(cls, result: dict[str, Any], refresh_token: str | None = None, now: float | None = None) -> Tokens:
        """From an AuthenticationResult (a refresh answers without a new refresh token)."""
        return cls(str(result["IdToken"]), str(result["AccessToken"]),
                   result.get("RefreshToken") or refresh_token,
                   (time.time() if now is None else now) + int(result.get("ExpiresIn", 3600)))  # fmt: skip


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/kabar``, or ``~/.config/kabar``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kabar"


@dataclass
class TokenCache:
    """Signed-in users' tokens, one entry per ``region/client id/user name``."""

    path: Path = field(default_factory=lambda: config_dir() / "tokens.json")

    def _read(self) -> dict[str, Any]:
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> Tokens | None:
        entry = self._read().get(key)
        try:
            return Tokens(**entry) if isinstance(entry, dict) else None
        except TypeError:
            return None

    def put(self, key: str, tokens: Tokens | None) -> None:
        """Store (or, with None, forget) one user's tokens: written to a 0600 file, then renamed."""
        entries = self._read()
        if tokens is None:
            entries.pop(key, None)
        else:
            entries[key] = asdict(tokens)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)
        partial = self.path.with_suffix(".tmp")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            json.dump(entries, handle)
        os.replace(partial, self.path)


def sign_in(
    cognito: Any, client_id: str, username: str, password: Callable[[], str], prompter: Prompter
) -> Tokens:
    """USER_PASSWORD_AUTH, then every challenge Cognito sets, in turn."""
    answer = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": username, "PASSWORD": password()})  # fmt: skip
    for _ in range(5):
        if "AuthenticationResult" in answer:
            return Tokens.of(answer["AuthenticationResult"])
        challenge, session = answer.get("ChallengeName"), answer.get("Session")
        responses = {"USERNAME": username}
        if challenge == "NEW_PASSWORD_REQUIRED":
            prompter.show(f"{username}'s password was set by an administrator: choose a new one.")
            responses["NEW_PASSWORD"] = prompter.ask_for("new password", secret=True, option="a terminal")
        elif challenge == "MFA_SETUP":
            session = _set_up_authenticator(cognito, session, username, prompter)
        elif challenge == "SOFTWARE_TOKEN_MFA":
            responses["SOFTWARE_TOKEN_MFA_CODE"] = prompter.code("code from your authenticator app")
        else:
            raise SignInError(f"Cognito asks for {challenge}, which kabar cannot answer")
        answer = cognito.respond_to_auth_challenge(ClientId=client_id, ChallengeName=challenge,
                                                   Session=session, ChallengeResponses=responses)  # fmt: skip
    raise SignInError("Cognito kept asking: sign-in did not finish")


def _set_up_authenticator(cognito: Any, session: str, username: str, prompter: Prompter) -> str:
    """MFA_SETUP: a new authenticator secret, shown once, verified with its first code."""
    secret = cognito.associate_software_token(Session=session)
    code = str(secret["SecretCode"])
    uri = f"otpauth://totp/{quote(ISSUER)}:{quote(username)}?secret={code}&issuer={quote(ISSUER)}"
    prompter.show(
        f"{username} has no authenticator yet. Add this to an authenticator app (TOTP), "
        f"then enter the code it shows.\n  secret: {code}\n  URI:    {uri}"
    )
    # Not --mfa-code: no code made before this secret was shown can be right.
    first = prompter.ask_for("first code from the authenticator app", secret=False,
                             option="a terminal (the first sign-in sets one up)")  # fmt: skip
    verified = cognito.verify_software_token(
        Session=secret.get("Session", session), UserCode=first, FriendlyDeviceName="kabar"
    )
    if verified.get("Status") != "SUCCESS":
        raise SignInError("the authenticator's code was not accepted")
    return str(verified["Session"])


def id_token(
    cognito: Any, client_id: str, username: str, *, password: Callable[[], str], prompter: Prompter,
    cache: TokenCache | None, cache_key: str,
) -> str:  # fmt: skip
    """A valid ID token: the cached one, one renewed with the refresh token, or a new sign-in."""
    cached = cache.get(cache_key) if cache else None
    if cached and cached.expires_at - RENEW_BEFORE > time.time():
        return cached.id_token
    tokens = None
    if cached and cached.refresh_token:
        try:
            result = cognito.initiate_auth(
                ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": cached.refresh_token},
            )  # fmt: skip
            tokens = Tokens.of(result["AuthenticationResult"], cached.refresh_token)
        except cognito.exceptions.NotAuthorizedException:
            tokens = None  # expired or revoked: sign in again
    tokens = tokens or sign_in(cognito, client_id, username, password, prompter)
    if cache:
        cache.put(cache_key, tokens)
    return tokens.id_token


def sign_out(cognito: Any, client_id: str, cache: TokenCache, cache_key: str) -> str | None:
    """Forget the cached tokens and revoke the refresh token: what became of the revocation
    ("revoked", or why not), None when nobody was signed in."""
    cached = cache.get(cache_key)
    if cached is None:
        return None
    cache.put(cache_key, None)  # forgetting the tokens matters more than the revocation
    if not cached.refresh_token:
        return "no refresh token to revoke"
    try:
        cognito.revoke_token(Token=cached.refresh_token, ClientId=client_id)
    except Exception as exc:
        return f"the refresh token was not revoked: {type(exc).__name__}"
    return "refresh token revoked"
