"""Outbox on a real SQLite database: lease, retries with backoff, failure state."""
from datetime import timedelta

from coach_testdata import add_request, add_team, make_settings

from bot.handoff import outbox
from bot.handoff.db import make_engine, session_scope
from bot.handoff.models import OutboxMessage, utcnow

POLICY = outbox.OutboxPolicy(lease=timedelta(seconds=60), base_delay=timedelta(seconds=30),
                             max_delay=timedelta(minutes=10), max_attempts=3)


def _queued(settings, channels=("email",)):
    """Outbox rows as bot.handoff.store writes them with the request."""
    team_id = add_team(settings, email="team@example.org", telegram="-100")
    request_id, _ref = add_request(settings, team_id)
    with session_scope(settings.database_url) as session:
        rows = [OutboxMessage(request_id=request_id, channel=c, payload={}, next_attempt_at=utcnow())
                for c in channels]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def test_only_one_sender_gets_the_lease(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    [outbox_id] = _queued(settings)
    engine = make_engine(settings.database_url)
    assert outbox.claim(engine, "sender-a", POLICY) == [outbox_id]
    assert outbox.claim(engine, "sender-b", POLICY) == []
    # Only the lease owner can mark it delivered.
    assert not outbox.mark_delivered(engine, outbox_id, "sender-b")
    assert outbox.mark_delivered(engine, outbox_id, "sender-a")
    assert outbox.claim(engine, "sender-b", POLICY, now=utcnow() + timedelta(hours=5)) == []


def test_expired_lease_can_be_taken_over(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    [outbox_id] = _queued(settings)
    engine = make_engine(settings.database_url)
    assert outbox.claim(engine, "crashed", POLICY) == [outbox_id]
    later = utcnow() + POLICY.lease + timedelta(seconds=1)
    assert outbox.claim(engine, "restarted", POLICY, now=later) == [outbox_id]
    assert not outbox.mark_delivered(engine, outbox_id, "crashed")  # lost its lease
    assert outbox.mark_delivered(engine, outbox_id, "restarted")


def test_failures_back_off_exponentially_then_give_up(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    [outbox_id] = _queued(settings)
    engine = make_engine(settings.database_url)
    now = utcnow()
    delays = []
    for attempt in range(1, 4):
        assert outbox.claim(engine, "s", POLICY, now=now) == [outbox_id]
        state = outbox.mark_failed(engine, outbox_id, "s", "451 later", POLICY, now=now)
        with session_scope(settings.database_url) as session:
            row = session.get(OutboxMessage, outbox_id)
            delays.append(row.next_attempt_at - now)
            assert row.attempts == attempt and row.last_error == "451 later"
        assert outbox.claim(engine, "s", POLICY, now=now) == []  # not due yet
        now = row.next_attempt_at
    assert delays[:2] == [timedelta(seconds=30), timedelta(seconds=60)]
    assert state == "failed"
    assert outbox.claim(engine, "s", POLICY, now=now + timedelta(days=1)) == []
    with session_scope(settings.database_url) as session:
        assert outbox.retry(session, outbox_id)
    assert outbox.claim(engine, "s", POLICY, now=utcnow() + timedelta(seconds=1)) == [outbox_id]


def test_permanent_failure_stops_at_once(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    [outbox_id] = _queued(settings)
    engine = make_engine(settings.database_url)
    outbox.claim(engine, "s", POLICY)
    assert outbox.mark_failed(engine, outbox_id, "s", "no such chat", POLICY, permanent=True) == "failed"


def test_backoff_is_capped():
    assert POLICY.backoff(1) == timedelta(seconds=30)
    assert POLICY.backoff(4) == timedelta(seconds=240)
    assert POLICY.backoff(30) == timedelta(minutes=10)


def test_overview_is_scoped_to_a_team(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    _queued(settings)
    other_team = add_team(settings, code="meerwaarde", naam="MeerWaarde", email="mw@example.org")
    with session_scope(settings.database_url) as session:
        assert len(outbox.overview(session)) == 1
        assert outbox.overview(session, team_id=other_team) == []


def test_release_gives_unattempted_rows_back_at_once(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    ids = _queued(settings, channels=("email", "telegram"))
    engine = make_engine(settings.database_url)
    assert sorted(outbox.claim(engine, "stopping", POLICY)) == sorted(ids)
    outbox.release(engine, ids, "someone-else")  # not the owner: no effect
    assert outbox.claim(engine, "other", POLICY) == []
    outbox.release(engine, ids, "stopping")
    assert sorted(outbox.claim(engine, "other", POLICY)) == sorted(ids)
    with session_scope(settings.database_url) as session:
        assert [session.get(OutboxMessage, i).attempts for i in ids] == [1, 1]
