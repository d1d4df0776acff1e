"""Contact details are collected outside the dialogue (docs/privacy.md).

The channel's Relay calls `process_bot_messages` on every Rasa reply: a
`{"pii_request": ...}` payload makes the intake expect a detail in the
resident's next message. `route_user_message` then keeps that message away
from Rasa: it is validated, encrypted into the draft, and Rasa only gets
`/pii_ontvangen{...}` or `/pii_ongeldig{...}`. A `{"pii_summary": true}`
payload is replaced by the summary rendered from the draft.

Deleting a request by its reference code needs a second factor: a
`{"pii_request": "verificatie", "pii_referentie": code}` payload makes the
intake expect the phone number or e-mail address given with that request. The
answer never reaches Rasa: it is compared with the stored (encrypted) value,
the request is deleted when it matches, and Rasa only gets
`/verificatie_uitkomst{"verificatie": "gewist" | "mislukt" | "te_vaak"}`. An
unknown code and a wrong factor give the same "mislukt". Failed checks are
counted in the audit log (so across processes), per code and per conversation.
"""

from __future__ import annotations

import hmac
import json
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select

from bot.handoff import validation
from bot.handoff.crypto import Cipher, sender_hash
from bot.handoff.db import session_scope
from bot.handoff.models import AuditLogEntry, ContactDraft, HandoffRequest, utcnow
from bot.handoff.store import HandoffStore, normalise_reference_code

HERE = Path(__file__).resolve().parent
PII_FIELDS = ("naam", "contact", "notitie")
VERIFY_FIELD = "verificatie"  # the second factor for deletion by reference code
STATUS_FIELD = "verificatie_status"  # the same second factor for a status lookup by code
VERIFY_FIELDS = (VERIFY_FIELD, STATUS_FIELD)
EXPECTABLE = (*PII_FIELDS, *VERIFY_FIELDS)
VERIFY_FAILED = "wissen_controle_mislukt"  # audit action of a failed second-factor check
VERIFY_WINDOW = timedelta(hours=24)
MAX_FAILED_PER_CODE = 5
MAX_FAILED_PER_CONVERSATION = 3


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    with open(HERE / "intake.yml", encoding="utf-8") as handle:
        return frozenset(w.lower() for w in yaml.safe_load(handle)["stopwoorden"])


@lru_cache(maxsize=1)
def _summary_template():
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=False,
    )
    return env.get_template("inwoner_samenvatting.txt.j2")


def _is_stop(text: str) -> bool:
    return text.strip().lower().rstrip("!.") in _stop_words()


def _is_crisis(text: str) -> bool:
    from bot.safety.crisis import detect  # the safety engineer's lexicon is the source of truth

    return detect(text) is not None


def _intent(name: str, entities: dict) -> str:
    return f"/{name}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}"


def check_second_factor(
    session, cipher: Cipher, code: str, detail_value: str, conversation: str
) -> tuple[str, HandoffRequest | None]:
    """The second factor for a reference code: "ok" (with the request), "mislukt" (an
    unknown code and a wrong factor alike; the failure is written to the audit log) or
    "te_vaak" (too many failures for this code or this conversation within 24 hours).
    Used by the chat (deletion and status lookup) and the web status page."""
    since = utcnow() - VERIFY_WINDOW

    def failures(*where) -> int:
        return session.execute(
            select(func.count(AuditLogEntry.id)).where(
                AuditLogEntry.action == VERIFY_FAILED, AuditLogEntry.at >= since, *where
            )
        ).scalar_one()

    if (
        failures(AuditLogEntry.reference_code == code) >= MAX_FAILED_PER_CODE
        or failures(AuditLogEntry.detail == conversation) >= MAX_FAILED_PER_CONVERSATION
    ):
        return "te_vaak", None
    request = session.execute(
        select(HandoffRequest).where(HandoffRequest.reference_code == code)
    ).scalar_one_or_none()
    stored = cipher.decrypt(request.contact_encrypted) if request and request.contact_encrypted else ""
    # E-mail addresses compare without case ("Anna@Example.org"); phone numbers are digits.
    if stored and hmac.compare_digest(detail_value.casefold().encode(), stored.casefold().encode()):
        return "ok", request
    session.add(
        AuditLogEntry(
            actor="inwoner", action=VERIFY_FAILED, reference_code=code[:16], detail=conversation[:500]
        )
    )
    return "mislukt", None


