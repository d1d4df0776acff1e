"""Encryption at rest for personal data (Fernet, several keys for rotation).

Keys come from `Settings.fernet_keys`, newest first: the newest encrypts, all
of them decrypt. After adding a new key, `rotate()` re-encrypts every stored
token with it so the old key can be removed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import ContactDraft, HandoffRequest, InternalNote

ENCRYPTED_COLUMNS = (
    (HandoffRequest, ("name_encrypted", "contact_encrypted", "note_encrypted", "feedback_encrypted")),
    (ContactDraft, ("name_encrypted", "contact_encrypted", "note_encrypted")),
    (InternalNote, ("text_encrypted",)),
)


class Cipher:
    def __init__(self, keys: Iterable[str]):
        keys = [k for k in keys if k]
        if not keys:
            raise ValueError("at least one Fernet key is needed (WW_FERNET_KEYS)")
        self._fernet = MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])

    def encrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def rotate_token(self, token: str | None) -> str | None:
        if token is None:
            return None
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")


def sender_hash(secret_key: str, sender_id: str) -> str:
    """Stable pseudonym of a channel's sender id (never store the raw id)."""
    return hmac.new(secret_key.encode(), sender_id.encode(), hashlib.sha256).hexdigest()


def rotate(session: Session, cipher: Cipher) -> int:
    """Re-encrypt every stored token with the newest key. Returns the number of values."""
    count = 0
    for model, columns in ENCRYPTED_COLUMNS:
        for row in session.execute(select(model)).scalars():
            for column in columns:
                token = getattr(row, column)
                if token is not None:
                    setattr(row, column, cipher.rotate_token(token))
                    count += 1
    return count
