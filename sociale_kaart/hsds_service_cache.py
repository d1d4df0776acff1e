"""Serialised services of the current catalogue version, so that a page of /services joins
ready JSON strings (bench/hsds_api_bench.py).

Each service's list JSON is kept for the version, with its organisation's JSON (re-read
every ORGANISATION_SECONDS) put in as the last key when a page is built; once per version a
background thread serialises every published service (two queries per PREWARM_CHUNK);
fully nested services are kept for CACHE_SECONDS at most.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from sqlalchemy.engine import Connection, Engine

from sociale_kaart import hsds_rows as rows
from sociale_kaart.hsds_cache import CACHE_SECONDS
from sociale_kaart.hsds_page import dumps

ITEM_CACHE_SIZE = 250_000  # serialised services of the current catalogue version (list + full)
PREWARM_FROM = 1_000  # catalogues this big get every list item serialised in the background
PREWARM_CHUNK = 500
ORGANISATION_SECONDS = 10  # organisations (their own edits leave the version alone) re-read after


def serialised_list_services(connection: Connection, ids: list[str]) -> dict[str, tuple]:
    """slug -> (JSON of the service's one-to-one fields, organisation slug)."""
    return {
        slug: (dumps(fields), organisation)
        for slug, (fields, organisation) in rows.list_services(connection, ids).items()
    }


class ServiceCache:
    """JSON texts of services and organisations for one catalogue database. Thread-safe."""

    def __init__(self, engine: Engine, prewarm: bool = True):
        self.engine = engine
        self._lock = threading.Lock()
        # (slug, False) -> (JSON text, organisation slug); (slug, True) -> (JSON text, built at)
        self._items: OrderedDict = OrderedDict()
        self._version = None
        self._organizations_json = None  # (read at, {slug: JSON text})
        self._prewarm = prewarm
        self._prewarmed_version = None

    def _forget_older(self, version: tuple) -> None:
        """Under the lock: forget every serialised service of an older catalogue version."""
        if self._version != version:
            self._items.clear()
            self._version = version

    def _store(self, version: tuple, entries: dict) -> None:
        with self._lock:
            if self._version == version:
                self._items.update(entries)
                while len(self._items) > ITEM_CACHE_SIZE:
                    self._items.popitem(last=False)

    def list_items(self, connection: Connection, version: tuple, ids: list[str]) -> list[str]:
        """List items (compiled/service_list.json): the service's own JSON from the cache, with
        its organisation's JSON put in as the last key (organisations are read separately, so
        an edit of an organisation shows within ORGANISATION_SECONDS)."""
        with self._lock:
            self._forget_older(version)
            found = {slug: self._items.get((slug, False)) for slug in ids}
        missing = [slug for slug, entry in found.items() if entry is None]
        if missing:
            built = serialised_list_services(connection, missing)
            found.update(built)
            self._store(version, {(slug, False): entry for slug, entry in built.items()})
        organizations = self.organization_texts(connection)
        if any(entry[1] not in organizations for entry in found.values() if entry is not None):
            organizations = self.organization_texts(connection, again=True)  # a new organisation
        return [
            f'{found[slug][0][:-1]},"organization":{organizations[found[slug][1]]}}}'
            for slug in ids
            if found.get(slug) is not None and found[slug][1] in organizations
        ]

    def full_items(self, connection: Connection, version: tuple, ids: list[str], serialise) -> list[str]:
        """Fully nested services: cached for CACHE_SECONDS at most; ``serialise(connection,
        slugs)`` gives {slug: JSON text} of the missing ones."""
        now = time.monotonic()
        with self._lock:
            self._forget_older(version)
            entries = {slug: self._items.get((slug, True)) for slug in ids}
        found = {slug: e[0] for slug, e in entries.items() if e is not None and now - e[1] < CACHE_SECONDS}
        missing = [slug for slug in ids if slug not in found]
        if missing:
            texts = serialise(connection, missing)
            found.update(texts)
            self._store(version, {(slug, True): (text, now) for slug, text in texts.items()})
        return [found[slug] for slug in ids if slug in found]

    def organization_texts(self, connection: Connection, again: bool = False) -> dict[str, str]:
        """Every organisation as the flat JSON of a list item, re-read when older than
        ORGANISATION_SECONDS (a few hundred rows: one small query)."""
        with self._lock:
            cached = self._organizations_json
        if not again and cached is not None and time.monotonic() - cached[0] < ORGANISATION_SECONDS:
            return cached[1]
        texts = {slug: dumps(rows.flat(org)) for slug, org in rows.organizations(connection).items()}
        with self._lock:
            self._organizations_json = (time.monotonic(), texts)
        return texts

    def serialised_services(self) -> int:
        """How many list items are ready as JSON (for the benchmark: is the warm-up done?)."""
        with self._lock:
            return sum(1 for _slug, full in self._items if not full)

    def start_prewarm(self, version: tuple, ids: list[str]) -> None:
        """Once per catalogue version: serialise every published service in the background, so
        that any page of /services is then a slice of ready JSON."""
        if not self._prewarm or len(ids) < PREWARM_FROM:
            return
        with self._lock:
            if self._prewarmed_version == version:
                return
            self._prewarmed_version = version
        threading.Thread(target=self._prewarm_all, args=(version, list(ids)), daemon=True).start()

    def _prewarm_all(self, version: tuple, ids: list[str]) -> None:
        try:
            with self.engine.connect() as connection:
                for start in range(0, len(ids), PREWARM_CHUNK):
                    with self._lock:
                        if self._version != version:
                            return  # the catalogue changed meanwhile
                        chunk = [
                            s for s in ids[start : start + PREWARM_CHUNK] if (s, False) not in self._items
                        ]
                    if chunk:
                        built = serialised_list_services(connection, chunk)
                        self._store(version, {(slug, False): entry for slug, entry in built.items()})
                    time.sleep(0.002)  # leave the interpreter to the requests now and then
        except Exception:  # noqa: BLE001 - a failed warm-up only means slower first pages
            with self._lock:
                self._prewarmed_version = None
