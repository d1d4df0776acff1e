"""The catalogue as the Open Referral (HSDS 3.0) API serves it: paged lists and single objects.

No web framework here (bot/web/hsds_api.py is the HTTP side). Only published entries
(sociale_kaart.published) are served. Objects are built by export_hsds, so the API and the
file export are the same HSDS. A page reads only its own rows (no scan of the child tables).

The parts: paging and the query (hsds_page), reading rows (hsds_rows), values cached per
catalogue version (hsds_cache: the filtered id list, so the count is free and a page is a
slice of it) and ready JSON of every service (hsds_service_cache, warmed in the background).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import false, func, or_, select
from sqlalchemy.engine import Connection, Engine

from sociale_kaart import export_hsds as hsds
from sociale_kaart import hsds_rows as rows
from sociale_kaart import models
from sociale_kaart.hsds_cache import VersionCache, catalogue_version
from sociale_kaart.hsds_page import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    Query,
    dumps,
    filters,
    page_json,
    page_of,
    page_slice,
    unfiltered,
)
from sociale_kaart.hsds_service_cache import ServiceCache
from sociale_kaart.published import published
from sociale_kaart.records import ACTIVITY, LOCATION, ORGANISATION
from sociale_kaart.taxonomy import load_taxonomy

__all__ = ["DEFAULT_PER_PAGE", "MAX_PER_PAGE", "HsdsFeed", "Query", "page_json", "page_of"]

_LINKS = {
    "categorie": (models.ActivityCategory.__table__, "category_code"),
    "thema": (models.ActivityTheme.__table__, "theme_code"),
    "doelgroep": (models.ActivityGroup.__table__, "groep"),
}


def _matches(item: dict, search: str | None, keys=("name", "code", "description")) -> bool:
    if not search:
        return True
    wanted = search.lower()
    return any(wanted in str(item.get(key) or "").lower() for key in keys)


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
        self._versioned = VersionCache()
        self._texts = ServiceCache(engine, prewarm=prewarm)

    @staticmethod
    def _kind_of(term: dict) -> str:
        return next(kind for kind, name in hsds.TAXONOMIES.items() if name == term["taxonomy"])

    def today(self) -> dt.date:
        return self._today() if self._today else dt.date.today()

    def _version(self, connection: Connection) -> tuple:
        return catalogue_version(connection, self.today())

    def _cached(self, connection: Connection, key: tuple, build, version: tuple | None = None):
        return self._versioned.get(connection, version or self._version(connection), key, build)

    def serialised_services(self) -> int:
        """How many list items are ready as JSON (for the benchmark: is the warm-up done?)."""
        return self._texts.serialised_services()

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

    def _published_slug(self, connection: Connection, kind: str, hsds_id: str):
        found = self._lookup(connection, kind, hsds_id)
        if found is None:
            return None
        slug = found[0] if kind == "service_at_location" else found
        visible = connection.execute(
            select(ACTIVITY.c.id).where(ACTIVITY.c.id == slug, published(self.today()))
        ).first()
        return found if visible else None

    # -- services ------------------------------------------------------------------------
    def _conditions(self, connection: Connection, query: Query) -> list:
        conditions = [published(self.today())]
        if query.search:
            text = query.search
            conditions.append(or_(rows.like(ACTIVITY.c.naam, text), rows.like(ACTIVITY.c.beschrijving, text)))
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

    def _service(self, record, modified, organizations, full: bool) -> dict:
        organization = organizations[record["organisatie"]]
        if full:
            return hsds.service(
                record, self.taxonomy, self.terms_by_id, modified.get(record["id"]), organization=organization
            )
        return {
            **hsds.service_fields(record, modified.get(record["id"])),
            "organization": rows.flat(organization),
        }

    def _full_service_texts(self, connection: Connection, ids: list[str]) -> dict[str, str]:
        records, modified, organizations = rows.full_records(connection, ids)
        return {r["id"]: dumps(self._service(r, modified, organizations, True)) for r in records}

    def _service_ids(self, connection: Connection, query: Query, version: tuple | None = None) -> list[str]:
        """Ids of the published services that pass the filters, in page order (cached per version)."""

        def build() -> list[str]:
            conditions = self._conditions(connection, query)
            return list(
                connection.execute(select(ACTIVITY.c.id).where(*conditions).order_by(ACTIVITY.c.id)).scalars()
            )

        return self._cached(connection, ("services", filters(query)), build, version)

    def services(self, query: Query) -> dict:
        return json.loads(self.services_json(query))

    def services_json(self, query: Query) -> str:
        """A page of /services as JSON text: the cached JSON of each service, joined."""
        with self.engine.connect() as connection:
            version = self._version(connection)
            matching = self._service_ids(connection, query, version)
            ids = page_slice(query, matching)
            if query.full:
                items = self._texts.full_items(connection, version, ids, self._full_service_texts)
            else:
                items = self._texts.list_items(connection, version, ids)
                if unfiltered(query):
                    self._texts.start_prewarm(version, matching)
        return page_json(query, len(matching), items)

    def service(self, hsds_id: str) -> dict | None:
        with self.engine.connect() as connection:
            slug = self._published_slug(connection, "service", hsds_id)
            if slug is None:
                return None
            records, modified, organizations = rows.full_records(connection, [slug])
        return self._service(records[0], modified, organizations, full=True)

    def minimal_services(self, query: Query) -> dict:
        """The spec's ``minimal``: every matching service as just its id and last_modified, one page."""
        with self.engine.connect() as connection:
            version = self._version(connection)
            slugs = self._service_ids(connection, query, version)
            ids = page_slice(query, slugs)
            modified = rows.modified_times(connection, ids)
        contents = [
            {"id": hsds.service_id(slug), "last_modified": hsds.timestamp(modified[slug])} for slug in ids
        ]
        return page_of(query, len(slugs), contents)

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

            matching = self._cached(connection, ("service_at_locations", filters(query)), build)
            page = page_slice(query, matching)
            records, modified, organizations = rows.full_records(connection, list({row[0] for row in page}))
        by_id = {record["id"]: record for record in records}
        contents = []
        for slug, position in page:
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
            records, modified, organizations = rows.full_records(connection, [slug])
        record = records[0]
        link = hsds.service_at_locations(record, self.taxonomy)[position]
        return {**link, "service": self._service(record, modified, organizations, full=True)}

    # -- organizations ---------------------------------------------------------------------
    def _organization_conditions(self, query: Query) -> list:
        conditions = [
            ORGANISATION.c.id.in_(select(ACTIVITY.c.organisation_id).where(published(self.today())))
        ]
        if query.search:
            conditions.append(rows.like(ORGANISATION.c.naam, query.search))
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
            organizations = rows.organizations(connection, slugs)
        contents = [organizations[s] if query.full else rows.flat(organizations[s]) for s in slugs]
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
            records, modified, organizations = rows.full_records(connection, ids)
        result = dict(organizations[slug])
        if full_service:  # the spec's full_service: each service fully nested (without its organization)
            result["services"] = [
                hsds.service(r, self.taxonomy, self.terms_by_id, modified.get(r["id"])) for r in records
            ]
        else:
            result["services"] = [hsds.service_fields(r, modified.get(r["id"])) for r in records]
        return result

    # -- taxonomies ------------------------------------------------------------------------
    def taxonomies(self, query: Query) -> dict:
        found = [t for t in self.taxonomy_list if _matches(t, query.search)]
        return page_of(query, len(found), page_slice(query, found))

    def taxonomy_by_id(self, hsds_id: str) -> dict | None:
        return next((t for t in self.taxonomy_list if t["id"] == hsds_id), None)

    def taxonomy_terms(self, query: Query, parent_id: str | None = None) -> dict:
        found = [
            t
            for t in self.terms
            if _matches(t, query.search)
            and (not query.taxonomy_id or t["taxonomy_id"] == query.taxonomy_id)
            and not parent_id  # our vocabularies are flat: no term has a parent
        ]
        return page_of(query, len(found), page_slice(query, found))

    def taxonomy_term(self, hsds_id: str) -> dict | None:
        return self.terms_by_id.get(hsds_id)
