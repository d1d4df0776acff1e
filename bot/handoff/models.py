"""Hand-off tables: requests, their history, consent, drafts, coaches, outbox.

These tables live in the same database as the catalogue but have their own
metadata and their own alembic history (version table `alembic_version_handoff`).

Personal data (name, contact detail, note, internal notes) is only ever stored
in the `*_encrypted` columns, as Fernet tokens (see bot.handoff.crypto).
Everything else is safe to show in statistics and notifications.
Times are naive UTC (`utcnow()`), the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import backref, declarative_base, relationship

CONTACT_DEADLINE = timedelta(days=14)

# Statuses a request moves through; the coach side changes them.
STATUS_NIEUW = "nieuw"
STATUS_OPGEPAKT = "opgepakt"
STATUS_IN_CONTACT = "in contact"
STATUS_AFGEROND = "afgerond"
STATUS_NIET_BEREIKT = "niet bereikt"
STATUSES = (STATUS_NIEUW, STATUS_OPGEPAKT, STATUS_IN_CONTACT, STATUS_AFGEROND, STATUS_NIET_BEREIKT)

CONTACT_ROUTES = ("telefoon", "email")
MOMENTS = ("ochtend", "middag", "avond")

OUTBOX_CHANNELS = ("email", "telegram")
OUTBOX_PENDING = "pending"
OUTBOX_DELIVERED = "delivered"
OUTBOX_FAILED = "failed"  # gave up after the maximum number of attempts
OUTBOX_STATES = (OUTBOX_PENDING, OUTBOX_DELIVERED, OUTBOX_FAILED)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# Explicit constraint names so SQLite batch migrations can alter tables later.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base = declarative_base(metadata=metadata)


class Team(Base):
    __tablename__ = "handoff_teams"

    id = Column(Integer, primary_key=True)
    code = Column(String(80), nullable=False, unique=True)
    naam = Column(String(200), nullable=False)
    email = Column(String(320))
    telegram_chat_id = Column(String(64))
    created_at = Column(DateTime, nullable=False, default=utcnow)

    coaches = relationship("Coach", back_populates="team")


class Coach(Base):
    __tablename__ = "handoff_coaches"

    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    # Login, password and roles live in bot.accounts (accounts_users.id); this row is
    # the coach's place in a team. password_hash is only kept for migration 0002.
    account_id = Column(Integer, unique=True, index=True)
    password_hash = Column(String(255))
    team_id = Column(Integer, ForeignKey("handoff_teams.id"), nullable=False, index=True)
    is_lead = Column(Boolean, nullable=False, default=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    team = relationship("Team", back_populates="coaches")


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    reference_code = Column(String(16), nullable=False, unique=True)
    # One confirmed draft gives one request, however often "ja" is pressed.
    idempotency_key = Column(String(64), nullable=False, unique=True)
    # HMAC of the channel's sender id: lets a resident delete "my data" in the
    # same conversation without storing the raw chat id.
    sender_hash = Column(String(64), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    contact_deadline = Column(DateTime, nullable=False)

    gemeente_code = Column(String(10), index=True)
    gemeente_naam = Column(String(120))
    team_id = Column(Integer, ForeignKey("handoff_teams.id"), index=True)
    team_naam = Column(String(200), nullable=False)  # kept as shown to the resident
    themes = Column(JSON, nullable=False, default=list)
    activities_shown = Column(JSON, nullable=False, default=list)

    contact_route = Column(String(20), nullable=False)
    preferred_moment = Column(String(40), nullable=False)
    name_encrypted = Column(Text)
    contact_encrypted = Column(Text)
    note_encrypted = Column(Text)
    contact_purged_at = Column(DateTime)  # retention purge or resident's request

    status = Column(String(20), nullable=False, default=STATUS_NIEUW, index=True)
    assigned_coach_id = Column(Integer, ForeignKey("handoff_coaches.id"))
    first_contact_at = Column(DateTime)
    closed_at = Column(DateTime)
    # "succesvol doorverwezen": the request arrived and was taken in behandeling.
    outcome = Column(String(40))

    # The referral core (bot/referral): where the request came from, and the loop's outcome.
    source = Column(String(20), nullable=False, default="chat", index=True)  # chat | verwijzer | api
    referrer_org_code = Column(String(120), index=True)  # the referring practice (source verwijzer/api)
    referrer_user_id = Column(Integer)  # accounts_users.id of the referrer
    contact_way = Column(String(20))  # huisbezoek | telefonisch | digitaal
    conversations = Column(Integer)
    activity = Column(String(200))  # chosen activity: catalogue slug or free text (no personal data)
    outcome_detail = Column(String(40))  # e.g. GGZ, schuldhulp with "doorverwezen naar andere hulp"
    feedback_encrypted = Column(Text)  # the coach's terugkoppeling to the referrer
    feedback_at = Column(DateTime)

    team = relationship("Team")
    assigned_coach = relationship("Coach")
    history = relationship(
        "StatusChange",
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="StatusChange.changed_at",
    )
    notes = relationship("InternalNote", back_populates="request", cascade="all, delete-orphan")
    consents = relationship("ConsentRecord", back_populates="request")
    outbox = relationship("OutboxMessage", back_populates="request", cascade="all, delete-orphan")


class StatusChange(Base):
    __tablename__ = "handoff_status_history"

    id = Column(Integer, primary_key=True)
    request_id = Column(
        Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(20), nullable=False)
    changed_at = Column(DateTime, nullable=False, default=utcnow)
    coach_id = Column(Integer, ForeignKey("handoff_coaches.id"))  # null: by the system
    actor = Column(String(80))  # who: "inwoner", "verwijzer:<user>", a coach's username, "systeem"

    request = relationship("HandoffRequest", back_populates="history")


class ConsentRecord(Base):
    """Consent as given: which text version, the hash of the exact text shown, when, where."""

    __tablename__ = "handoff_consents"

    id = Column(Integer, primary_key=True)
    request_id = Column(
        Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), index=True
    )  # null until the request is confirmed
    sender_hash = Column(String(64), nullable=False, index=True)
    text_version = Column(String(40), nullable=False)
    text_hash = Column(String(64), nullable=False)
    channel = Column(String(20), nullable=False)
    given_at = Column(DateTime, nullable=False, default=utcnow)

    request = relationship("HandoffRequest", back_populates="consents")


class ContactDraft(Base):
    """Details collected outside the dialogue, waiting for the resident's confirmation."""

    __tablename__ = "handoff_contact_drafts"

    id = Column(Integer, primary_key=True)
    sender_hash = Column(String(64), nullable=False, unique=True)
    channel = Column(String(20), nullable=False)
    # Which detail the next message carries ("naam" | "contact" | "notitie"), or null.
    expected_field = Column(String(20))
    expected_route = Column(String(20))  # contact route asked for, if the bot said which
    name_encrypted = Column(Text)
    contact_encrypted = Column(Text)
    contact_route = Column(String(20))
    note_encrypted = Column(Text)
    invalid_attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class InternalNote(Base):
    __tablename__ = "handoff_internal_notes"

    id = Column(Integer, primary_key=True)
    request_id = Column(
        Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False, index=True
    )
    coach_id = Column(Integer, ForeignKey("handoff_coaches.id"), nullable=False)
    text_encrypted = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    request = relationship("HandoffRequest", back_populates="notes")
    coach = relationship("Coach")


