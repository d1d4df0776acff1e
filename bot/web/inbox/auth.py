"""Coach login helpers: CSRF tokens and the key of the signed inbox cookie.

Accounts, argon2 checks, server-side sessions and the login rate limiter are in
bot.accounts (one module for every web user). The inbox's cookie (Starlette's
SessionMiddleware: itsdangerous-signed, HttpOnly, SameSite=Lax, Secure when
WW_COOKIE_SECURE) holds only the random id of the server-side session and the
CSRF token, never personal data.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from bot.accounts import LoginLimiter, hash_password

__all__ = ["LoginLimiter", "csrf_token", "csrf_valid", "hash_password", "session_secret"]


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
    if not (expected and isinstance(submitted, str) and submitted):
        return False
    return hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8", "surrogatepass"))
