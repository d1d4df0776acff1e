"""What a coach does with a request: list, view (audited), claim, change status, note.

Every function is scoped to the coach's own team: a request of another team
is treated as not existing. Outcome rule (seeds: "succesvol doorverwezen" =
the referral arrived and was taken in behandeling): the first move to
"in contact" sets `first_contact_at` and the outcome "succesvol doorverwezen";
"niet bereikt" without earlier contact sets the outcome "niet bereikt".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import select

from bot.handoff import pickup
from bot.handoff.crypto import Cipher
from bot.handoff.models import (
    STATUS_AFGEROND,
    STATUS_IN_CONTACT,
    STATUS_NIET_BEREIKT,
    STATUS_NIEUW,
    STATUS_OPGEPAKT,
    STATUSES,
    AuditLogEntry,
    Coach,
    HandoffRequest,
    InternalNote,
    StatusChange,
    utcnow,
)

OUTCOME_SUCCES = "succesvol doorverwezen"
OUTCOME_NIET_BEREIKT = "niet bereikt"
CLOSED = (STATUS_AFGEROND, STATUS_NIET_BEREIKT)
MAX_NOTE_CHARS = 2000


class CaseworkError(Exception):
    """A coach action that cannot be done; `reason` is a key for the Dutch message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_overdue(request: HandoffRequest, now: datetime | None = None) -> bool:
    """Open, no contact yet, and past the two-week contact deadline."""
    now = now or utcnow()
    return (
        request.status not in CLOSED and request.first_contact_at is None and request.contact_deadline < now
    )


def list_requests(session, coach: Coach, status: str | None = None) -> list[HandoffRequest]:
    query = select(HandoffRequest).where(HandoffRequest.team_id == coach.team_id)
    if status in STATUSES:
        query = query.where(HandoffRequest.status == status)
    query = query.order_by(HandoffRequest.contact_deadline, HandoffRequest.id)
    return list(session.execute(query).scalars())


def find_request(session, coach: Coach, reference_code: str) -> HandoffRequest:
    request = session.execute(
        select(HandoffRequest).where(
            HandoffRequest.reference_code == reference_code,
            HandoffRequest.team_id == coach.team_id,
        )
    ).scalar_one_or_none()
    if request is None:
        raise CaseworkError("niet_gevonden")
    return request


def audit(session, coach: Coach, action: str, request: HandoffRequest, detail: str | None = None) -> None:
    session.add(
        AuditLogEntry(
            coach_id=coach.id,
            actor=coach.username,
            action=action,
            request_id=request.id,
            reference_code=request.reference_code,
            detail=detail,
        )
    )


@dataclass(frozen=True)
class ContactView:
    name: str | None
    contact: str | None
    note: str | None
    purged: bool
    unreadable: bool = False


def view_contact(session, cipher: Cipher, coach: Coach, request: HandoffRequest) -> ContactView:
    """Decrypted details; writes the audit line (who viewed which request, when)."""
    audit(session, coach, "bekeken", request)
    if request.contact_purged_at is not None:
        return ContactView(None, None, None, purged=True)
    try:
        return ContactView(
            name=cipher.decrypt(request.name_encrypted),
            contact=cipher.decrypt(request.contact_encrypted),
            note=cipher.decrypt(request.note_encrypted),
            purged=False,
        )
    except InvalidToken:
        return ContactView(None, None, None, purged=False, unreadable=True)


def notes(session, cipher: Cipher, request: HandoffRequest) -> list[tuple[InternalNote, str]]:
    rows = session.execute(
        select(InternalNote).where(InternalNote.request_id == request.id).order_by(InternalNote.created_at)
    ).scalars()
    result = []
    for note in rows:
        try:
            result.append((note, cipher.decrypt(note.text_encrypted)))
        except InvalidToken:
            result.append((note, ""))
    return result


def claim(session, coach: Coach, request: HandoffRequest) -> None:
    if request.status in CLOSED:
        raise CaseworkError("al_gesloten")
    request.assigned_coach_id = coach.id
    if request.status == STATUS_NIEUW:
        _set_status(session, coach, request, STATUS_OPGEPAKT)
    audit(session, coach, "opgepakt", request)


def change_status(session, coach: Coach, request: HandoffRequest, status: str) -> None:
    if status not in STATUSES:
        raise CaseworkError("onbekende_status")
    if status == request.status:
        return
    if request.assigned_coach_id is None:
        request.assigned_coach_id = coach.id
    _set_status(session, coach, request, status)
    audit(session, coach, "status", request, detail=status)


def _set_status(session, coach: Coach, request: HandoffRequest, status: str) -> None:
    now = utcnow()
    request.status = status
    if status == STATUS_IN_CONTACT and request.first_contact_at is None:
        request.first_contact_at = now
        request.outcome = OUTCOME_SUCCES
    if status == STATUS_NIET_BEREIKT and request.outcome is None:
        request.outcome = OUTCOME_NIET_BEREIKT
    request.closed_at = now if status in CLOSED else None
    session.add(
        StatusChange(request_id=request.id, status=status, changed_at=now, coach_id=coach.id, actor=coach.username)
    )
    pickup.on_status(session, request)  # the resident who opted in hears it was picked up


def add_note(session, cipher: Cipher, coach: Coach, request: HandoffRequest, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise CaseworkError("notitie_leeg")
    if len(text) > MAX_NOTE_CHARS:
        raise CaseworkError("notitie_te_lang")
    if request.contact_purged_at is not None:
        raise CaseworkError("al_verwijderd")
    session.add(InternalNote(request_id=request.id, coach_id=coach.id, text_encrypted=cipher.encrypt(text)))
    audit(session, coach, "notitie", request)
