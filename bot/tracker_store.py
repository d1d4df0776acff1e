"""Rasa's SQL tracker store with less work per turn, same tables, same rows.

Rasa 3.6's SQLTrackerStore, under load (py-spy, docs/measurements.md), spent about 30 % of
the Rasa server's main thread per turn: reading the conversation back through ORM objects
(`query.all()`), counting the stored events again on every save (`_additional_events`'
`count()` with its sub-query), and one ORM object per new event on save. This subclass
keeps the table, the queries' meaning and the stored bytes (`json.dumps(event.as_dict())`)
exactly as Rasa's, and changes only how they are run:

- **retrieve** selects the `id` and `data` columns only (no ORM objects), with Rasa's own
  filter (the events since the latest `session_started`, ordered by id), as one prepared
  statement built once;
- **save** knows which events are new from the tracker itself: a tracker this store read
  carries how many of its events came from the database and the id of the last one. Before
  inserting, one indexed look-up (`max(id)` of the conversation) checks that nothing was
  written since (another replica, an expired lock); if anything was, or the tracker did not
  come from here, Rasa's own count decides, as before. No cache: every turn reads the
  database, so a conversation that moves to another replica is read afresh there;
- the new events are inserted in one statement (executemany) and committed once; the mark
  is then dropped, so a second save of the same tracker counts as Rasa does;
- the database work runs in a worker thread (`asyncio.to_thread`), not on Rasa's event
  loop: SQLite's commit waits for the disk (fsync), which py-spy showed as 17 % of the Rasa
  server's main thread under load, while every other conversation waited with it. The turn
  still waits for its own save (Rasa awaits it, under the conversation's lock); only the
  other conversations go on meanwhile. Rebuilding the tracker (`from_dict`) stays on the loop.

The class keeps Rasa's name, so the fail-safe's log lines ("tracker store SQLTrackerStore
failed on ...", bot.rasa_server) stay the same. Registered in the endpoints file as
`type: bot.tracker_store.SQLTrackerStore` (endpoints.yml, bot.rasa_endpoints).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

log = logging.getLogger(__name__)

# On a tracker this store returned: (its events deque, how many came from the database,
# the id of the last of them). A private attribute: Rasa's own code never reads it.
STORED_MARK = "_ww_stored"


class SQLTrackerStore(RasaSQLTrackerStore):
    """Rasa's SQLTrackerStore, with one statement per read and no count on save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        table = self.SQLEvent.__table__
        self._table = table
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(table.c.timestamp).label("session_start"))
            .where(table.c.sender_id == sender, table.c.type_name == SessionStarted.type_name)
            .subquery()
        )
        current_session = sa.select(table.c.id, table.c.data).where(
            table.c.sender_id == sender,
            sa.or_(
                table.c.timestamp >= session_start.c.session_start,
                session_start.c.session_start.is_(None),
            ),
        )
        self._current_session_query = current_session.order_by(table.c.id)
        self._last_id_query = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender)
        self._insert = table.insert()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The tracker of the latest conversation session, as Rasa's store returns it."""
        rows = await asyncio.to_thread(self._read, sender_id)
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(data) for _id, data in rows], self.domain.slots
        )
        setattr(tracker, STORED_MARK, (tracker.events, len(rows), rows[-1][0]))
        return tracker

    def _read(self, sender_id: str) -> list:
        with self.session_scope() as session:
            return session.execute(self._current_session_query, {"sender_id": sender_id}).all()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's events that are not in the database yet."""
        await self.stream_events(tracker)
        # The conversation's lock (Rasa's lock store) is held: nothing else touches this tracker.
        await asyncio.to_thread(self._write, tracker)

    def _write(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            stored = self._stored_count(session, tracker)
            if stored is None:
                new_events: Iterator = self._additional_events(session, tracker)
            else:
                new_events = itertools.islice(tracker.events, stored, len(tracker.events))
            rows = [self._row(tracker.sender_id, event) for event in new_events]
            if rows:
                session.execute(self._insert, rows)
            session.commit()
        if rows and hasattr(tracker, STORED_MARK):
            # Saved again (Rasa saves once per turn), Rasa's count decides.
            delattr(tracker, STORED_MARK)
        log.debug("tracker saved: %d new events", len(rows))

    def _stored_count(self, session, tracker: DialogueStateTracker) -> int | None:
        """How many of the tracker's events are in the database, when this store knows
        it and the database confirms nothing was written since; else None (count)."""
        mark = getattr(tracker, STORED_MARK, None)
        if mark is None:
            return None
        events, count, last_id = mark
        if events is not tracker.events or tracker.events.maxlen is not None or count > len(events):
            return None
        current = session.execute(self._last_id_query, {"sender_id": tracker.sender_id}).scalar()
        return count if current == last_id else None

    @staticmethod
    def _row(sender_id: str, event) -> dict:
        # The same columns and the same JSON text as Rasa's SQLTrackerStore.save.
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
