"""Coach login helpers, kept as names for older imports: everything lives in the shared
code now. Accounts, argon2 checks, server-side sessions and the login limiter are in
bot.accounts; CSRF and the per-area session key in bot.web.verwijzer.portal (the Portal
the inbox, the referrer portal and the figures are built on).
"""
from __future__ import annotations

from bot.accounts import LoginLimiter, hash_password
from bot.web.verwijzer import portal

__all__ = ["LoginLimiter", "csrf_token", "csrf_valid", "hash_password", "session_secret"]

INBOX_SESSION_LABEL = b"welzijnswijzer-coach-inbox-session"
csrf_token = portal.csrf_token
csrf_valid = portal.csrf_valid


def session_secret(secret_key: str) -> str:
    """The coach session's own key (the same derivation as before, so sessions survive)."""
    return portal.session_secret(secret_key, INBOX_SESSION_LABEL)
