"""Prometheus metrics of the web app: `GET /metrics` (text exposition format).

What is measured:

- `ww_http_requests_total{route,method,status}` and the latency histogram
  `ww_http_request_duration_seconds{route}` of every request, by route
  *template* (`/api/chat`, `/coach`, ...; a path no route knows is `other`), so a
  reference code or a token in a path never becomes a label;
- `ww_http_errors_total{route,kind}`: answers 5xx (`server_error`) and unhandled
  exceptions (`exception`);
- read from the database at scrape time, with cheap indexed counts:
  `ww_outbox_backlog{state}` (notifications not delivered: `pending`, `failed`),
  `ww_outbox_oldest_pending_seconds`, `ww_requests_open{status}` and
  `ww_requests_overdue` (open, no contact yet, past the two-week contact deadline:
  `bot.handoff.casework.is_overdue` as one SQL count), and `ww_database_up`.

Nothing personal is a label or a value: no sender id, no address, no text.

Multi-worker decision: **one registry per process**, no prometheus multiprocess
mode. Every web worker is its own process on its own port (the replicated
profile, one container or pod per worker) and is scraped as its own target;
Prometheus adds the targets up (`sum by (route) (rate(ww_http_requests_total[5m]))`).
The database gauges are the same in every worker: aggregate them with `max`.

Access (`metrics_allowed`): with `WW_METRICS_TOKEN` set, only a request with
`Authorization: Bearer <token>` is answered (else 401); without a token, only a
client on the loopback address is (else 403). Behind a reverse proxy, do not
forward `/metrics` to the public (docs/deployment.md).
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import and_, func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Match

# Reply times of the chat are 0.1-1 s; the buckets resolve 50 ms .. 10 s (the relay's deadline is 9 s).
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 0.8, 1.0, 1.5, 2.5, 5.0, 10.0)
METHODS = {"GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"}
OTHER_ROUTE = "other"


class DatabaseCollector:
    """Outbox backlog and overdue requests, counted in the database when Prometheus scrapes."""

    def __init__(self, database_url: str):
        self.database_url = database_url

    def describe(self):
        return []  # collected only at scrape time (no query when the registry is built)

    def collect(self):
        from bot.handoff.casework import CLOSED
        from bot.handoff.db import make_engine
        from bot.handoff.models import OUTBOX_DELIVERED, HandoffRequest, OutboxMessage, utcnow

        up = GaugeMetricFamily("ww_database_up", "1 when the scrape could read the hand-off database")
        backlog = GaugeMetricFamily(
            "ww_outbox_backlog", "Notifications not delivered yet, by outbox state", labels=["state"]
        )
        oldest = GaugeMetricFamily(
            "ww_outbox_oldest_pending_seconds", "Age of the oldest pending notification (0: none)"
        )
        open_requests = GaugeMetricFamily(
            "ww_requests_open", "Hand-off requests not closed, by status", labels=["status"]
        )
        overdue = GaugeMetricFamily(
            "ww_requests_overdue", "Open requests without contact past their contact deadline"
        )
        now = utcnow()
        outbox = OutboxMessage.__table__
        requests = HandoffRequest.__table__
        try:
            with make_engine(self.database_url).connect() as connection:
                states = connection.execute(
                    select(outbox.c.state, func.count())
                    .where(outbox.c.state != OUTBOX_DELIVERED)
                    .group_by(outbox.c.state)
                ).all()
                first_pending = connection.execute(
                    select(func.min(outbox.c.created_at)).where(outbox.c.state == "pending")
                ).scalar()
                statuses = connection.execute(
                    select(requests.c.status, func.count())
                    .where(requests.c.status.not_in(CLOSED))
                    .group_by(requests.c.status)
                ).all()
                late = connection.execute(
                    select(func.count()).where(
                        and_(
                            requests.c.status.not_in(CLOSED),
                            requests.c.first_contact_at.is_(None),
                            requests.c.contact_deadline < now,
                        )
                    )
                ).scalar()
        except Exception:  # noqa: BLE001 - a scrape must answer; the gauge says the database is away
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        counts = {"pending": 0, "failed": 0, **{state: count for state, count in states}}
        for state, count in sorted(counts.items()):
            backlog.add_metric([state], count)
        age = (now - first_pending) if first_pending else timedelta(0)
        oldest.add_metric([], max(age.total_seconds(), 0.0))
        for status, count in sorted(statuses):
            open_requests.add_metric([status], count)
        overdue.add_metric([], late or 0)
        yield from (up, backlog, oldest, open_requests, overdue)


class WebMetrics:
    """The registry of one web worker: HTTP counters plus the database collector."""

    def __init__(self, database_url: str | None = None):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "ww_http_requests",
            "HTTP requests answered, by route template, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ww_http_request_duration_seconds",
            "Time to answer a request, by route template",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "ww_http_errors",
            "Requests that ended in a 5xx answer (server_error) or an unhandled exception",
            ["route", "kind"],
            registry=self.registry,
        )
        if database_url:
            self.registry.register(DatabaseCollector(database_url))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "OTHER"
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if status >= 500:
            self.errors.labels(route, "server_error").inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def route_label(routes, scope) -> str:
    """The template of the route that serves `scope` (`/api/chat`, `/coach`), or `other`."""
    for route in routes:
        match, _ = route.matches(scope)
        if match in (Match.FULL, Match.PARTIAL):
            return getattr(route, "path", None) or OTHER_ROUTE
    return OTHER_ROUTE


class MetricsMiddleware:
    """Pure ASGI middleware: counts and times every HTTP request (no body is read)."""

    def __init__(self, app, metrics: WebMetrics, routes):
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = route_label(self.routes, scope)
        status = {"code": 500}
        started = time.perf_counter()

        async def send_and_record(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        except Exception:
            self.metrics.errors.labels(route, "exception").inc()
            self.metrics.observe(route, scope.get("method", ""), 500, time.perf_counter() - started)
            raise
        self.metrics.observe(route, scope.get("method", ""), status["code"], time.perf_counter() - started)


def _is_loopback(host: str | None) -> bool:
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def metrics_allowed(request: Request, token: str) -> int:
    """200 when this request may read the metrics, else the status to answer (401, 403)."""
    if token:
        given = request.headers.get("authorization", "")
        expected = f"Bearer {token}"
        return 200 if hmac.compare_digest(given.encode(), expected.encode()) else 401
    return 200 if _is_loopback(request.client.host if request.client else None) else 403


async def metrics_endpoint(request: Request) -> Response:
    settings, metrics = request.app.state.settings, request.app.state.metrics
    allowed = metrics_allowed(request, settings.metrics_token)
    if allowed != 200:
        headers = {"WWW-Authenticate": "Bearer"} if allowed == 401 else {}
        return PlainTextResponse("", status_code=allowed, headers=headers)
    # The database counts run in a worker thread: the event loop keeps answering chats.
    body = await run_in_threadpool(metrics.exposition)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