def record_status_lookup(session, request: HandoffRequest) -> None:
    session.add(
        AuditLogEntry(
            actor="inwoner",
            action="status_opgevraagd",
            request_id=request.id,
            reference_code=request.reference_code,
        )
    )


class ContactIntake:
    def __init__(self, settings):
        self.database_url = settings.database_url
        self.secret_key = settings.secret_key
        self.cipher = Cipher(settings.fernet_keys)
        self._channels: dict[str, str] = {}

    def _digest(self, sender_id: str) -> str:
        return sender_hash(self.secret_key, sender_id)

    def route_user_message(self, sender_id: str, text: str, channel: str) -> str:
        self._channels[sender_id] = channel
        with session_scope(self.database_url) as session:
            draft = session.execute(
                select(ContactDraft).where(ContactDraft.sender_hash == self._digest(sender_id))
            ).scalar_one_or_none()
            if draft is None or draft.expected_field not in EXPECTABLE:
                return text
            field = draft.expected_field
            # A button payload, a stop, or a message in crisis: the dialogue handles it.
            if text.strip().startswith("/") or _is_stop(text) or _is_crisis(text):
                draft.expected_field = None
                return text
            if field in VERIFY_FIELDS:
                return self._verify_deletion(session, draft, text, status=field == STATUS_FIELD)
            if self._store_detail(draft, field, text):
                draft.expected_field = None
                draft.invalid_attempts = 0
                entities = {"pii_veld": field}
                if field == "contact":
                    entities["contact_route"] = draft.contact_route
                return _intent("pii_ontvangen", entities)
            # Still expected: Rasa explains, offers to skip or stop, and gives up in the end.
            draft.invalid_attempts += 1
            return _intent("pii_ongeldig", {"pii_veld": field, "pii_pogingen": draft.invalid_attempts})

    def has_draft(self, sender_id: str) -> bool:
        """Whether a hand-off form of this conversation has started collecting details."""
        with session_scope(self.database_url) as session:
            return (
                session.execute(
                    select(ContactDraft.id).where(ContactDraft.sender_hash == self._digest(sender_id))
                ).first()
                is not None
            )

    def _verify_deletion(self, session, draft: ContactDraft, text: str, status: bool = False) -> str:
        """Check the second factor for the code in `draft.expected_route`; delete on a match
        (or, with `status`, tell the request's status: `{"verificatie": "status:<status>"}`;
        an unknown code and a wrong factor both give "status_mislukt")."""
        code = normalise_reference_code(draft.expected_route or "")
        detail = validation.contact_detail(text)
        draft.expected_field = None
        draft.expected_route = None
        if not (draft.name_encrypted or draft.contact_encrypted or draft.note_encrypted):
            session.delete(draft)  # the draft only carried this expectation
        if detail is None:
            return text  # not a phone number or e-mail address: ordinary conversation again
        found, request = check_second_factor(
            session, self.cipher, code, detail.value, f"gesprek:{draft.sender_hash}"
        )
        if found == "te_vaak":
            return _intent("verificatie_uitkomst", {"verificatie": "te_vaak"})
        if found == "ok":
            if status:
                record_status_lookup(session, request)
                return _intent("verificatie_uitkomst", {"verificatie": f"status:{request.status}"})
            HandoffStore._delete_request(session, request)
            return _intent("verificatie_uitkomst", {"verificatie": "gewist"})
        return _intent("verificatie_uitkomst", {"verificatie": "status_mislukt" if status else "mislukt"})

    def _store_detail(self, draft: ContactDraft, field: str, text: str) -> bool:
        if field == "naam":
            value = validation.person_name(text)
            if value:
                draft.name_encrypted = self.cipher.encrypt(value)
            return bool(value)
        if field == "contact":
            detail = validation.contact_detail(text)  # lenient: either route is fine
            if detail:
                draft.contact_encrypted = self.cipher.encrypt(detail.value)
                draft.contact_route = detail.route
            return bool(detail)
        value = validation.note(text)
        if value:
            draft.note_encrypted = self.cipher.encrypt(value)
        return bool(value)

    def process_bot_messages(self, sender_id: str, messages: list[dict]) -> list[dict]:
        """Record a detail request, render the summary, strip internal payloads.

        A reply without a detail request ends any earlier expectation: the
        next message is ordinary conversation again.
        """
        requested = [
            m["custom"]["pii_request"]
            for m in messages
            if isinstance(m.get("custom"), dict) and m["custom"].get("pii_request") in EXPECTABLE
        ]
        if not requested:
            self._stop_expecting(sender_id)
        out: list[dict] = []
        for message in messages:
            custom = message.get("custom")
            if not isinstance(custom, dict) or not any(k.startswith("pii_") for k in custom):
                out.append(message)
                continue
            if custom.get("pii_request") in PII_FIELDS:
                self._expect(sender_id, custom["pii_request"], custom.get("contact_route"))
            elif custom.get("pii_request") in VERIFY_FIELDS and custom.get("pii_referentie"):
                code = normalise_reference_code(str(custom["pii_referentie"]))
                self._expect(sender_id, custom["pii_request"], code)
            if custom.get("pii_summary"):
                out.append(
                    {
                        "recipient_id": message.get("recipient_id", sender_id),
                        "text": self._summary(sender_id, custom),
                    }
                )
            rest = {
                k: v
                for k, v in custom.items()
                if not k.startswith("pii_")
                and k != "contact_route"
                and not (custom.get("pii_summary") and k in ("moment", "team"))
            }
            if rest:
                out.append({**message, "custom": rest})
        return out

    def _stop_expecting(self, sender_id: str) -> None:
        with session_scope(self.database_url) as session:
            draft = session.execute(
                select(ContactDraft).where(ContactDraft.sender_hash == self._digest(sender_id))
            ).scalar_one_or_none()
            if draft is not None and draft.expected_field is not None:
                draft.expected_field = None
                draft.invalid_attempts = 0

    def _expect(self, sender_id: str, field: str, route: str | None) -> None:
        digest = self._digest(sender_id)
        with session_scope(self.database_url) as session:
            draft = session.execute(
                select(ContactDraft).where(ContactDraft.sender_hash == digest)
            ).scalar_one_or_none()
            if draft is None:
                draft = ContactDraft(sender_hash=digest, channel=self._channels.get(sender_id, "web"))
                session.add(draft)
            if draft.expected_field != field:
                draft.invalid_attempts = 0
            draft.expected_field = field
            if field in VERIFY_FIELDS:
                draft.expected_route = route  # the reference code the second factor is for
            else:
                draft.expected_route = route if route in ("telefoon", "email") else None

    def _summary(self, sender_id: str, custom: dict) -> str:
        with session_scope(self.database_url) as session:
            draft = session.execute(
                select(ContactDraft).where(ContactDraft.sender_hash == self._digest(sender_id))
            ).scalar_one_or_none()
            values = {
                "naam": self.cipher.decrypt(draft.name_encrypted) if draft else None,
                "contact": self.cipher.decrypt(draft.contact_encrypted) if draft else None,
                "route": draft.contact_route if draft else None,
                "notitie": self.cipher.decrypt(draft.note_encrypted) if draft else None,
            }
        return (
            _summary_template().render(**values, moment=custom.get("moment"), team=custom.get("team")).strip()
        )
