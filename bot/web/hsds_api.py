"""The read-only Open Referral API (HSDS 3.0) at /api/hsds/, after schema/openapi.json of the spec.

Routes: the metadata root, /openapi.json, /services[/{id}], /organizations[/{id}],
/taxonomies[/{id}], /taxonomy_terms[/{id}], /service_at_locations[/{id}]. Lists are the
spec's pages (``page``, ``per_page``) with ``search``, ``taxonomy_term_id``,
``taxonomy_id``, ``organization_id``, ``modified_after``, ``full`` (``full_service``), ``minimal``
(/services) and ``format=json`` (ndjson is not offered: a 400). Not offered either: ``postcode``
and ``proximity`` of /service_at_locations (ignored, as the spec makes them optional). Only published
entries are served (sociale_kaart.published). Database work runs in a worker thread.
"""

from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy.pool import QueuePool
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.settings import Settings
from sociale_kaart.hsds_feed import DEFAULT_PER_PAGE, MAX_PER_PAGE, HsdsFeed, Query
from sociale_kaart.hsds_schema import openapi
from sociale_kaart.texts import message

MAX_SEARCH = 200  # characters of ?search=
PROFILE_URL = "https://docs.openreferral.org/en/latest/hsds/"
# Public, read-only data: any website may read it from the browser.
_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}


class BadRequest(Exception):
    def __init__(self, key: str, **values):
        super().__init__(key)
        self.text = message(f"api.{key}", **values)


def _json(data, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=_HEADERS)


def _integer(request: Request, name: str, default: int, highest: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or int(raw) < 1 or (highest is not None and int(raw) > highest):
        raise BadRequest("getal_ongeldig", naam=name, hoogste=highest or "-")
    return int(raw)


def _boolean(request: Request, name: str) -> bool:
    raw = (request.query_params.get(name) or "").lower()
    if raw in ("", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise BadRequest("ja_nee_ongeldig", naam=name)


def _moment(raw: str | None) -> dt.datetime | None:
    """modified_after: an RFC 3339 date-time (or a date), as naive UTC like the database."""
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise BadRequest("datum_ongeldig", waarde=raw) from None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _query(request: Request) -> Query:
    params = request.query_params
    if len(params.get("search") or "") > MAX_SEARCH:
        raise BadRequest("zoektekst_te_lang", max=MAX_SEARCH)
    if (params.get("format") or "json").lower() != "json":  # the spec's ndjson stream is not offered
        raise BadRequest("formaat_ongeldig", waarde=params.get("format")[:20])
    return Query(
        page=_integer(request, "page", 1),
        per_page=_integer(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
        search=(params.get("search") or "").strip() or None,
        taxonomy_term_id=params.get("taxonomy_term_id") or None,
        taxonomy_id=params.get("taxonomy_id") or None,
        organization_id=params.get("organization_id") or None,
        modified_after=_moment(params.get("modified_after")),
        full=_boolean(request, "full") or _boolean(request, "full_service"),
        minimal=_boolean(request, "minimal"),
    )


def _feed(request: Request) -> HsdsFeed:
    state = request.app.state
    if getattr(state, "feed", None) is None:
        from sociale_kaart.db import make_engine

        settings: Settings = state.settings
        extra = {}
        if settings.database_url.startswith("sqlite"):
            # SQLAlchemy 1.4 opens a new SQLite connection per checkout (NullPool); keep a few
            # open instead (each used by one worker thread at a time).
            extra = {"poolclass": QueuePool, "pool_size": 4, "connect_args": {"check_same_thread": False}}
        state.feed = HsdsFeed(make_engine(settings.database_url, settings.engine_options, **extra))
    return state.feed


def _list(method: str):
    async def endpoint(request: Request) -> JSONResponse:
        try:
            query = _query(request)
        except BadRequest as error:
            return _json({"error": error.text}, 400)
        feed = _feed(request)
        if method == "services" and query.minimal:
            return _json(await run_in_threadpool(feed.minimal_services, query))
        if method == "services":  # the busiest list: JSON text from the feed's cache, not re-encoded
            text = await run_in_threadpool(feed.services_json, query)
            return Response(text, media_type="application/json", headers=_HEADERS)
        if method == "taxonomy_terms":
            page = await run_in_threadpool(feed.taxonomy_terms, query, request.query_params.get("parent_id"))
        else:
            page = await run_in_threadpool(getattr(feed, method), query)
        return _json(page)

    return endpoint


def _single(method: str, what: str):
    async def endpoint(request: Request) -> JSONResponse:
        found = await run_in_threadpool(getattr(_feed(request), method), request.path_params["id"])
        if found is None:
            return _json({"error": message("api.niet_gevonden", wat=what)}, 404)
        return _json(found)

    return endpoint


async def one_organization(request: Request) -> JSONResponse:
    """/organizations/{id}; with full_service=true its services fully nested (the spec's parameter)."""
    try:
        full_service = _boolean(request, "full_service")
    except BadRequest as error:
        return _json({"error": error.text}, 400)
    found = await run_in_threadpool(_feed(request).organization, request.path_params["id"], full_service)
    if found is None:
        return _json({"error": message("api.niet_gevonden", wat="organization")}, 404)
    return _json(found)


def _root_url(request: Request) -> str:
    settings: Settings = request.app.state.settings
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    return f"{base}/api/hsds"


async def metadata(request: Request) -> JSONResponse:
    return _json(
        {"version": "3.0", "profile": PROFILE_URL, "openapi_url": f"{_root_url(request)}/openapi.json"}
    )


async def openapi_document(request: Request) -> JSONResponse:
    """The spec's openapi.json with our title, licence and server filled in."""
    document = copy.deepcopy(openapi())
    document["info"] = {
        "title": message("api.titel"),
        "version": "3.0",
        "description": message("api.beschrijving"),
        "license": {"name": "CC BY-SA 4.0 (HSDS)", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
    }
    document["servers"] = [{"url": _root_url(request)}]
    return _json(document)


def create_hsds_api(settings: Settings) -> Starlette:
    routes = [
        Route("/", metadata, methods=["GET"]),
        Route("/openapi.json", openapi_document, methods=["GET"]),
        Route("/services", _list("services"), methods=["GET"]),
        Route("/services/{id}", _single("service", "service"), methods=["GET"]),
        Route("/organizations", _list("organizations"), methods=["GET"]),
        Route("/organizations/{id}", one_organization, methods=["GET"]),
        Route("/taxonomies", _list("taxonomies"), methods=["GET"]),
        Route("/taxonomies/{id}", _single("taxonomy_by_id", "taxonomy"), methods=["GET"]),
        Route("/taxonomy_terms", _list("taxonomy_terms"), methods=["GET"]),
        Route("/taxonomy_terms/{id}", _single("taxonomy_term", "taxonomy_term"), methods=["GET"]),
        Route("/service_at_locations", _list("service_at_locations"), methods=["GET"]),
        Route(
            "/service_at_locations/{id}",
            _single("service_at_location", "service_at_location"),
            methods=["GET"],
        ),
    ]
    app = Starlette(routes=routes)
    app.state.settings = settings
    app.state.feed = None
    return app
