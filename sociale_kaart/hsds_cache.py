"""The catalogue's version and a small cache of values built once per version (filtered id
lists, uuid maps) for the HSDS API."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from sociale_kaart.records import ACTIVITY, ORGANISATION

CACHE_SIZE = 32  # filtered id lists and uuid maps per catalogue version
CACHE_SECONDS = 60  # and at most this old


def catalogue_version(connection: Connection, today) -> tuple:
    """Changes whenever the catalogue changes: every import or edit sets laatst_gewijzigd_op
    (an indexed max, no count over the activities), and with the date ('published' depends
    on it) and the number of organisations."""
    organisations = select(func.count()).select_from(ORGANISATION).scalar_subquery()
    latest, count = connection.execute(
        select(func.max(ACTIVITY.c.laatst_gewijzigd_op), organisations)
    ).one()
    return (latest, count, today)


def _activity_count(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(ACTIVITY)).scalar_one()


class VersionCache:
    """``build()`` once per catalogue version and key (a small LRU). An entry older than
    CACHE_SECONDS is checked against the number of activities too, so even a deleted row
    (which leaves laatst_gewijzigd_op alone) is seen within a minute. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()

    def get(self, connection: Connection, version: tuple, key: tuple, build):
        full_key = (version, *key)
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is not None:
                self._entries.move_to_end(full_key)
        if entry is not None:
            value, built_at, count = entry
            if time.monotonic() - built_at < CACHE_SECONDS:
                return value
            if _activity_count(connection) == count:
                with self._lock:
                    self._entries[full_key] = (value, time.monotonic(), count)
                return value
        count = _activity_count(connection)
        value = build()
        with self._lock:
            self._entries[full_key] = (value, time.monotonic(), count)
            while len(self._entries) > CACHE_SIZE:
                self._entries.popitem(last=False)
        return value
