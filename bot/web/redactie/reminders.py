"""Signed "klopt nog" links for verification reminders (itsdangerous, with an expiry).

A link names one activity and the version number it was sent for; it can be used once
(a newer verification date makes it stale) and only within `max_age_days`. Opening it
shows one button (a POST), so a mail scanner that follows links marks nothing.
Sending the reminders through the outbox is not built yet (see docs/redactie.md).
"""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "welzijnswijzer-redactie-klopt-nog"
MAX_AGE_DAYS = 30


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    key = hmac.new(secret_key.encode(), b"welzijnswijzer-redactie-reminder", hashlib.sha256).hexdigest()
    return URLSafeTimedSerializer(key, salt=SALT)


def make_token(secret_key: str, activity_id: str, checked_on: str | None) -> str:
    """A token for `activity_id`, valid while its verification date is still `checked_on`."""
    return _serializer(secret_key).dumps({"a": activity_id, "c": checked_on or ""})


def read_token(secret_key: str, token: str, max_age_days: int = MAX_AGE_DAYS) -> dict | None:
    """{"a": activity id, "c": verification date it was sent for}, or None (forged or expired)."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age_days * 86400)
    except (BadSignature, SignatureExpired):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("a"), str) else None
