"""Rasa's tracker store on a real PostgreSQL, with bot.rasa_server's watch installed:
a failing store is visible (health report, an error log line without message text),
a read failure fails the turn instead of starting an empty conversation, and the
engine has a statement timeout, a bounded pool and pre-ping (no mocks: the database
is made to refuse connections)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from types import SimpleNamespace

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from bot.rasa_endpoints import endpoints_file, rasa_environment
from bot.settings import EngineOptions, Settings

pytestmark = [pytest.mark.slow, pytest.mark.scale]

SECRET_TEXT = "mijn buurman heet Zwaluwstaart"


def _admin(url: str):
    parsed = make_url(url)
    connection = psycopg2.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname="postgres")
    connection.autocommit = True
    return connection, parsed.database


def _refuse_connections(url: str, refuse: bool) -> None:
    connection, database = _admin(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"false" if refuse else "true"}')
            if refuse:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,)
                )
    finally:
        connection.close()


@pytest.fixture
def rasa_stores(tmp_path, monkeypatch, postgres):
    """A FailSafeTrackerStore around the SQL tracker store Rasa builds from our endpoints file."""
    import bot.rasa_server as rasa_server
    from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.domain import Domain

    rasa_server.watch_tracker_store()
    rasa_server.tune_tracker_store_engine()
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    url = postgres.create_database("rasa")
    settings = dataclasses.replace(
        Settings.from_env(), tracker_store_url=url, engine_options=EngineOptions(statement_timeout_ms=400)
    )
    for name, value in {**rasa_environment(settings), "WW_ACTION_SERVER_URL": settings.action_server_url}.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(endpoints_file(settings)))
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    failsafe = FailSafeTrackerStore(store)
    yield failsafe, store, url
    _refuse_connections(url, False)
    store.engine.dispose()


def _tracker(sender: str, text: str):
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered(text))
    return tracker


def test_rasa_tracker_store_engine_has_timeout_pool_and_pre_ping(rasa_stores):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    _, store, _ = rasa_stores
    assert store.engine.pool.size() == EngineOptions().pool_size  # not Rasa's 50
    assert store.engine.pool._pre_ping is True
    with store.engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "400ms"
        with pytest.raises(OperationalError, match="statement timeout"):
            connection.execute(text("SELECT pg_sleep(10)"))


def test_a_failing_tracker_store_is_visible_and_logged_without_text(rasa_stores, caplog):
    import bot.rasa_server as rasa_server

    failsafe, _, url = rasa_stores
    health = rasa_server.TRACKER_STORE_HEALTH  # the one the installed watch reports to
    agent = SimpleNamespace(is_ready=lambda: True, tracker_store=failsafe)  # what /ww/health reads of Rasa's Agent
    asyncio.run(failsafe.save(_tracker("web-ok", "hallo")))
    assert asyncio.run(rasa_server.health_report(agent))["status"] == "ok"
    before = health.report()["failures"]

    _refuse_connections(url, True)
    caplog.set_level(logging.ERROR, logger="bot.rasa_server")
    asyncio.run(failsafe.save(_tracker("web-kapot", SECRET_TEXT)))  # Rasa keeps it in memory ...
    report = health.report()
    assert report["ok"] is False and report["last_operation"] == "save"  # ... and now says so
    assert report["failures"] == before + 1 and report["last_error"] == "OperationalError"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "tracker store SQLTrackerStore failed on save (OperationalError)" in logged
    assert "Zwaluwstaart" not in logged and "INSERT" not in logged
    web_report = asyncio.run(rasa_server.health_report(agent))
    assert web_report["status"] == "storing" and web_report["tracker_store"]["probe"] == "OperationalError"
    assert "Zwaluwstaart" not in str(web_report)

    # Reading fails the turn instead of answering from an empty conversation.
    with pytest.raises(rasa_server.TrackerStoreUnavailable):
        asyncio.run(failsafe.retrieve("web-ok"))

    _refuse_connections(url, False)
    asyncio.run(failsafe.save(_tracker("web-weer-goed", "hallo")))  # pre-ping: no lost turn after the outage
    assert health.report()["ok"] is True
    assert asyncio.run(rasa_server.health_report(agent))["status"] == "ok"
    assert asyncio.run(failsafe.retrieve("web-ok")) is not None


def test_two_replicas_on_one_postgresql_take_turns_without_losing_or_doubling_events(rasa_stores, tmp_path):
    """The store Rasa builds from our endpoints is bot.tracker_store's; a conversation that
    moves between two replicas (two stores on one database) is read afresh on each turn."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    from bot.tracker_store import SQLTrackerStore

    _failsafe, store, _url = rasa_stores
    assert type(store) is SQLTrackerStore
    endpoints = AvailableEndpoints.read_endpoints(str(tmp_path / "endpoints.generated.yml"))  # the fixture's
    other = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    assert type(other) is SQLTrackerStore and other is not store

    async def turns():
        replicas = [store, other, other, store, other]
        for number, replica in enumerate(replicas):
            tracker = await replica.retrieve("web-wissel") or replica.init_tracker("web-wissel")
            for event in (
                UserUttered(f"beurt {number}"),
                BotUttered(f"antwoord {number}"),
                ActionExecuted("action_listen"),
            ):
                tracker.update(event)
            await replica.save(tracker)
        return await store.retrieve("web-wissel"), await other.retrieve("web-wissel")

    try:
        seen_by_store, seen_by_other = asyncio.run(turns())
    finally:
        other.engine.dispose()
    texts = [event.text for event in seen_by_store.events if isinstance(event, UserUttered)]
    assert texts == [f"beurt {n}" for n in range(5)]
    assert [e.as_dict() for e in seen_by_other.events] == [e.as_dict() for e in seen_by_store.events]
    assert len(seen_by_store.events) == 15
