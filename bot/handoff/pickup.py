"""A short message to the resident when a coach has picked up their request (opt-in).

At hand-off the bot asks whether the resident wants that message
(actions/handoff_finish.py). On "ja" Rasa's reply carries a marker
`{"ophaalbericht": "<reference code>"}`; the resident's channel takes it out of
the reply (`take_marker`) and stores the opt-in with the request
(`PickupNotices.register`), with the channel's own address:

- web: the SHA-256 of a random token that the web app keeps in a long-lived
  cookie of that browser (bot/web/status/pickup.py); the message is shown when
  the resident comes back to the chat;
- Telegram: the chat id, encrypted like a contact detail; the bridge knows it,
  Rasa never does.

When a coach picks the request up (status "opgepakt" or "in contact"),
`on_status` marks the notice due; for Telegram it queues an outbox row (kind
"ophaalbericht") that the sender delivers with the retries of every outbox row.
The message itself is one fixed Dutch text (templates/ophaalbericht_tekst.txt.j2)
without the reference code, the name or any other personal data.

The marker comes from Rasa, never from typed text; the opt-in is still only
stored for a request that this conversation (its sender hash) made in the chat.
No import from the web app or Rasa.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from sqlalchemy import select

from bot.handoff.crypto import Cipher, sender_hash
from bot.handoff.db import session_scope
from bot.handoff.models import (
    STATUS_AFGEROND,
    STATUS_IN_CONTACT,
    STATUS_NIET_BEREIKT,
    STATUS_OPGEPAKT,
    AuditLogEntry,
    HandoffRequest,
    OutboxMessage,
    PickupNotice,
    utcnow,
)

log = logging.getLogger(__name__)

MARKER = "ophaalbericht"  # key of the custom payload in Rasa's reply (value: the reference code)
KIND = "ophaalbericht"  # outbox kind (Telegram) and notification soort
CHANNEL_WEB = "web"
CHANNEL_TELEGRAM = "telegram"
CHANNELS = (CHANNEL_WEB, CHANNEL_TELEGRAM)
PICKUP_STATUSES = (STATUS_OPGEPAKT, STATUS_IN_CONTACT)
CLOSED = (STATUS_AFGEROND, STATUS_NIET_BEREIKT)
# How long a browser keeps the web token: well past the two-week contact deadline.
WEB_TOKEN_LIFETIME = timedelta(days=60)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def take_marker(replies: list[dict]) -> tuple[list[dict], str | None]:
    """Rasa's replies without the opt-in marker, and the reference code it carried."""
    code = None
    out: list[dict] = []
    for reply in replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and MARKER in custom:
            value = custom.get(MARKER)
            code = value if isinstance(value, str) else code
            rest = {k: v for k, v in custom.items() if k != MARKER}
            reply = {k: v for k, v in reply.items() if k != "custom"}
            if rest:
                reply["custom"] = rest
            if not (reply.get("text") or reply.get("buttons") or reply.get("custom")):
                continue
        out.append(reply)
    return out, code


def opt_in(
    session,
    digest: str,
    reference_code: str,
    channel: str,
    *,
    web_token_hash: str | None = None,
    address_encrypted: str | None = None,
) -> bool:
    """Store the opt-in with the request `reference_code` of the conversation `digest`.
    False (nothing stored) for another conversation's request, a closed or purged one,
    or a channel without its address."""
    if channel not in CHANNELS:
        return False
    if channel == CHANNEL_WEB and not web_token_hash:
        return False
    if channel == CHANNEL_TELEGRAM and not address_encrypted:
        return False
    request = session.execute(
        select(HandoffRequest).where(
            HandoffRequest.reference_code == reference_code,
            HandoffRequest.sender_hash == digest,
            HandoffRequest.source == "chat",
        )
    ).scalar_one_or_none()
    if request is None or request.status in CLOSED or request.contact_purged_at is not None:
        return False
    notice = request.pickup_notice
    if notice is None:
        notice = PickupNotice(request_id=request.id, channel=channel)
        session.add(notice)
        request.pickup_notice = notice
    notice.channel = channel
    notice.token_hash = web_token_hash if channel == CHANNEL_WEB else None
    notice.address_encrypted = address_encrypted if channel == CHANNEL_TELEGRAM else None
    notice.opted_in_at = utcnow()
    session.add(
        AuditLogEntry(
            actor="inwoner",
            action="ophaalbericht_aan",
            request_id=request.id,
            reference_code=request.reference_code,
            detail=channel,
        )
    )
    # Already picked up while the resident was still answering: due at once.
    on_status(session, request)
    return True


def on_status(session, request: HandoffRequest) -> None:
    """Called on every status change: the first move to "opgepakt" / "in contact" makes the
    resident's notice due (and queues the Telegram message)."""
    notice = request.pickup_notice
    if notice is None or notice.due_at is not None or request.status not in PICKUP_STATUSES:
        return
    now = utcnow()
    notice.due_at = now
    if notice.channel == CHANNEL_TELEGRAM and notice.address_encrypted:
        session.add(
            OutboxMessage(
                request_id=request.id,
                channel=CHANNEL_TELEGRAM,
                kind=KIND,
                payload={"soort": KIND},  # the chat id stays encrypted with the notice
                next_attempt_at=now,
            )
        )
        notice.sent_at = now  # handed to the outbox, which retries until delivered


