"""The catalogue as the Open Referral (HSDS 3.0) API serves it: paged lists and single objects.

No web framework here (bot/web/hsds_api.py is the HTTP side). Only published entries
(sociale_kaart.published) are served. Objects are built by export_hsds, so the API and the
file export are the same HSDS. A page reads only its own rows (no scan of the child tables).

Speed (bench/hsds_api_bench.py, a page of /services on 100,000 entries): per catalogue version
the filtered id list is cached (so the count is free and a page is a slice of it); each
service's list JSON is kept serialised for that version (``services_json`` joins the strings,
with the organisation's JSON, re-read every ORGANISATION_SECONDS, as the last key); and once
per version a background thread serialises every published service (two queries per 500),
so that every page is ready JSON. Fully nested services are cached for a minute.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import false, func, or_, select
from sqlalchemy.engine import Connection, Engine

from sociale_kaart import export_hsds as hsds
from sociale_kaart import models
from sociale_kaart.published import published
from sociale_kaart.records import ACTIVITY, LOCATION, ORGANISATION, load_activity_records
from sociale_kaart.taxonomy import load_taxonomy

MAX_PER_PAGE = 1000
DEFAULT_PER_PAGE = 50
_CACHE_SIZE = 32  # filtered id lists and uuid maps per catalogue version
_CACHE_SECONDS = 60  # and at most this old
_ITEM_CACHE_SIZE = 250_000  # serialised services of the current catalogue version (list + full)
_PREWARM_FROM = 1_000  # catalogues this big get every list item serialised in the background
_PREWARM_CHUNK = 500
ORGANISATION_SECONDS = 10  # organisations (their own edits leave the version alone) re-read after
_LINKS = {
    "categorie": (models.ActivityCategory.__table__, "category_code"),
    "thema": (models.ActivityTheme.__table__, "theme_code"),
    "doelgroep": (models.ActivityGroup.__table__, "groep"),
}


@dataclass(frozen=True)
class Query:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: dt.datetime | None = None  # naive UTC
    full: bool = False
    minimal: bool = False  # /services: just id and last_modified


def page_of(query: Query, total: int, contents: list) -> dict:
    """The spec's Page object (openapi.json components.schemas.Page) around ``contents``."""
    pages = math.ceil(total / query.per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": len(contents),
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _dumps(value) -> str:
    # As Starlette's JSONResponse encodes.
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def page_json(query: Query, total: int, items: list[str]) -> str:
    """page_of() as JSON text around already serialised ``items``."""
    page = page_of(query, total, items)
    page["contents"] = []  # the last key
    head = _dumps(page)
    return head[: -len("[]}")] + "[" + ",".join(items) + "]}"


def _like(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _flat(organization: dict) -> dict:
    return {key: value for key, value in organization.items() if not isinstance(value, list)}


class HsdsFeed:
    """Read-only HSDS views of one catalogue database. Thread-safe; call from worker threads."""

    def __init__(self, engine: Engine, today=None, prewarm: bool = True):
        self.engine = engine
        self._today = today  # a callable giving the date; None: the real date
        self.taxonomy = load_taxonomy()
        self.terms = hsds.taxonomy_terms(self.taxonomy)
        self.terms_by_id = {term["id"]: term for term in self.terms}
        self.term_links = {term["id"]: (self._kind_of(term), term["code"]) for term in self.terms}
        self.taxonomy_list = hsds.taxonomies()
        self.kind_of_taxonomy = {hsds.taxonomy_id(kind): kind for kind in hsds.TAXONOMIES}
        self._lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()
        # (slug, False) -> (JSON text, organisation slug); (slug, True) -> (JSON text, built at)
        self._items: OrderedDict = OrderedDict()
        self._items_version = None
        self._organizations_json = None  # (read at, {slug: JSON text})
        self._prewarm = prewarm
        self._prewarmed_version = None

    @staticmethod
    def _kind_of(term: dict) -> str:
        return next(kind for kind, name in hsds.TAXONOMIES.items() if name == term["taxonomy"])

    def today(self) -> dt.date:
        return self._today() if self._today else dt.date.today()

    # -- caches keyed by the catalogue's version ----------------------------------------------
    def _version(self, connection: Connection) -> tuple:
        """Changes whenever the catalogue changes: every import or edit sets laatst_gewijzigd_op
        (an indexed max, no count over the activities), and with the date ('published' depends
        on it) and the number of organisations."""
        organisations = select(func.count()).select_from(ORGANISATION).scalar_subquery()
        latest, count = connection.execute(
            select(func.max(ACTIVITY.c.laatst_gewijzigd_op), organisations)
        ).one()
        return (latest, count, self.today())

    def _count(self, connection: Connection) -> int:
        return connection.execute(select(func.count()).select_from(ACTIVITY)).scalar_one()

    def _cached(self, connection: Connection, key: tuple, build, version: tuple | None = None):
        """``build()`` once per catalogue version and key (a small LRU: filtered id lists, uuid maps).
        An entry older than a minute is checked against the number of activities too, so even a
        deleted row (which leaves laatst_gewijzigd_op alone) is seen within a minute."""
        full_key = (version or self._version(connection), *key)
        with self._lock:
            entry = self._cache.get(full_key)
            if entry is not None:
                self._cache.move_to_end(full_key)
        if entry is not None:
            value, built_at, count = entry
            if time.monotonic() - built_at < _CACHE_SECONDS:
                return value
            if self._count(connection) == count:
                with self._lock:
                    self._cache[full_key] = (value, time.monotonic(), count)
                return value
        count = self._count(connection)
        value = build()
        with self._lock:
            self._cache[full_key] = (value, time.monotonic(), count)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    # -- uuid -> our ids (uuid5 is one-way) ------------------------------------------------
    def _lookup(self, connection: Connection, kind: str, hsds_id: str):
        def build() -> dict:
            reverse = {"service": {}, "organization": {}, "service_at_location": {}}
            for (slug,) in connection.execute(select(ACTIVITY.c.id)):
                reverse["service"][hsds.service_id(slug)] = slug
            for (slug,) in connection.execute(select(ORGANISATION.c.id)):
                reverse["organization"][hsds.organization_id(slug)] = slug
            for slug, position in connection.execute(select(LOCATION.c.activity_id, LOCATION.c.position)):
                reverse["service_at_location"][hsds.service_at_location_id(slug, position + 1)] = (
                    slug,
                    position,
                )
            return reverse

        return self._cached(connection, ("reverse",), build)[kind].get(hsds_id)

    # -- services ------------------------------------------------------------------------
    def _conditions(self, connection: Connection, query: Query) -> list:
        conditions = [published(self.today())]
        if query.search:
            conditions.append(
                or_(_like(ACTIVITY.c.naam, query.search), _like(ACTIVITY.c.beschrijving, query.search))
            )
        if query.taxonomy_term_id:
            link = self.term_links.get(query.taxonomy_term_id)
            if link is None:
                conditions.append(false())
            else:
                table, column = _LINKS[link[0]]
                conditions.append(
                    ACTIVITY.c.id.in_(select(table.c.activity_id).where(table.c[column] == link[1]))
                )
        if query.taxonomy_id:
            kind = self.kind_of_taxonomy.get(query.taxonomy_id)
            if kind is None:
                conditions.append(false())
            else:
                table, _column = _LINKS[kind]
                conditions.append(ACTIVITY.c.id.in_(select(table.c.activity_id)))
        if query.organization_id:
            slug = self._lookup(connection, "organization", query.organization_id)
            conditions.append(ACTIVITY.c.organisation_id == slug if slug else false())
        if query.modified_after is not None:
            conditions.append(ACTIVITY.c.laatst_gewijzigd_op >= query.modified_after)
        return conditions

    def _organizations(self, connection: Connection, slugs) -> dict[str, dict]:
        rows = connection.execute(
            select(
                ORGANISATION.c.id,
                ORGANISATION.c.naam,
                ORGANISATION.c.beschrijving,
                ORGANISATION.c.website,
                ORGANISATION.c.email,
            ).where(ORGANISATION.c.id.in_(list(set(slugs))))
        ).mappings()
        return {row["id"]: hsds.organization(dict(row)) for row in rows}

    def _records(self, connection: Connection, ids: list[str]):
        records = [record for record, _source in load_activity_records(connection, ids=ids)]
        modified = dict(
            connection.execute(
                select(ACTIVITY.c.id, ACTIVITY.c.laatst_gewijzigd_op).where(ACTIVITY.c.id.in_(ids))
            ).all()
        )
        organizations = self._organizations(connection, [r["organisatie"] for r in records])
        return records, modified, organizations

    def _service(self, record, modified, organizations, full: bool) -> dict:
        organization = organizations[record["organisatie"]]
        if full:
            return hsds.service(
                record, self.taxonomy, self.terms_by_id, modified.get(record["id"]), organization=organization
            )
        return {
            **hsds.service_fields(record, modified.get(record["id"])),
            "organization": _flat(organization),
        }

    @staticmethod
    def _filters(query: Query) -> tuple:
        return (
            query.search,
            query.taxonomy_term_id,
            query.taxonomy_id,
            query.organization_id,
            query.modified_after,
        )

    def _service_ids(self, connection: Connection, query: Query, version: tuple | None = None) -> list[str]:
        """Ids of the published services that pass the filters, in page order (cached per version)."""

        def build() -> list[str]:
            conditions = self._conditions(connection, query)
            return list(
                connection.execute(select(ACTIVITY.c.id).where(*conditions).order_by(ACTIVITY.c.id)).scalars()
            )

        return self._cached(connection, ("services", self._filters(query)), build, version)

    @staticmethod
    def _slice(query: Query, items: list) -> list:
        start = (query.page - 1) * query.per_page
        return items[start : start + query.per_page]

    def services(self, query: Query) -> dict:
        return json.loads(self.services_json(query))

    def services_json(self, query: Query) -> str:
        """A page of /services as JSON text: the cached JSON of each service, joined."""
        with self.engine.connect() as connection:
            version = self._version(connection)
            matching = self._service_ids(connection, query, version)
            ids = self._slice(query, matching)
            if query.full:
                items = self._full_items(connection, version, ids)
            else:
                items = self._list_items(connection, version, ids)
                if self._filters(query) == (None,) * 5:
                    self._start_prewarm(version, matching)
        return page_json(query, len(matching), items)

    # -- the cache of serialised services ------------------------------------------------
    def _cache_for(self, version: tuple) -> None:
        """Under the lock: forget every serialised service of an older catalogue version."""
        if self._items_version != version:
            self._items.clear()
            self._items_version = version

    def _store_items(self, version: tuple, entries: dict) -> None:
        with self._lock:
            if self._items_version == version:
                self._items.update(entries)
                while len(self._items) > _ITEM_CACHE_SIZE:
                    self._items.popitem(last=False)

    def _list_items(self, connection: Connection, version: tuple, ids: list[str]) -> list[str]:
        """List items (compiled/service_list.json): the service's own JSON from the cache, with
        its organisation's JSON put in as the last key (organisations are read separately, so
        an edit of an organisation shows within ORGANISATION_SECONDS)."""
        with self._lock:
            self._cache_for(version)
            found = {slug: self._items.get((slug, False)) for slug in ids}
        missing = [slug for slug, entry in found.items() if entry is None]
        if missing:
            built = self._serialised_list_services(connection, missing)
            found.update(built)
            self._store_items(version, {(slug, False): entry for slug, entry in built.items()})
        organizations = self._organization_texts(connection)
        if any(entry[1] not in organizations for entry in found.values() if entry is not None):
            organizations = self._organization_texts(connection, again=True)  # a new organisation
        return [
            f'{found[slug][0][:-1]},"organization":{organizations[found[slug][1]]}}}'
            for slug in ids
            if found.get(slug) is not None and found[slug][1] in organizations
        ]

    def _full_items(self, connection: Connection, version: tuple, ids: list[str]) -> list[str]:
        """Fully nested services (with their organisation inside): cached for a minute at most."""
        now = time.monotonic()
        with self._lock:
            self._cache_for(version)
            entries = {slug: self._items.get((slug, True)) for slug in ids}
        found = {slug: e[0] for slug, e in entries.items() if e is not None and now - e[1] < _CACHE_SECONDS}
        missing = [slug for slug in ids if slug not in found]
        if missing:
            records, modified, organizations = self._records(connection, missing)
            texts = {r["id"]: _dumps(self._service(r, modified, organizations, True)) for r in records}
            found.update(texts)
            self._store_items(version, {(slug, True): (text, now) for slug, text in texts.items()})
        return [found[slug] for slug in ids if slug in found]

    def _organization_texts(self, connection: Connection, again: bool = False) -> dict[str, str]:
        """Every organisation as the flat JSON of a list item, re-read when older than
        ORGANISATION_SECONDS (a few hundred rows: one small query)."""
        with self._lock:
            cached = self._organizations_json
        if not again and cached is not None and time.monotonic() - cached[0] < ORGANISATION_SECONDS:
            return cached[1]
        rows = connection.execute(
            select(
                ORGANISATION.c.id,
                ORGANISATION.c.naam,
                ORGANISATION.c.beschrijving,
                ORGANISATION.c.website,
                ORGANISATION.c.email,
            )
        ).mappings()
        texts = {row["id"]: _dumps(_flat(hsds.organization(dict(row)))) for row in rows}
        with self._lock:
            self._organizations_json = (time.monotonic(), texts)
        return texts

    def serialised_services(self) -> int:
        """How many list items are ready as JSON (for the benchmark: is the warm-up done?)."""
        with self._lock:
            return sum(1 for _slug, full in self._items if not full)

    def _start_prewarm(self, version: tuple, ids: list[str]) -> None:
        """Once per catalogue version: serialise every published service in the background, so
        that any page of /services is then a slice of ready JSON."""
        if not self._prewarm or len(ids) < _PREWARM_FROM:
            return
        with self._lock:
            if self._prewarmed_version == version:
                return
            self._prewarmed_version = version
        threading.Thread(target=self._prewarm_all, args=(version, list(ids)), daemon=True).start()

    def _prewarm_all(self, version: tuple, ids: list[str]) -> None:
        try:
            with self.engine.connect() as connection:
                for start in range(0, len(ids), _PREWARM_CHUNK):
                    with self._lock:
                        if self._items_version != version:
                            return  # the catalogue changed meanwhile
                        chunk = [
                            s for s in ids[start : start + _PREWARM_CHUNK] if (s, False) not in self._items
                        ]
                    if chunk:
                        built = self._serialised_list_services(connection, chunk)
                        self._store_items(version, {(slug, False): entry for slug, entry in built.items()})
                    time.sleep(0.002)  # leave the interpreter to the requests now and then
        except Exception:  # noqa: BLE001 - a failed warm-up only means slower first pages
            with self._lock:
                self._prewarmed_version = None

    def _serialised_list_services(self, connection: Connection, ids: list[str]) -> dict[str, tuple]:
        """slug -> (JSON of the service's one-to-one fields, organisation slug)."""
        return {
            slug: (_dumps(fields), organisation)
            for slug, (fields, organisation) in self._list_services(connection, ids).items()
        }

    def _list_services(self, connection: Connection, ids: list[str]) -> dict[str, tuple[dict, str]]:
        """The one-to-one fields of these services (compiled/service_list.json without the
        organization) with their organisation's slug: one query and one for the target groups,
        the same fields as export_hsds.service_fields reads from a full record."""
        a = ACTIVITY.c
        statement = select(
            a.id,
            a.organisation_id,
            a.naam,
            a.beschrijving,
            a.contact_website,
            a.contact_email,
            a.status,
            a.aanmelden_wijze,
            a.indicatie_nodig,
            a.eerste_keer_begeleiding,
            a.kosten_omschrijving,
            a.leeftijd_min,
            a.leeftijd_max,
            a.laatst_gecontroleerd_op,
            a.laatst_gewijzigd_op,
        ).where(a.id.in_(ids))
        groups_table = models.ActivityGroup.__table__
        groups: dict[str, list[str]] = {}
        for slug, group in connection.execute(
            select(groups_table.c.activity_id, groups_table.c.groep)
            .where(groups_table.c.activity_id.in_(ids))
            .order_by(groups_table.c.activity_id, groups_table.c.position)
        ):
            groups.setdefault(slug, []).append(group)
        result = {}
        for row in connection.execute(statement).mappings():
            record = {
                "id": row["id"],
                "organisatie": row["organisation_id"],
                "naam": row["naam"],
                "beschrijving": row["beschrijving"],
                "contact": {"website": row["contact_website"], "email": row["contact_email"]},
                "status": row["status"],
                "aanmelden": {"wijze": row["aanmelden_wijze"], "indicatie_nodig": row["indicatie_nodig"]},
                "eerste_keer_begeleiding": row["eerste_keer_begeleiding"],
                "kosten": {"omschrijving": row["kosten_omschrijving"]},
                "doelgroep": {
                    "groepen": groups.get(row["id"], []),
                    "leeftijd_min": row["leeftijd_min"],
                    "leeftijd_max": row["leeftijd_max"],
                },
                "laatst_gecontroleerd": {"datum": row["laatst_gecontroleerd_op"]},
            }
            result[row["id"]] = (
                hsds.service_fields(record, row["laatst_gewijzigd_op"]),
                row["organisation_id"],
            )
        return result

    def _published_slug(self, connection: Connection, kind: str, hsds_id: str):
        found = self._lookup(connection, kind, hsds_id)
        if found is None:
            return None
        slug = found[0] if kind == "service_at_location" else found
        visible = connection.execute(
            select(ACTIVITY.c.id).where(ACTIVITY.c.id == slug, published(self.today()))
        ).first()
        return found if visible else None

    def service(self, hsds_id: str) -> dict | None:
        with self.engine.connect() as connection:
            slug = self._published_slug(connection, "service", hsds_id)
            if slug is None:
                return None
            records, modified, organizations = self._records(connection, [slug])
        return self._service(records[0], modified, organizations, full=True)

    # -- service_at_locations --------------------------------------------------------------
    def service_at_locations(self, query: Query) -> dict:
        with self.engine.connect() as connection:

            def build() -> list[tuple[str, int]]:
                conditions = self._conditions(connection, query)
                joined = LOCATION.join(ACTIVITY, LOCATION.c.activity_id == ACTIVITY.c.id)
                statement = (
                    select(LOCATION.c.activity_id, LOCATION.c.position)
                    .select_from(joined)
                    .where(*conditions)
                    .order_by(LOCATION.c.activity_id, LOCATION.c.position)
                )
                return [tuple(row) for row in connection.execute(statement)]

            matching = self._cached(connection, ("service_at_locations", self._filters(query)), build)
            rows = self._slice(query, matching)
            records, modified, organizations = self._records(connection, list({row[0] for row in rows}))
        by_id = {record["id"]: record for record in records}
        contents = []
        for slug, position in rows:
            record = by_id[slug]
            link = hsds.service_at_locations(record, self.taxonomy)[position]
            service = self._service(record, modified, organizations, full=query.full)
            if query.full:
                contents.append({**link, "service": service})
            else:
                location = {k: v for k, v in link["location"].items() if not isinstance(v, list)}
                contents.append({**link, "location": location, "service": service})
        return page_of(query, len(matching), contents)

    def service_at_location(self, hsds_id: str) -> dict | None:
        with self.engine.connect() as connection:
            found = self._published_slug(connection, "service_at_location", hsds_id)
            if found is None:
                return None
            slug, position = found
            records, modified, organizations = self._records(connection, [slug])
        record = records[0]
        link = hsds.service_at_locations(record, self.taxonomy)[position]
        return {**link, "service": self._service(record, modified, organizations, full=True)}

    # -- organizations ---------------------------------------------------------------------
    def _organization_conditions(self, query: Query) -> list:
        conditions = [
            ORGANISATION.c.id.in_(select(ACTIVITY.c.organisation_id).where(published(self.today())))
        ]
        if query.search:
            conditions.append(_like(ORGANISATION.c.naam, query.search))
        return conditions

    def organizations(self, query: Query) -> dict:
        with self.engine.connect() as connection:
            conditions = self._organization_conditions(query)
            total = connection.execute(
                select(func.count()).select_from(ORGANISATION).where(*conditions)
            ).scalar_one()
            slugs = list(
                connection.execute(
                    select(ORGANISATION.c.id)
                    .where(*conditions)
                    .order_by(ORGANISATION.c.id)
                    .limit(query.per_page)
                    .offset((query.page - 1) * query.per_page)
                ).scalars()
            )
            organizations = self._organizations(connection, slugs)
        contents = [organizations[s] if query.full else _flat(organizations[s]) for s in slugs]
        return page_of(query, total, contents)

    def organization(self, hsds_id: str, full_service: bool = False) -> dict | None:
        with self.engine.connect() as connection:
            slug = self._lookup(connection, "organization", hsds_id)
            if slug is None:
                return None
            ids = list(
                connection.execute(
                    select(ACTIVITY.c.id)
                    .where(ACTIVITY.c.organisation_id == slug, published(self.today()))
                    .order_by(ACTIVITY.c.id)
                ).scalars()
            )
            if not ids:
                return None  # an organisation with nothing published is not published either
            records, modified, organizations = self._records(connection, ids)
        result = dict(organizations[slug])
        if full_service:  # the spec's full_service: each service fully nested (without its organization)
            result["services"] = [
                hsds.service(r, self.taxonomy, self.terms_by_id, modified.get(r["id"])) for r in records
            ]
        else:
            result["services"] = [hsds.service_fields(r, modified.get(r["id"])) for r in records]
        return result

    def minimal_services(self, query: Query) -> dict:
        """The spec's ``minimal``: every matching service as just its id and last_modified, one page."""
        with self.engine.connect() as connection:
            version = self._version(connection)
            slugs = self._service_ids(connection, query, version)
            ids = self._slice(query, slugs)
            modified = dict(
                connection.execute(
                    select(ACTIVITY.c.id, ACTIVITY.c.laatst_gewijzigd_op).where(ACTIVITY.c.id.in_(ids))
                ).all()
            )
        contents = [
            {"id": hsds.service_id(slug), "last_modified": hsds.timestamp(modified[slug])} for slug in ids
        ]
        return page_of(query, len(slugs), contents)

    # -- taxonomies ------------------------------------------------------------------------
    @staticmethod
    def _matches(item: dict, search: str | None, keys=("name", "code", "description")) -> bool:
        if not search:
            return True
        wanted = search.lower()
        return any(wanted in str(item.get(key) or "").lower() for key in keys)

    def taxonomies(self, query: Query) -> dict:
        found = [t for t in self.taxonomy_list if self._matches(t, query.search)]
        start = (query.page - 1) * query.per_page
        return page_of(query, len(found), found[start : start + query.per_page])

    def taxonomy_by_id(self, hsds_id: str) -> dict | None:
        return next((t for t in self.taxonomy_list if t["id"] == hsds_id), None)

    def taxonomy_terms(self, query: Query, parent_id: str | None = None) -> dict:
        found = [
            t
            for t in self.terms
            if self._matches(t, query.search)
            and (not query.taxonomy_id or t["taxonomy_id"] == query.taxonomy_id)
            and not parent_id  # our vocabularies are flat: no term has a parent
        ]
        start = (query.page - 1) * query.per_page
        return page_of(query, len(found), found[start : start + query.per_page])

    def taxonomy_term(self, hsds_id: str) -> dict | None:
        return self.terms_by_id.get(hsds_id)
