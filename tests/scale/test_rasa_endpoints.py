"""Rasa's endpoints for the settings: the SQLite default, or the PostgreSQL tracker store
and Redis lock store, built by Rasa itself from the written file against real servers."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from bot.rasa_endpoints import DEFAULT_ENDPOINTS, endpoints_file, rasa_environment
from bot.settings import Settings

pytestmark = pytest.mark.slow


def test_without_production_back_ends_rasa_gets_the_default_file(tmp_path, monkeypatch):
    for name in ("WW_TRACKER_STORE_URL", "WW_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    settings = Settings.from_env()
    assert endpoints_file(settings) == DEFAULT_ENDPOINTS and rasa_environment(settings) == {}


def test_rasa_builds_a_postgresql_tracker_store_and_a_redis_lock_store(
    tmp_path, monkeypatch, postgres, redis_url
):
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    settings = dataclasses.replace(
        Settings.from_env(),
        tracker_store_url=postgres.create_database("rasa").replace("@", ":geheim-wachtwoord@", 1),
        redis_url=redis_url,
    )
    path = endpoints_file(settings)
    assert "geheim-wachtwoord" not in path.read_text(encoding="utf-8")  # placeholders only
    environment = rasa_environment(settings)
    for name, value in {**environment, "WW_ACTION_SERVER_URL": settings.action_server_url}.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    tracker_store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    lock_store = LockStore.create(endpoints.lock_store)
    assert isinstance(tracker_store, SQLTrackerStore) and isinstance(lock_store, RedisLockStore)

    async def a_turn():
        tracker = DialogueStateTracker("web-proef", [])
        tracker.update(UserUttered("hallo"))
        await tracker_store.save(tracker)
        async with lock_store.lock("web-proef"):
            return await tracker_store.retrieve("web-proef")

    # trust authentication: the password in the URL is accepted and ignored by the server
    events = asyncio.run(a_turn()).events
    assert [event.text for event in events if isinstance(event, UserUttered)] == ["hallo"]


def test_the_passwords_of_every_url_are_redacted_from_logs(tmp_path, monkeypatch):
    from bot.logging_setup import known_secrets

    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    settings = dataclasses.replace(
        Settings.from_env(),
        database_url="postgresql+psycopg2://ww:db-wachtwoord@127.0.0.1/ww",
        tracker_store_url="postgresql+psycopg2://rasa:tracker%2Fwachtwoord@127.0.0.1/rasa",
        redis_url="redis://:redis-wachtwoord@127.0.0.1:6379/0",
    )
    secrets = known_secrets(settings)
    for password in ("db-wachtwoord", "tracker%2Fwachtwoord", "tracker/wachtwoord", "redis-wachtwoord"):
        assert password in secrets