class AuditLogEntry(Base):
    """Who did what with which request. Survives deletion of the request (no FK)."""

    __tablename__ = "handoff_audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    coach_id = Column(Integer)  # null: the system or the resident
    actor = Column(String(80), nullable=False)
    action = Column(String(40), nullable=False)
    request_id = Column(Integer, index=True)
    reference_code = Column(String(16))
    detail = Column(String(500))


class OutboxMessage(Base):
    """A notification to deliver. The payload never holds contact details."""

    __tablename__ = "handoff_outbox"
    __table_args__ = (UniqueConstraint("request_id", "channel", "kind", name="uq_handoff_outbox_kind"),)

    id = Column(Integer, primary_key=True)
    # None for rows that belong to no hand-off request ("verificatieherinnering").
    request_id = Column(
        Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=True, index=True
    )
    channel = Column(String(20), nullable=False)
    # "nieuw" (to the team), "terugkoppeling-<n>" (to the referrer; no personal data either),
    # "verificatieherinnering" (to the owner of a catalogue entry; payload: activity id, recipient).
    kind = Column(String(40), nullable=False, default="nieuw")
    payload = Column(JSON, nullable=False)
    state = Column(String(20), nullable=False, default=OUTBOX_PENDING, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    lease_owner = Column(String(80))
    lease_until = Column(DateTime)
    delivered_at = Column(DateTime)
    last_error = Column(String(1000))
    created_at = Column(DateTime, nullable=False, default=utcnow)

    request = relationship("HandoffRequest", back_populates="outbox")


class VerificationReminder(Base):
    """One reminder to check a catalogue entry (bot.web.redactie.reminders): the n-th for the
    verification date the entry had when it was sent ("" = never checked). The unique key makes
    queueing exactly-once: two schedulers cannot both queue the same reminder."""

    __tablename__ = "handoff_verification_reminders"
    __table_args__ = (
        UniqueConstraint("activity_id", "checked_on", "number", name="uq_handoff_verification_reminders_round"),
    )

    id = Column(Integer, primary_key=True)
    activity_id = Column(String(200), nullable=False, index=True)
    checked_on = Column(String(10), nullable=False)
    number = Column(Integer, nullable=False)
    outbox_id = Column(Integer, ForeignKey("handoff_outbox.id", ondelete="SET NULL"))
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ReferrerOrganisation(Base):
    """A referring practice or organisation (huisartsenpraktijk, POH-GGZ, ...); its verwijzers
    have the bot.accounts role "verwijzer" with scope organisation = `code`."""

    __tablename__ = "handoff_referrer_orgs"

    id = Column(Integer, primary_key=True)
    code = Column(String(120), nullable=False, unique=True)
    naam = Column(String(200), nullable=False)
    soort = Column(String(40), nullable=False)
    email = Column(String(320))  # receives "there is feedback" notices (no personal data)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class PickupNotice(Base):
    """A resident's opt-in at hand-off: a short message on their own channel once a coach
    has picked the request up (bot.handoff.pickup). It carries no other personal data.

    Web: `token_hash` is the SHA-256 of a random token in a long-lived cookie of that
    browser; the message is shown at the next visit. Telegram: the chat id, encrypted
    (Fernet), for the outbox row (kind "ophaalbericht") the sender delivers. Both are
    cleared once the message went out, and with the request's contact details."""

    __tablename__ = "handoff_pickup_notices"

    id = Column(Integer, primary_key=True)
    request_id = Column(
        Integer, ForeignKey("handoff_requests.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    channel = Column(String(20), nullable=False)  # web | telegram
    token_hash = Column(String(64), index=True)
    address_encrypted = Column(Text)
    opted_in_at = Column(DateTime, nullable=False, default=utcnow)
    due_at = Column(DateTime)  # when a coach picked the request up
    sent_at = Column(DateTime)  # shown (web) or queued for delivery (telegram)

    request = relationship(
        "HandoffRequest", backref=backref("pickup_notice", uselist=False, cascade="all, delete-orphan")
    )
