"""bot.tracker_store.SQLTrackerStore against Rasa's own SQLTrackerStore, on real SQLite files:
the same rows and the same conversation read back, across a new session and when another
process (a replica, or an expired lock) writes to the conversation between a read and a save."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.rasa_endpoints import DEFAULT_ENDPOINTS


def _domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_yaml(
        """
version: "3.1"
intents: [groet, eenzaamheid]
slots:
  gemeente:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_groet: [{text: "Hoi"}]
"""
    )


def _stores(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore as RasaStore

    from bot.tracker_store import SQLTrackerStore

    domain = _domain()
    return (
        RasaStore(domain, dialect="sqlite", db=str(tmp_path / "rasa.db")),
        SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "ours.db")),
    )


def _turn(text: str, timestamp: float, session_start: bool = False):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

    events = []
    if session_start:
        events += [
            ActionExecuted("action_session_start", timestamp=timestamp),
            SessionStarted(timestamp=timestamp),
            ActionExecuted("action_listen", timestamp=timestamp),
        ]
    parse = {"text": text, "intent": {"name": "groet", "confidence": 0.9}, "entities": []}
    return events + [
        UserUttered(text, parse["intent"], [], parse, timestamp=timestamp + 0.1),
        SlotSet("gemeente", "Bussum", timestamp=timestamp + 0.2),
        BotUttered(
            "Hoi, wat fijn dat je er bent",
            {"buttons": [{"title": "Ja", "payload": "/ja"}]},
            timestamp=timestamp + 0.3,
        ),
        ActionExecuted("action_listen", timestamp=timestamp + 0.4),
    ]


async def _talk(store, sender: str, turns) -> None:
    for events in turns:
        tracker = await store.retrieve(sender) or store.init_tracker(sender)
        for event in events:
            tracker.update(event)
        await store.save(tracker)


def _rows(path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return list(
            connection.execute(
                "SELECT id, sender_id, type_name, timestamp, intent_name, action_name, data"
                " FROM events ORDER BY id"
            )
        )


CONVERSATION = [
    _turn("hallo", 1000.0, session_start=True),
    _turn("ik voel me eenzaam", 1001.0),
    _turn("Bussum", 1002.0),
    _turn("hallo weer", 5000.0, session_start=True),  # a new session: only it is read back
    _turn("bedankt", 5001.0),
]


def test_the_same_rows_and_the_same_conversation_as_rasas_store(tmp_path):
    rasa_store, ours = _stores(tmp_path)
    asyncio.run(_talk(rasa_store, "web-a", CONVERSATION))
    asyncio.run(_talk(ours, "web-a", CONVERSATION))
    assert _rows(tmp_path / "ours.db") == _rows(tmp_path / "rasa.db")
    assert len(_rows(tmp_path / "ours.db")) == sum(len(turn) for turn in CONVERSATION)

    theirs, mine = (asyncio.run(store.retrieve("web-a")) for store in (rasa_store, ours))
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in theirs.events]
    assert mine.current_slot_values() == theirs.current_slot_values()
    assert mine.events[1].type_name == "session_started" and mine.events[1].timestamp == 5000.0
    assert asyncio.run(ours.retrieve("niemand")) is None


def test_a_write_by_another_replica_between_read_and_save_loses_and_doubles_nothing(tmp_path):
    from bot.tracker_store import SQLTrackerStore

    _rasa_store, ours = _stores(tmp_path)
    other_replica = SQLTrackerStore(_domain(), dialect="sqlite", db=str(tmp_path / "ours.db"))
    asyncio.run(_talk(ours, "web-b", CONVERSATION[:2]))

    async def interleaved():
        tracker = await ours.retrieve("web-b")
        await _talk(other_replica, "web-b", [CONVERSATION[2]])  # e.g. after an expired lock
        for event in CONVERSATION[3]:
            tracker.update(event)
        await ours.save(tracker)

    asyncio.run(interleaved())
    # The database changed since the read: Rasa's own count decides, exactly as in Rasa's store.
    from rasa.core.tracker_store import SQLTrackerStore as RasaStore

    reference = RasaStore(_domain(), dialect="sqlite", db=str(tmp_path / "reference.db"))

    async def reference_run():
        await _talk(reference, "web-b", CONVERSATION[:2])
        tracker = await reference.retrieve("web-b")
        await _talk(reference, "web-b", [CONVERSATION[2]])
        for event in CONVERSATION[3]:
            tracker.update(event)
        await reference.save(tracker)

    asyncio.run(reference_run())
    assert [r[2:] for r in _rows(tmp_path / "ours.db")] == [r[2:] for r in _rows(tmp_path / "reference.db")]


def test_saving_the_same_tracker_twice_stores_each_event_once(tmp_path):
    _rasa_store, ours = _stores(tmp_path)
    asyncio.run(_talk(ours, "web-c", CONVERSATION[:1]))

    async def twice():
        tracker = await ours.retrieve("web-c")
        for event in CONVERSATION[1]:
            tracker.update(event)
        await ours.save(tracker)
        for event in CONVERSATION[2]:
            tracker.update(event)
        await ours.save(tracker)
        await ours.save(tracker)

    asyncio.run(twice())
    expected = sum(len(turn) for turn in CONVERSATION[:3])
    assert len(_rows(tmp_path / "ours.db")) == expected
    assert len(asyncio.run(ours.retrieve("web-c")).events) == expected


def test_rasa_builds_this_store_from_the_default_endpoints(tmp_path, monkeypatch):
    """Rasa falls back to an in-memory store, with only a warning, when a `type: module.Class`
    cannot be imported or built: the default endpoints must build this store for real."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints

    from bot.rasa_endpoints import TRACKER_STORE_CLASS
    from bot.tracker_store import SQLTrackerStore

    monkeypatch.setenv("WW_ACTION_SERVER_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("WW_TRACKER_DB", str(tmp_path / "tracker.db"))
    endpoints = AvailableEndpoints.read_endpoints(str(DEFAULT_ENDPOINTS))
    assert endpoints.tracker_store.type == TRACKER_STORE_CLASS == "bot.tracker_store.SQLTrackerStore"
    store = TrackerStore.create(endpoints.tracker_store, _domain())
    assert type(store) is SQLTrackerStore
    asyncio.run(_talk(store, "web-d", CONVERSATION[:1]))
    assert len(_rows(tmp_path / "tracker.db")) == len(CONVERSATION[0])


def test_health_is_red_when_rasa_fell_back_to_an_in_memory_store(tmp_path):
    """The fallback keeps conversations in one process's memory only: /ww/health says so."""
    from types import SimpleNamespace

    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

    import bot.rasa_server as rasa_server

    def health(store):
        agent = SimpleNamespace(is_ready=lambda: True, tracker_store=FailSafeTrackerStore(store))
        return asyncio.run(rasa_server.health_report(agent, rasa_server.TrackerStoreHealth()))

    _, ours = _stores(tmp_path)
    assert health(ours)["status"] == "ok"
    fallen_back = health(InMemoryTrackerStore(_domain()))
    assert fallen_back["status"] == "storing"
    assert fallen_back["tracker_store"] == {**fallen_back["tracker_store"], "ok": False, "probe": "InMemoryTrackerStore"}
