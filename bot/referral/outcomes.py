"""What the coach records about a referral, and the feedback to the referrer.

- first contact: date and way (huisbezoek, telefonisch, digitaal);
- the number of conversations;
- the activity chosen (a catalogue slug or free text);
- the outcome: succesvol doorverwezen, niet bereikt, afgezien, doorverwezen naar
  andere hulp (with the kind of help: GGZ, schuldhulp, ...).

Every change writes a status-history row (who, when) and an audit line
(bot.referral.core.record_status / bot.handoff.casework.audit). Feedback text is
checked for medical terms (bot.referral.medical_check) and stored encrypted;
the referrer's organisation gets an outbox notice without personal data.
Labels are Dutch, in bot/referral/labels.yml.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select

from bot.handoff.casework import CLOSED, CaseworkError, audit
from bot.handoff.crypto import Cipher
from bot.handoff.models import (
    STATUS_AFGEROND,
    STATUS_IN_CONTACT,
    STATUS_NIET_BEREIKT,
    STATUS_NIEUW,
    STATUS_OPGEPAKT,
    Coach,
    HandoffRequest,
    OutboxMessage,
    ReferrerOrganisation,
    utcnow,
)
from bot.referral.core import record_status
from bot.referral.medical_check import find_medical

LABELS_FILE = Path(__file__).resolve().parent / "labels.yml"
OUTCOME_SUCCES = "succesvol doorverwezen"
OUTCOME_NIET_BEREIKT = "niet bereikt"
OUTCOME_AFGEZIEN = "afgezien"
OUTCOME_ANDERE_HULP = "doorverwezen naar andere hulp"
OUTCOMES = (OUTCOME_SUCCES, OUTCOME_NIET_BEREIKT, OUTCOME_AFGEZIEN, OUTCOME_ANDERE_HULP)
MAX_CONVERSATIONS = 100
MAX_ACTIVITY_CHARS = 200
MAX_FEEDBACK_CHARS = 1000


@lru_cache(maxsize=1)
def labels() -> dict:
    with open(LABELS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def contact_ways() -> dict[str, str]:
    return labels()["contact_wegen"]


def other_help() -> dict[str, str]:
    return labels()["andere_hulp"]


class MedicalDataError(CaseworkError):
    """The text holds medical data; `words` are what was found."""

    def __init__(self, words: list[str]):
        super().__init__("medische_gegevens")
        self.words = words


def record_first_contact(session, coach: Coach, request: HandoffRequest, when: date, way: str) -> None:
    if way not in contact_ways():
        raise CaseworkError("onbekende_contactweg")
    if when > utcnow().date() or when < request.created_at.date():
        raise CaseworkError("datum_ongeldig")
    request.first_contact_at = datetime.combine(when, time(12, 0))
    request.contact_way = way
    if request.assigned_coach_id is None:
        request.assigned_coach_id = coach.id
    if request.outcome is None:
        request.outcome = OUTCOME_SUCCES  # seeds: reached and taken in behandeling, until told otherwise
    if request.status in (STATUS_NIEUW, STATUS_OPGEPAKT):
        record_status(session, request, STATUS_IN_CONTACT, coach.username, coach.id, detail="eerste contact")
    audit(session, coach, "eerste_contact", request, detail=way)


def record_outcome(
    session,
    coach: Coach,
    request: HandoffRequest,
    outcome: str,
    conversations: int | None = None,
    activity: str | None = None,
    outcome_detail: str | None = None,
) -> None:
    """The coach's outcome; closes the request (afgerond, or niet bereikt)."""
    if outcome not in OUTCOMES:
        raise CaseworkError("onbekende_uitkomst")
    if outcome == OUTCOME_ANDERE_HULP and outcome_detail not in other_help():
        raise CaseworkError("andere_hulp_kiezen")
    if conversations is not None and not 0 <= conversations <= MAX_CONVERSATIONS:
        raise CaseworkError("aantal_gesprekken_ongeldig")
    activity = (activity or "").strip()[:MAX_ACTIVITY_CHARS] or None
    if activity and find_medical(activity):
        raise MedicalDataError(find_medical(activity))
    if outcome == OUTCOME_SUCCES and request.first_contact_at is None:
        raise CaseworkError("eerst_contact_vastleggen")
    request.outcome = outcome
    request.outcome_detail = outcome_detail if outcome == OUTCOME_ANDERE_HULP else None
    request.conversations = conversations
    request.activity = activity
    if request.assigned_coach_id is None:
        request.assigned_coach_id = coach.id
    status = STATUS_NIET_BEREIKT if outcome == OUTCOME_NIET_BEREIKT else STATUS_AFGEROND
    if request.status != status:
        record_status(session, request, status, coach.username, coach.id, detail=f"uitkomst: {outcome}")
    request.closed_at = utcnow() if status in CLOSED else None
    audit(session, coach, "uitkomst", request, detail=outcome)


def write_feedback(session, cipher: Cipher, coach: Coach, request: HandoffRequest, text: str) -> bool:
    """Feedback for the referrer (checked for medical terms, stored encrypted). Returns whether
    a notice to the referrer's organisation was queued."""
    text = (text or "").strip()
    if not text:
        raise CaseworkError("terugkoppeling_leeg")
    if len(text) > MAX_FEEDBACK_CHARS:
        raise CaseworkError("terugkoppeling_te_lang")
    if request.source == "chat" or not request.referrer_org_code:
        raise CaseworkError("geen_verwijzer")
    words = find_medical(text)
    if words:
        raise MedicalDataError(words)
    request.feedback_encrypted = cipher.encrypt(text)
    request.feedback_at = utcnow()
    audit(session, coach, "terugkoppeling", request)
    organisation = session.execute(
        select(ReferrerOrganisation).where(ReferrerOrganisation.code == request.referrer_org_code)
    ).scalar_one_or_none()
    if organisation is None or not organisation.email:
        return False
    number = session.execute(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.request_id == request.id, OutboxMessage.kind.like("terugkoppeling-%")
        )
    ).scalar_one()
    session.add(
        OutboxMessage(
            request_id=request.id,
            channel="email",
            kind=f"terugkoppeling-{number + 1}",
            # No personal data: the reference and where to log in; the recipient is the practice.
            payload={
                "soort": "terugkoppeling",
                "referentie": request.reference_code,
                "recipient": organisation.email,
            },
            next_attempt_at=utcnow(),
        )
    )
    return True


def read_feedback(cipher: Cipher, request: HandoffRequest) -> str | None:
    return cipher.decrypt(request.feedback_encrypted) if request.feedback_encrypted else None
