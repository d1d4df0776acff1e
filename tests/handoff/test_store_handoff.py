"""The hand-off store on a real SQLite file: consent, idempotent submit, outbox, deletion."""
from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.handoff.crypto import Cipher, rotate
from bot.handoff.db import migrate, session_scope
from bot.handoff.models import (
    ConsentRecord,
    ContactDraft,
    HandoffRequest,
    OutboxMessage,
    StatusChange,
)
from bot.handoff.store import HandoffError, HandoffStore, RequestContext, normalise_reference_code
from bot.settings import Settings

CONTEXT = RequestContext(gemeente_code="GM0402", gemeente_naam="Hilversum", themes=["eenzaamheid"],
                         activities_shown=["act-1", "act-2"], preferred_moment="ochtend")


@pytest.fixture()
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("WW_DATABASE_URL", f"sqlite:///{tmp_path / 'ww.db'}")
    monkeypatch.setenv("WW_FERNET_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("WW_SMTP_HOST", "127.0.0.1")
    settings = Settings.from_env()
    migrate(settings.database_url)
    return settings


def fill_draft(settings, sender="s1", name="Anna", contact="0612345678", note=None):
    store = HandoffStore.from_settings(settings)
    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as session:
        session.add(ContactDraft(
            sender_hash=store.sender_hash(sender), channel="web", contact_route="telefoon",
            name_encrypted=cipher.encrypt(name), contact_encrypted=cipher.encrypt(contact),
            note_encrypted=cipher.encrypt(note) if note else None,
        ))
    return store


def count(settings, model):
    with session_scope(settings.database_url) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_submit_without_consent_stores_nothing(settings):
    store = fill_draft(settings)
    with pytest.raises(HandoffError) as error:
        store.submit("s1", CONTEXT)
    assert error.value.reason == "no_consent"
    assert count(settings, HandoffRequest) == 0


def test_submit_creates_request_history_consent_link_and_outbox_in_one_go(settings):
    store = fill_draft(settings, note="Ik woon alleen")
    store.record_consent("s1", "web", "v1", "a" * 64)
    result = store.submit("s1", CONTEXT)
    assert result.created and result.reference_code.startswith("WW-") and len(result.reference_code) == 9
    assert result.team_naam == "Welzijnscoaches Versa Welzijn"
    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as session:
        request = session.execute(select(HandoffRequest)).scalar_one()
        assert cipher.decrypt(request.name_encrypted) == "Anna"
        assert cipher.decrypt(request.contact_encrypted) == "0612345678"
        assert cipher.decrypt(request.note_encrypted) == "Ik woon alleen"
        assert request.themes == ["eenzaamheid"] and request.activities_shown == ["act-1", "act-2"]
        assert request.status == "nieuw" and request.team.code == "versa-welzijn"
        assert (request.contact_deadline - request.created_at).days == 14
        consent = session.execute(select(ConsentRecord)).scalar_one()
        assert (consent.request_id, consent.text_version, consent.channel) == (request.id, "v1", "web")
        outbox = session.execute(select(OutboxMessage)).scalars().all()
        assert [o.channel for o in outbox] == ["email"]
        assert outbox[0].payload["referentie"] == request.reference_code
        assert "Anna" not in str(outbox[0].payload) and "0612345678" not in str(outbox[0].payload)
    assert count(settings, StatusChange) == 1
    assert count(settings, ContactDraft) == 0  # the draft is used up


def test_double_confirmation_gives_one_request(settings):
    store = fill_draft(settings)
    store.record_consent("s1", "web", "v1", "a" * 64)
    first = store.submit("s1", CONTEXT)
    second = store.submit("s1", CONTEXT)
    assert second.reference_code == first.reference_code and not second.created
    assert count(settings, HandoffRequest) == 1 and count(settings, OutboxMessage) == 1


def test_incomplete_draft_is_refused(settings):
    store = fill_draft(settings)
    store.record_consent("s1", "web", "v1", "a" * 64)
    with pytest.raises(HandoffError) as error:
        store.submit("s1", replace(CONTEXT, preferred_moment=""))
    assert error.value.reason == "incomplete"


def test_failed_storage_leaves_nothing_behind(settings):
    store = fill_draft(settings)
    store.record_consent("s1", "web", "v1", "a" * 64)
    store.channels = ["email", "email"]  # violates the outbox's unique (request, channel)
    with pytest.raises(IntegrityError):
        store.submit("s1", CONTEXT)
    assert count(settings, HandoffRequest) == 0 and count(settings, OutboxMessage) == 0
    assert count(settings, ContactDraft) == 1  # nothing was lost either


def test_unknown_gemeente_goes_to_default_team(settings):
    store = fill_draft(settings)
    store.record_consent("s1", "web", "v1", "a" * 64)
    result = store.submit("s1", replace(CONTEXT, gemeente_code="GM0546", gemeente_naam="Leiden"))
    assert result.team_naam == "Welzijnscoaches Zuid-Holland Noord (regioteam)"


def test_delete_by_reference_and_by_sender(settings):
    store = fill_draft(settings, sender="s1")
    store.record_consent("s1", "web", "v1", "a" * 64)
    first = store.submit("s1", CONTEXT)
    fill_draft(settings, sender="s2", name="Bert")
    store.record_consent("s2", "telegram", "v1", "b" * 64)
    store.submit("s2", CONTEXT)
    assert store.delete_by_reference(first.reference_code.lower().replace("-", " ")) is True
    assert store.delete_by_reference(first.reference_code) is False
    assert count(settings, HandoffRequest) == 1 and count(settings, ConsentRecord) == 1
    assert store.has_data_for_sender("s2")
    assert store.delete_for_sender("s2")
    assert not store.has_data_for_sender("s2")
    for model in (HandoffRequest, ConsentRecord, OutboxMessage, StatusChange, ContactDraft):
        assert count(settings, model) == 0


def test_forget_draft_keeps_confirmed_consent(settings):
    store = fill_draft(settings)
    store.record_consent("s1", "web", "v1", "a" * 64)
    store.submit("s1", CONTEXT)
    fill_draft(settings)
    store.record_consent("s1", "web", "v1", "a" * 64)
    store.forget_draft("s1")
    assert count(settings, ContactDraft) == 0 and count(settings, ConsentRecord) == 1


def test_key_rotation_reencrypts_with_the_newest_key(settings):
    store = fill_draft(settings, note="notitie")
    store.record_consent("s1", "web", "v1", "a" * 64)
    store.submit("s1", CONTEXT)
    old_key, new_key = settings.fernet_keys[0], Fernet.generate_key().decode()
    both = Cipher([new_key, old_key])
    with session_scope(settings.database_url) as session:
        assert rotate(session, both) == 3
    with session_scope(settings.database_url) as session:
        request = session.execute(select(HandoffRequest)).scalar_one()
        assert Cipher([new_key]).decrypt(request.contact_encrypted) == "0612345678"


def test_reference_code_normalisation():
    assert normalise_reference_code(" ww-ab23cd ") == "WW-AB23CD"
    assert normalise_reference_code("WWAB23CD") == "WW-AB23CD"
