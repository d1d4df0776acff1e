"""Hand-off requests: record consent, submit a confirmed request, delete on request.

`submit` is idempotent: the request is keyed on the consent it was given
under, so a double "ja" (or a retried action call) returns the same request.
The request, its first status, and its outbox rows are written in ONE
transaction; the caller may only say "verstuurd" after `submit` returned.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.handoff.crypto import Cipher, sender_hash
from bot.handoff.db import configure_engines, session_scope
from bot.handoff.models import (
    AuditLogEntry,
    ConsentRecord,
    ContactDraft,
    HandoffRequest,
)
from bot.handoff.reference import REFERENCE_ALPHABET, REFERENCE_PREFIX
from bot.handoff.routing import TeamRouting
from bot.referral.core import SOURCE_CHAT, NewReferral, SealedContact, open_referral


class HandoffError(Exception):
    """The request cannot be made; `reason` names why (no_consent, incomplete)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RequestContext:
    """What the conversation knows (no personal data)."""

    gemeente_code: str | None
    gemeente_naam: str | None
    themes: list[str] = field(default_factory=list)
    activities_shown: list[str] = field(default_factory=list)
    preferred_moment: str = ""


@dataclass(frozen=True)
class Submitted:
    reference_code: str
    team_naam: str
    created: bool  # False when this was a repeated confirmation


def new_reference_code() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def normalise_reference_code(text: str) -> str:
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    code = code.removeprefix("WW")
    return REFERENCE_PREFIX + code


def notify_channels(settings) -> list[str]:
    channels = []
    if settings.smtp_host:
        channels.append("email")
    if settings.telegram_bot_token:
        channels.append("telegram")
    return channels


class HandoffStore:
    def __init__(
        self,
        database_url: str,
        cipher: Cipher,
        secret_key: str,
        routing: TeamRouting | None = None,
        channels: list[str] | None = None,
    ):
        self.database_url = database_url
        self.cipher = cipher
        self.secret_key = secret_key
        self.routing = routing or TeamRouting.load()
        self.channels = list(channels or [])

    @classmethod
    def from_settings(cls, settings) -> HandoffStore:
        configure_engines(settings.engine_options)
        return cls(
            settings.database_url,
            Cipher(settings.fernet_keys),
            settings.secret_key,
            routing=TeamRouting.load(settings.teams_file),
            channels=notify_channels(settings),
        )

    def sender_hash(self, sender_id: str) -> str:
        return sender_hash(self.secret_key, sender_id)

    def record_consent(self, sender_id: str, channel: str, text_version: str, text_hash: str) -> None:
        """Consent as given: the version and SHA-256 of the exact text shown (bot.handoff.consent)."""
        with session_scope(self.database_url) as session:
            session.add(
                ConsentRecord(
                    sender_hash=self.sender_hash(sender_id),
                    text_version=text_version,
                    text_hash=text_hash,
                    channel=channel,
                )
            )

    def submit(self, sender_id: str, context: RequestContext) -> Submitted:
        digest = self.sender_hash(sender_id)
        try:
            return self._submit(digest, context)
        except IntegrityError:
            # A concurrent confirmation of the same consent won the race.
            return self._submit(digest, context)

    def _submit(self, digest: str, context: RequestContext) -> Submitted:
        with session_scope(self.database_url) as session:
            consent = session.execute(
                select(ConsentRecord)
                .where(ConsentRecord.sender_hash == digest)
                .order_by(ConsentRecord.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if consent is None:
                raise HandoffError("no_consent")
            if consent.request_id is not None:
                existing = session.get(HandoffRequest, consent.request_id)
                return Submitted(existing.reference_code, existing.team_naam, created=False)
            draft = session.execute(
                select(ContactDraft).where(ContactDraft.sender_hash == digest)
            ).scalar_one_or_none()
            if draft is None or not (
                draft.name_encrypted
                and draft.contact_encrypted
                and draft.contact_route
                and context.preferred_moment
            ):
                raise HandoffError("incomplete")
            # The chat intake is an adapter on the one referral core (bot.referral.core).
            opened = open_referral(
                session,
                NewReferral(
                    source=SOURCE_CHAT,
                    actor="inwoner",
                    idempotency_key=f"consent-{consent.id}",
                    sender_hash=digest,
                    channel=draft.channel,
                    contact=SealedContact(
                        name_encrypted=draft.name_encrypted,
                        contact_encrypted=draft.contact_encrypted,
                        contact_route=draft.contact_route,
                        note_encrypted=draft.note_encrypted,
                    ),
                    preferred_moment=context.preferred_moment,
                    gemeente_code=context.gemeente_code,
                    gemeente_naam=context.gemeente_naam,
                    themes=list(context.themes),
                    activities_shown=list(context.activities_shown),
                ),
                consent,
                self.routing,
                self.channels,
            )
            request = opened.request
            session.delete(draft)
            return Submitted(request.reference_code, request.team_naam, created=True)

    @staticmethod
    def _free_reference_code(session) -> str:
        while True:
            code = new_reference_code()
            taken = session.execute(
                select(HandoffRequest.id).where(HandoffRequest.reference_code == code)
            ).first()
            if not taken:
                return code

    def forget_draft(self, sender_id: str) -> None:
        """The resident stopped or said no: drop the draft and unused consent."""
        digest = self.sender_hash(sender_id)
        with session_scope(self.database_url) as session:
            session.execute(delete(ContactDraft).where(ContactDraft.sender_hash == digest))
            session.execute(
                delete(ConsentRecord).where(
                    ConsentRecord.sender_hash == digest, ConsentRecord.request_id.is_(None)
                )
            )

    def has_data_for_sender(self, sender_id: str) -> bool:
        digest = self.sender_hash(sender_id)
        with session_scope(self.database_url) as session:
            for model in (HandoffRequest, ContactDraft, ConsentRecord):
                if session.execute(select(model.id).where(model.sender_hash == digest).limit(1)).first():
                    return True
        return False

    def delete_for_sender(self, sender_id: str) -> list[str]:
        """Delete everything this conversation left: requests, consent, drafts."""
        digest = self.sender_hash(sender_id)
        with session_scope(self.database_url) as session:
            requests = (
                session.execute(select(HandoffRequest).where(HandoffRequest.sender_hash == digest))
                .scalars()
                .all()
            )
            codes = [self._delete_request(session, r) for r in requests]
            session.execute(delete(ContactDraft).where(ContactDraft.sender_hash == digest))
            session.execute(delete(ConsentRecord).where(ConsentRecord.sender_hash == digest))
        return codes

    def delete_by_reference(self, reference_code: str) -> bool:
        code = normalise_reference_code(reference_code)
        with session_scope(self.database_url) as session:
            request = session.execute(
                select(HandoffRequest).where(HandoffRequest.reference_code == code)
            ).scalar_one_or_none()
            if request is None:
                return False
            self._delete_request(session, request)
            return True

    @staticmethod
    def _delete_request(session, request: HandoffRequest) -> str:
        code = request.reference_code
        session.execute(delete(ConsentRecord).where(ConsentRecord.request_id == request.id))
        session.add(
            AuditLogEntry(
                actor="inwoner", action="verwijderd_op_verzoek", request_id=request.id, reference_code=code
            )
        )
        session.delete(request)  # history, notes and outbox go with it (cascade)
        return code
