"""Coach login: argon2 password check, login rate limits, CSRF tokens.

The session itself is Starlette's SessionMiddleware (an itsdangerous-signed
cookie, HttpOnly, SameSite=Lax, Secure when WW_COOKIE_SECURE). It holds only
the coach id and the CSRF token, never personal data.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from bot.handoff.models import Coach
from bot.web.rate_limit import SlidingWindow

_hasher = PasswordHasher()
# Verified when the username is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def authenticate(session, username: str, password: str) -> Coach | None:
    coach = session.execute(
        select(Coach).where(Coach.username == username.strip().lower())
    ).scalar_one_or_none()
    try:
        _hasher.verify(coach.password_hash if coach else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if coach is None or not coach.active:
        return None
    if _hasher.check_needs_rehash(coach.password_hash):
        coach.password_hash = _hasher.hash(password)
    return coach


class LoginLimiter:
    """Sliding-window limit on failed logins, per IP address and per account.

    Kept in memory: it protects one web process. Behind several processes,
    each limits on its own (documented in docs/handoff.md).
    """

    def __init__(self, per_account: int = 5, per_ip: int = 20, window_seconds: float = 900):
        self._by_account = SlidingWindow(per_account, window_seconds)
        self._by_ip = SlidingWindow(per_ip, window_seconds)

    @staticmethod
    def _account(username: str) -> str:
        return username.strip().lower()

    def blocked(self, ip: str, username: str) -> bool:
        return self._by_ip.exceeded(ip) or self._by_account.exceeded(self._account(username))

    def failed(self, ip: str, username: str) -> None:
        self._by_ip.add(ip)
        self._by_account.add(self._account(username))

    def succeeded(self, username: str) -> None:
        self._by_account.forget(self._account(username))


def session_secret(secret_key: str) -> str:
    """A key of its own for the coach session, so no other signed cookie can pass for it."""
    return hmac.new(secret_key.encode(), b"welzijnswijzer-coach-inbox-session", hashlib.sha256).hexdigest()


def csrf_token(session: dict) -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_valid(session: dict, submitted: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(expected, submitted)
