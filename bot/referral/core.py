"""One referral core: every source opens a referral the same way.

`open_referral` writes, in the caller's ONE transaction (a SQLAlchemy session):
the request (source, actor, gemeente, themes, encrypted contact details, a short
note), its consent record (text version + SHA-256 of the exact text), the
routing to the gemeente's team, the two-week contact deadline, the first status
with its actor, the audit line and the outbox notification to the team.

Clients: the chat intake (bot.handoff.store.HandoffStore.submit is an adapter),
the referrer portal (bot.web.verwijzer), the FHIR import (bot.referral.fhir), the
inbox and CLI (`record_status`, bot.referral.outcomes). No import from the web
app or Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from bot.handoff import pickup
from bot.handoff.models import (
    CONTACT_DEADLINE,
    CONTACT_ROUTES,
    STATUS_NIEUW,
    AuditLogEntry,
    ConsentRecord,
    HandoffRequest,
    OutboxMessage,
    StatusChange,
    utcnow,
)
from bot.handoff.routing import TeamRouting, ensure_team

SOURCE_CHAT = "chat"
SOURCE_VERWIJZER = "verwijzer"
SOURCE_API = "api"
SOURCES = (SOURCE_CHAT, SOURCE_VERWIJZER, SOURCE_API)
SYSTEM_ACTOR = "systeem"


class ReferralError(Exception):
    """The referral cannot be opened; `reason` names why (a key for a Dutch message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ConsentGiven:
    """Consent as given: which text version, the hash of the exact text shown, where."""

    text_version: str
    text_hash: str
    channel: str


@dataclass(frozen=True)
class SealedContact:
    """Contact details as Fernet tokens (bot.handoff.crypto.Cipher); never plain text here."""

    name_encrypted: str | None
    contact_encrypted: str | None
    contact_route: str | None
    note_encrypted: str | None = None


@dataclass(frozen=True)
class NewReferral:
    source: str
    actor: str  # "inwoner", "verwijzer:<username>", "api:<system>"
    idempotency_key: str  # one referral per key, however often it is sent
    sender_hash: str  # pseudonym of the chat sender, or a random one for other sources
    channel: str  # web | telegram | verwijzer | fhir
    contact: SealedContact
    preferred_moment: str
    gemeente_code: str | None = None
    gemeente_naam: str | None = None
    themes: list[str] = field(default_factory=list)
    activities_shown: list[str] = field(default_factory=list)
    referrer_org_code: str | None = None
    referrer_user_id: int | None = None


@dataclass(frozen=True)
class Opened:
    request: HandoffRequest
    created: bool  # False: the idempotency key was seen before, this is that request


def free_reference_code(session) -> str:
    from bot.handoff.store import new_reference_code  # the code format lives with the chat's store

    while True:
        code = new_reference_code()
        taken = session.execute(
            select(HandoffRequest.id).where(HandoffRequest.reference_code == code)
        ).first()
        if not taken:
            return code


def open_referral(
    session,
    referral: NewReferral,
    consent: ConsentGiven | ConsentRecord,
    routing: TeamRouting,
    channels: list[str],
) -> Opened:
    """Open a referral in the session's transaction (the caller commits once)."""
    existing = session.execute(
        select(HandoffRequest).where(HandoffRequest.idempotency_key == referral.idempotency_key)
    ).scalar_one_or_none()
    if existing is not None:
        return Opened(existing, created=False)
    if referral.source not in SOURCES:
        raise ReferralError("onbekende_bron")
    contact = referral.contact
    if not (
        contact.name_encrypted
        and contact.contact_encrypted
        and contact.contact_route in CONTACT_ROUTES
        and referral.preferred_moment
    ):
        raise ReferralError("incomplete")
    if referral.source != SOURCE_CHAT and not referral.referrer_org_code:
        raise ReferralError("geen_verwijzer")
    route = routing.route(referral.gemeente_code)
    team = ensure_team(session, route)
    now = utcnow()
    request = HandoffRequest(
        reference_code=free_reference_code(session),
        idempotency_key=referral.idempotency_key,
        sender_hash=referral.sender_hash,
        channel=referral.channel,
        source=referral.source,
        referrer_org_code=referral.referrer_org_code,
        referrer_user_id=referral.referrer_user_id,
        created_at=now,
        contact_deadline=now + CONTACT_DEADLINE,
        gemeente_code=referral.gemeente_code,
        gemeente_naam=referral.gemeente_naam,
        team_id=team.id,
        team_naam=route.naam,
        themes=list(referral.themes),
        activities_shown=list(referral.activities_shown),
        contact_route=contact.contact_route,
        preferred_moment=referral.preferred_moment,
        name_encrypted=contact.name_encrypted,
        contact_encrypted=contact.contact_encrypted,
        note_encrypted=contact.note_encrypted,
        status=STATUS_NIEUW,
    )
    session.add(request)
    session.flush()
    if isinstance(consent, ConsentRecord):
        consent.request_id = request.id
    else:
        session.add(
            ConsentRecord(
                request_id=request.id,
                sender_hash=referral.sender_hash,
                text_version=consent.text_version,
                text_hash=consent.text_hash,
                channel=consent.channel,
                given_at=now,
            )
        )
    session.add(
        StatusChange(request_id=request.id, status=STATUS_NIEUW, changed_at=now, actor=referral.actor)
    )
    payload = {
        "referentie": request.reference_code,
        "gemeente": referral.gemeente_naam or "",
        "team_code": route.code,
        "team": route.naam,
        "themas": list(referral.themes),
        "bron": referral.source,
    }
    for channel in channels:
        session.add(
            OutboxMessage(
                request_id=request.id, channel=channel, kind="nieuw", payload=payload, next_attempt_at=now
            )
        )
    session.add(
        AuditLogEntry(
            actor=referral.actor[:80],
            action="aanvraag_aangemaakt",
            request_id=request.id,
            reference_code=request.reference_code,
            detail=f"bron={referral.source}",
        )
    )
    return Opened(request, created=True)


def record_status(
    session,
    request: HandoffRequest,
    status: str,
    actor: str,
    coach_id: int | None = None,
    detail: str | None = None,
) -> None:
    """One status change: the request's status, a history row (who, when) and an audit line."""
    now = utcnow()
    request.status = status
    session.add(
        StatusChange(
            request_id=request.id, status=status, changed_at=now, coach_id=coach_id, actor=actor[:80]
        )
    )
    session.add(
        AuditLogEntry(
            coach_id=coach_id,
            actor=actor[:80],
            action="status",
            request_id=request.id,
            reference_code=request.reference_code,
            detail=(detail or status)[:500],
        )
    )
    pickup.on_status(session, request)  # the resident who opted in hears it was picked up
