"""Retention purge: contact details after closing, stale drafts, old Rasa conversations.

Run daily by the sender process and on demand by `welzijnswijzer purge`.
What stays after the purge is anonymous: reference, dates, gemeente, team,
theme(s), status history and outcome (needed for the statistics).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, delete, inspect, select, text

from bot.handoff.db import session_scope
from bot.handoff.models import (
    STATUS_AFGEROND,
    STATUS_NIET_BEREIKT,
    AuditLogEntry,
    ConsentRecord,
    ContactDraft,
    HandoffRequest,
    InternalNote,
    PickupNotice,
    utcnow,
)

CLOSED_STATUSES = (STATUS_AFGEROND, STATUS_NIET_BEREIKT)


@dataclass(frozen=True)
class RetentionPolicy:
    contact_days: int = 90  # after a request is closed (afgerond / niet bereikt)
    tracker_days: int = 30  # Rasa conversations, counted from their last event
    draft_days: int = 2  # details of a hand-off the resident never confirmed
    tracker_db: Path | None = None
    # Rasa's tracker store on PostgreSQL (Settings.tracker_store_url); then tracker_db is unused.
    tracker_url: str = ""

    @classmethod
    def from_settings(cls, settings) -> RetentionPolicy:
        return cls(
            contact_days=settings.retention_days,
            tracker_days=settings.retention_tracker_days,
            draft_days=settings.retention_draft_days,
            tracker_db=Path(settings.tracker_db),
            tracker_url=settings.tracker_store_url,
        )

    from_env = from_settings  # the older name; the values come from Settings


@dataclass(frozen=True)
class PurgeReport:
    contact_details: int
    drafts: int
    conversations: int

    def __str__(self) -> str:
        return (
            f"contactgegevens verwijderd bij {self.contact_details} aanvragen, "
            f"{self.drafts} onbevestigde concepten, {self.conversations} gesprekken"
        )


def purge_contact_details(session, cutoff: datetime, now: datetime) -> int:
    requests = (
        session.execute(
            select(HandoffRequest).where(
                HandoffRequest.status.in_(CLOSED_STATUSES),
                HandoffRequest.closed_at.is_not(None),
                HandoffRequest.closed_at < cutoff,
                HandoffRequest.contact_purged_at.is_(None),
            )
        )
        .scalars()
        .all()
    )
    for request in requests:
        request.name_encrypted = None
        request.contact_encrypted = None
        request.note_encrypted = None
        request.feedback_encrypted = None  # the coach's terugkoppeling is about the resident too
        request.contact_purged_at = now
        session.execute(delete(InternalNote).where(InternalNote.request_id == request.id))
        # The opt-in's address (a browser token's hash, an encrypted Telegram chat id) goes too.
        session.execute(delete(PickupNotice).where(PickupNotice.request_id == request.id))
        session.add(
            AuditLogEntry(
                at=now,
                actor="systeem",
                action="bewaartermijn_verwijderd",
                request_id=request.id,
                reference_code=request.reference_code,
                detail="contactgegevens en notities verwijderd",
            )
        )
    return len(requests)


def purge_drafts(session, cutoff: datetime) -> int:
    """Unconfirmed drafts, and consent records that never led to a request."""
    result = session.execute(delete(ContactDraft).where(ContactDraft.updated_at < cutoff))
    session.execute(
        delete(ConsentRecord).where(ConsentRecord.request_id.is_(None), ConsentRecord.given_at < cutoff)
    )
    return result.rowcount or 0


def purge_tracker(tracker_db: Path | None, cutoff: datetime, tracker_url: str = "") -> int:
    """Delete whole conversations whose last event is older than `cutoff` (naive UTC), in
    Rasa's SQLite tracker file or, with `tracker_url`, its PostgreSQL tracker store."""
    if tracker_url:
        engine = create_engine(tracker_url, future=True)
    elif tracker_db is None or not Path(tracker_db).exists():
        return 0
    else:
        engine = create_engine(f"sqlite:///{tracker_db}", future=True)
    cutoff_ts = (cutoff - datetime(1970, 1, 1)).total_seconds()
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                return 0
            old = (
                connection.execute(
                    text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"),
                    {"cutoff": cutoff_ts},
                )
                .scalars()
                .all()
            )
            for sender_id in old:
                connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id})
            return len(old)
    finally:
        engine.dispose()


def purge_all(settings, policy: RetentionPolicy, now: datetime | None = None) -> PurgeReport:
    now = now or utcnow()
    with session_scope(settings.database_url) as session:
        contact = purge_contact_details(session, now - timedelta(days=policy.contact_days), now)
        drafts = purge_drafts(session, now - timedelta(days=policy.draft_days))
    conversations = purge_tracker(
        policy.tracker_db, now - timedelta(days=policy.tracker_days), tracker_url=policy.tracker_url
    )
    return PurgeReport(contact_details=contact, drafts=drafts, conversations=conversations)
