"""The tracker store's cost per turn: Rasa's SQLTrackerStore against bot.tracker_store's.

    .venv/bin/python bench/tracker_store_bench.py [--conversations 40] [--turns 5] [--url postgresql://...]

Without --url each store gets its own SQLite file in a temporary directory (the default
`make run` set-up); with --url (a PostgreSQL database of yours on 127.0.0.1, emptied first)
both use it in turn. Each conversation does what a Rasa turn does with the store: read the
conversation back (`retrieve`, `create_tracker` on its first turn), append the events of a
turn (a user message with a full parse, slots, a custom action, a bot message with buttons,
action_listen; a session start on the first turn), and save. Prints per store the median
and mean CPU ms (`time.process_time`) and wall ms of retrieve and save per turn, first as
Rasa runs, then with bot.rasa_speedups.cache_event_classes installed (as the Rasa server runs
it), and checks that both stores wrote the same rows and read back the same events (apart
from timestamps). On a shared machine compare CPU, not wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RANKING = [f"intent_{i}" for i in range(10)]


def turn_events(turn: int, first: bool):
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        SessionStarted,
        SlotSet,
        UserUttered,
    )

    now = time.time()
    events = []
    if first:
        events += [
            ActionExecuted("action_session_start", timestamp=now),
            SessionStarted(timestamp=now),
            ActionExecuted("action_listen", timestamp=now),
        ]
    text = f"ik voel me eenzaam en weet niet wat ik moet doen, beurt {turn}"
    parse = {
        "text": text,
        "intent": {"name": "eenzaamheid", "confidence": 0.93},
        "entities": [
            {
                "entity": "gemeente",
                "value": "Bussum",
                "start": 0,
                "end": 6,
                "extractor": "RegexEntityExtractor",
            }
        ],
        "intent_ranking": [{"name": n, "confidence": 0.01} for n in RANKING],
        "response_selector": {},
        "message_id": f"m{turn}",
        "metadata": {},
    }
    events += [
        UserUttered(text, parse["intent"], parse["entities"], parse, timestamp=now, message_id=f"m{turn}"),
        ActionExecuted("action_extract_slots", timestamp=now),
        SlotSet("gemeente", "Bussum", timestamp=now),
        ActionExecuted("action_zoek_aanbod", timestamp=now),
        SlotSet("laatste_thema", "eenzaamheid", timestamp=now),
        BotUttered(
            "Hier zijn drie plekken bij jou in de buurt.",
            {
                "buttons": [{"title": f"Plek {i}", "payload": f'/kies{{"n": {i}}}'} for i in range(3)],
                "custom": {"cards": [{"naam": f"Plek {i}", "adres": "Straat 1"} for i in range(3)]},
            },
            timestamp=now,
        ),
        ActionExecuted("action_listen", timestamp=now),
    ]
    return events


async def run_store(store, conversations: int, turns: int, prefix: str) -> dict[str, list[float]]:
    figures = {"retrieve_cpu": [], "retrieve_wall": [], "save_cpu": [], "save_wall": []}
    for c in range(conversations):
        sender = f"{prefix}-{c}"
        for t in range(turns):
            cpu, wall = time.process_time(), time.perf_counter()
            tracker = await store.retrieve(sender)
            if tracker is None:
                tracker = store.init_tracker(sender)
            figures["retrieve_cpu"].append(time.process_time() - cpu)
            figures["retrieve_wall"].append(time.perf_counter() - wall)
            for event in turn_events(t, first=(t == 0)):
                tracker.update(event)
            cpu, wall = time.process_time(), time.perf_counter()
            await store.save(tracker)
            figures["save_cpu"].append(time.process_time() - cpu)
            figures["save_wall"].append(time.perf_counter() - wall)
    return figures


def rows(store, prefix: str) -> list[tuple]:
    import sqlalchemy as sa

    with store.engine.connect() as connection:
        result = connection.execute(
            sa.text(
                "SELECT sender_id, type_name, intent_name, action_name FROM events "
                "WHERE sender_id LIKE :p ORDER BY id"
            ),
            {"p": f"{prefix}-%"},
        )
        return [(s.split("-", 1)[1], t, i, a) for s, t, i, a in result]


def without_time(event) -> dict:
    data = event.as_dict()
    data.pop("timestamp", None)
    return data


async def main_async(args) -> int:
    from rasa.core.tracker_store import SQLTrackerStore as RasaStore
    from rasa.shared.core.domain import Domain

    import bot.tracker_store as ours

    domain = Domain.load(str(ROOT / "domain.yml"))
    tmp = tempfile.mkdtemp(prefix="ww-tracker-bench-")
    stores = {}
    for name, cls in (("rasa", RasaStore), ("bot.tracker_store", ours.SQLTrackerStore)):
        if args.url:
            stores[name] = cls(domain, dialect="postgresql", host=args.url, db="rasa")
        else:
            stores[name] = cls(domain, dialect="sqlite", db=f"{tmp}/{name}.db")
    if args.url:
        import sqlalchemy as sa

        with stores["rasa"].engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events"))
    results = {}
    for round_ in range(2):  # the first round warms up both (imports, statement caches)
        for name, store in stores.items():
            prefix = f"{name}-r{round_}"
            results[name] = await run_store(store, args.conversations, args.turns, prefix)
    from bot.rasa_speedups import cache_event_classes

    cache_event_classes()
    for name, store in stores.items():
        results[f"{name} + cache"] = await run_store(store, args.conversations, args.turns, f"{name}-c")
    print(
        f"{args.conversations} conversations x {args.turns} turns, "
        f"{'PostgreSQL' if args.url else 'SQLite ' + tmp}"
    )
    print(
        f"{'store':<28} {'retrieve CPU ms p50/mean':>26} {'save CPU ms p50/mean':>22} "
        f"{'retrieve wall p50':>18} {'save wall p50':>14}"
    )
    for name, f in results.items():
        ms = lambda xs: (1000 * statistics.median(xs), 1000 * statistics.fmean(xs))  # noqa: E731
        (rc, rcm), (sc, scm) = ms(f["retrieve_cpu"]), ms(f["save_cpu"])
        print(
            f"{name:<20} {rc:>12.2f} / {rcm:<10.2f} {sc:>10.2f} / {scm:<8.2f} "
            f"{ms(f['retrieve_wall'])[0]:>15.2f} {ms(f['save_wall'])[0]:>14.2f}"
        )
    same_rows = rows(stores["rasa"], "rasa-r1") == rows(stores["bot.tracker_store"], "bot.tracker_store-r1")
    same_events = True
    for c in range(args.conversations):
        a = await stores["rasa"].retrieve(f"rasa-r1-{c}")
        b = await stores["bot.tracker_store"].retrieve(f"bot.tracker_store-r1-{c}")
        same_events &= [without_time(e) for e in a.events] == [without_time(e) for e in b.events]
        same_events &= a.current_slot_values() == b.current_slot_values()
    print(f"same rows written: {same_rows}; same events and slots read back: {same_events}")
    return 0 if same_rows and same_events else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--url", help="PostgreSQL URL (127.0.0.1); its events table is emptied")
    args = parser.parse_args()
    if args.url and "127.0.0.1" not in args.url and "localhost" not in args.url:
        parser.error("--url must be on 127.0.0.1")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