def due_web_notices(session, web_token_hash: str) -> list[PickupNotice]:
    return list(
        session.execute(
            select(PickupNotice).where(
                PickupNotice.channel == CHANNEL_WEB,
                PickupNotice.token_hash == web_token_hash,
                PickupNotice.due_at.is_not(None),
                PickupNotice.sent_at.is_(None),
            )
        ).scalars()
    )


def waiting_web_notices(session, web_token_hash: str) -> int:
    """Opt-ins of this browser that are not due yet (the cookie must stay)."""
    return len(
        session.execute(
            select(PickupNotice.id).where(
                PickupNotice.channel == CHANNEL_WEB,
                PickupNotice.token_hash == web_token_hash,
                PickupNotice.sent_at.is_(None),
            )
        ).all()
    )


def notification(session, row: OutboxMessage, settings):
    """The sender's notification for an outbox row of kind "ophaalbericht" (Telegram)."""
    from bot.handoff.notify import DeliveryError, Notification

    request = session.get(HandoffRequest, row.request_id)
    notice = request.pickup_notice if request is not None else None
    if notice is None or not notice.address_encrypted:
        raise DeliveryError("ophaalbericht zonder adres (verwijderd)", permanent=True)
    return Notification(
        outbox_id=row.id,
        channel=CHANNEL_TELEGRAM,
        recipient=Cipher(settings.fernet_keys).decrypt(notice.address_encrypted),
        referentie=request.reference_code,
        gemeente="",
        team=request.team_naam,
        soort=KIND,
    )


def notice_text() -> str:
    """The one Dutch message, for the web as for Telegram."""
    from bot.handoff.notify import _templates

    return _templates().get_template("ophaalbericht_tekst.txt.j2").render().strip()


def failed_text() -> str:
    from bot.handoff.notify import _templates

    return _templates().get_template("ophaalbericht_mislukt.txt.j2").render().strip()


class PickupNotices:
    """The channels' door: register an opt-in, show the web notices of a browser."""

    def __init__(self, database_url: str, cipher: Cipher, secret_key: str):
        self.database_url = database_url
        self.cipher = cipher
        self.secret_key = secret_key

    @classmethod
    def from_settings(cls, settings) -> PickupNotices:
        return cls(settings.database_url, Cipher(settings.fernet_keys), settings.secret_key)

    def register(self, sender_id: str, reference_code: str, channel: str, *, web_token: str | None = None,
                 chat_id: str | None = None) -> bool:
        try:
            with session_scope(self.database_url) as session:
                return opt_in(
                    session,
                    sender_hash(self.secret_key, sender_id),
                    reference_code,
                    channel,
                    web_token_hash=token_hash(web_token) if web_token else None,
                    address_encrypted=self.cipher.encrypt(str(chat_id)) if chat_id else None,
                )
        except Exception as problem:  # noqa: BLE001 - the resident hears it did not work
            log.error("pickup opt-in not stored via %s: %s", channel, type(problem).__name__)
            return False

    def take_reply(self, sender_id: str, channel: str, replies: list[dict], *, web_token: str | None = None,
                   chat_id: str | None = None) -> tuple[list[dict], bool]:
        """Rasa's replies without the marker; (replies, stored). When the opt-in could not be
        stored, the replies end with the Dutch "did not work" line."""
        replies, code = take_marker(replies)
        if code is None:
            return replies, False
        if self.register(sender_id, code, channel, web_token=web_token, chat_id=chat_id):
            return replies, True
        return [*replies, {"text": failed_text()}], False

    def web_visit(self, web_token: str) -> tuple[list[str], bool]:
        """(texts to show now, keep the cookie). Each due notice is shown once."""
        digest = token_hash(web_token)
        with session_scope(self.database_url) as session:
            due = due_web_notices(session, digest)
            now = utcnow()
            for notice in due:
                notice.sent_at = now
                notice.token_hash = None  # shown: the browser's token no longer leads here
                session.add(
                    AuditLogEntry(
                        actor="systeem",
                        action="ophaalbericht_getoond",
                        request_id=notice.request_id,
                        detail=CHANNEL_WEB,
                    )
                )
            waiting = waiting_web_notices(session, digest)
        return ([notice_text()] if due else []), waiting > 0


def telegram_reply(settings, sender_id: str, chat_id, replies: list[dict]) -> list[dict]:
    """For the Telegram bridge: take the marker out of Rasa's replies and store the opt-in
    with the encrypted chat id. Without a marker nothing touches the database."""
    _rest, code = take_marker(replies)
    if code is None:
        return replies
    replies, _stored = PickupNotices.from_settings(settings).take_reply(
        sender_id, CHANNEL_TELEGRAM, replies, chat_id=str(chat_id)
    )
    return replies
