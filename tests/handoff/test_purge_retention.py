"""Retention purge on a real hand-off database and a real Rasa SQL tracker store (SQLite)."""
import asyncio
import time

from coach_testdata import add_coach, add_request, add_team, days_ago, make_settings
from sqlalchemy import select

from bot.handoff.crypto import Cipher
from bot.handoff.db import session_scope
from bot.handoff.models import AuditLogEntry, ContactDraft, HandoffRequest, InternalNote
from bot.handoff.purge import RetentionPolicy, purge_all


def _tracker_store(path):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))


def _conversation(store, sender_id, age_days):
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    moment = time.time() - age_days * 86400
    tracker = DialogueStateTracker.from_events(sender_id, [
        ActionExecuted("action_listen", timestamp=moment), UserUttered("hallo", timestamp=moment + 1)])
    asyncio.run(store.save(tracker))


def test_contact_details_go_n_days_after_closing(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    coach = add_coach(settings, team, "anna", "wachtwoord-voor-test")
    old_id, old_ref = add_request(settings, team, status="afgerond", closed=days_ago(91),
                                  created=days_ago(120), outcome="succesvol doorverwezen", note="notitie")
    recent_id, _ = add_request(settings, team, status="afgerond", closed=days_ago(10))
    open_id, _ = add_request(settings, team, created=days_ago(200))
    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as db:
        db.add(InternalNote(request_id=old_id, coach_id=coach, text_encrypted=cipher.encrypt("gebeld")))
        db.add(ContactDraft(sender_hash="verlaten", channel="web", name_encrypted=cipher.encrypt("X"),
                            created_at=days_ago(3), updated_at=days_ago(3)))
        db.add(ContactDraft(sender_hash="bezig", channel="web", name_encrypted=cipher.encrypt("Y")))

    report = purge_all(settings, RetentionPolicy(contact_days=90, tracker_db=None))

    assert (report.contact_details, report.drafts, report.conversations) == (1, 1, 0)
    with session_scope(settings.database_url) as db:
        old = db.get(HandoffRequest, old_id)
        assert old.name_encrypted is None and old.contact_encrypted is None and old.note_encrypted is None
        assert old.contact_purged_at is not None
        # What the statistics need stays.
        assert (old.reference_code, old.gemeente_code, old.themes, old.outcome) == (
            old_ref, "GM0402", ["eenzaamheid"], "succesvol doorverwezen")
        assert db.execute(select(InternalNote)).first() is None
        assert db.get(HandoffRequest, recent_id).contact_encrypted is not None
        assert db.get(HandoffRequest, open_id).contact_encrypted is not None
        assert [d.sender_hash for d in db.execute(select(ContactDraft)).scalars()] == ["bezig"]
        [entry] = db.execute(select(AuditLogEntry)).scalars().all()
        assert (entry.action, entry.reference_code) == ("bewaartermijn_verwijderd", old_ref)
        assert entry.actor == "systeem"
    again = purge_all(settings, RetentionPolicy(contact_days=90, tracker_db=None))
    assert again.contact_details == 0  # idempotent


def test_old_rasa_conversations_are_deleted_whole(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    tracker_db = tmp_path / "rasa_tracker.db"
    store = _tracker_store(tracker_db)
    _conversation(store, "oud-gesprek", age_days=45)
    _conversation(store, "recent-gesprek", age_days=2)

    report = purge_all(settings, RetentionPolicy(tracker_days=30, tracker_db=tracker_db))

    assert report.conversations == 1
    fresh_store = _tracker_store(tracker_db)
    assert asyncio.run(fresh_store.retrieve("oud-gesprek")) is None
    kept = asyncio.run(fresh_store.retrieve("recent-gesprek"))
    assert kept is not None and kept.latest_message.text == "hallo"


def test_policy_reads_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("WW_TRACKER_DB", raising=False)
    default = make_settings(tmp_path, monkeypatch)
    assert RetentionPolicy.from_env(default).tracker_db == default.var_dir / "rasa_tracker.db"
    monkeypatch.setenv("WW_RETENTION_DAYS", "7")
    monkeypatch.setenv("WW_RETENTION_TRACKER_DAYS", "3")
    monkeypatch.setenv("WW_TRACKER_DB", str(tmp_path / "t.db"))
    policy = RetentionPolicy.from_env(make_settings(tmp_path, monkeypatch))
    assert (policy.contact_days, policy.tracker_days, policy.tracker_db) == (7, 3, tmp_path / "t.db")


def test_missing_tracker_database_is_not_an_error(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    report = purge_all(settings, RetentionPolicy(tracker_db=tmp_path / "bestaat-niet.db"))
    assert report.conversations == 0 and not (tmp_path / "bestaat-niet.db").exists()
