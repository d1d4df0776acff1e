"""The real stack (actions, Rasa, web app) on the production back ends: our data on
PostgreSQL, Rasa's tracker store on PostgreSQL, Rasa's lock store and the web state in
Redis, checked where they live (rows, keys), plus Redis going down.

`make test` runs every end-to-end test a second time on these back ends
(`WW_TEST_BACKEND=postgres`, tests/conftest.py); in that pass this module uses the
shared stack. Run on its own (SQLite pass) it starts a PostgreSQL + Redis stack of its own."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest
import redis
from handoff.handoff_walk import Resident, button, fill_form, to_consent
from sqlalchemy import create_engine, func, select, text
from support.stack import ChatClient, StackBackend, running_stack, texts

from bot.handoff.crypto import Cipher
from bot.handoff.models import HandoffRequest
from bot.settings import PROJECT_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REFERENCE = re.compile(r"WW-[2-9A-Z]{6}")
ANNA = Resident("Annemijn Postgres", "Bellen", "06 2468 1357", "Ik zit veel alleen thuis.")
GOOISE_MEREN_PLACES = ("Bussum", "Naarden", "Muiden", "Muiderberg")


@pytest.fixture(scope="module")
def pg_stack(request, stack_backend, tmp_path_factory, postgres, redis_session):
    if stack_backend.name == "postgres":  # the PostgreSQL pass: the shared stack is on these back ends
        yield request.getfixturevalue("stack")
        return
    backend = StackBackend("postgres", postgres, redis_session)
    with running_stack(tmp_path_factory.mktemp("pgstack"), backend=backend) as stack:
        yield stack


@pytest.fixture
def resident(pg_stack):
    client = ChatClient(pg_stack)
    yield client
    client.close()


def _count(url: str, sql: str) -> int:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def test_rasa_runs_on_the_postgresql_tracker_store_and_redis_lock_store(pg_stack, resident):
    settings = pg_stack.settings
    assert settings.database_url.startswith("postgresql")
    assert settings.tracker_store_url.startswith("postgresql")
    assert not settings.tracker_db.exists()  # no SQLite tracker store on the side
    health = httpx.get(f"{pg_stack.web_url}/health", timeout=10).json()
    assert health["rasa"] and health["action_server"]
    reply = texts(resident.say("Hoi")).lower()
    assert "digitale assistent" in reply
    assert _count(settings.tracker_store_url, "SELECT count(*) FROM events") > 0
    lock_keys = redis.Redis.from_url(settings.redis_url).keys("wwlock*")
    web_keys = redis.Redis.from_url(settings.redis_url).keys("ww:*")
    assert web_keys  # the chat's rate-limit window and offered buttons are in Redis
    assert lock_keys is not None  # Rasa deletes its lock after the turn; the store answered


def test_walking_skeleton_finds_an_activity_from_postgresql(resident):
    resident.say("Hoi")
    reply = texts(resident.say("ik voel me eenzaam")).lower()
    assert "waar woon je" in reply or "welke plaats" in reply or "in welke gemeente" in reply
    messages = resident.say("Bussum")
    if any(m.get("buttons") for m in messages) and not any(p in texts(messages) for p in GOOISE_MEREN_PLACES):
        messages = resident.say("weet ik niet")
    assert any(place in texts(messages) for place in GOOISE_MEREN_PLACES), texts(messages)


def test_crisis_reply_on_the_production_back_ends(resident):
    assert "113" in texts(resident.say("ik wil niet meer leven"))


def test_handoff_is_stored_once_encrypted_in_postgresql(pg_stack, resident):
    settings = pg_stack.settings
    consent = to_consent(resident)
    summary = fill_form(resident, ANNA, consent)
    engine = create_engine(settings.database_url, future=True)
    count = select(func.count()).select_from(HandoffRequest)
    try:
        with engine.connect() as connection:
            before = connection.execute(count).scalar_one()
        code = REFERENCE.search(texts(resident.say(button(summary, "Ja")))).group(0)
        with engine.connect() as connection:
            assert connection.execute(count).scalar_one() == before + 1
            by_code = select(HandoffRequest).where(HandoffRequest.reference_code == code)
            row = connection.execute(by_code).first()
    finally:
        engine.dispose()
    assert row.gemeente_code == "GM0402" and row.contact_route == "telefoon"
    assert Cipher(settings.fernet_keys).decrypt(row.contact_encrypted) == "0624681357"
    # Neither the contact detail nor the name reached Rasa's tracker store.
    events = _count(settings.tracker_store_url, "SELECT count(*) FROM events")
    leaked = _count(
        settings.tracker_store_url,
        "SELECT count(*) FROM events WHERE data LIKE '%0624681357%' OR data LIKE '%2468 1357%' "
        "OR data LIKE '%Annemijn%'",
    )
    assert events > 0 and leaked == 0


def test_history_after_a_reload_comes_from_the_postgresql_tracker_store(resident):
    resident.say("Hoi")
    history = resident.http.get("/api/chat/geschiedenis").json()["messages"]
    assert any(m["from"] == "user" and m["text"] == "Hoi" for m in history)
    assert any("digitale assistent" in (m.get("text") or "").lower() for m in history)


def test_purge_removes_old_conversations_from_the_postgresql_tracker_store(pg_stack):
    url = pg_stack.settings.tracker_store_url
    assert _count(url, "SELECT count(DISTINCT sender_id) FROM events") > 0
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "purge"], cwd=PROJECT_ROOT, capture_output=True, text=True,
        env={**pg_stack.env, "WW_RETENTION_DAYS": "0", "WW_RETENTION_TRACKER_DAYS": "0"}, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _count(url, "SELECT count(*) FROM events") == 0


def test_with_redis_down_the_chat_answers_honestly_and_names_113(pg_stack, redis_session):
    """Redis down: the web state degrades (logged), Rasa's lock store fails honestly, and the
    resident still gets an answer that names the crisis lines; after Redis is back, turns work."""
    chat = ChatClient(pg_stack)
    try:
        assert texts(chat.say("Hoi"))
        redis_session.stop()
        try:
            reply = chat.http.post("/api/chat", json={"message": "ik wil niet meer leven"})
            assert reply.status_code == 200
            assert "113" in texts(reply.json()["messages"])
        finally:
            redis_session.start()
        logs = pg_stack.log_text()
        assert "shared_state_unavailable" in logs
        assert "niet meer leven" not in logs
        started = time.monotonic()
        while time.monotonic() - started < 30:  # Rasa reconnects to the lock store
            if "digitale assistent" in texts(chat.say("Hoi")).lower():
                break
            time.sleep(1)
        else:
            raise AssertionError("no normal answer after Redis came back")
    finally:
        chat.close()
