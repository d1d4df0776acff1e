"""GET /metrics of the real web process (uvicorn on 127.0.0.1): HTTP counters by route
template, latency histogram, errors, and the outbox backlog and overdue requests read
from the database at scrape time; loopback only without a token, bearer token with one."""
from __future__ import annotations

import httpx
import pytest
from ops_support import RasaStandIn, add_request, add_team, days_ago, make_settings, web_process
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from bot.handoff.db import session_scope
from bot.handoff.models import OutboxMessage
from bot.metrics import MetricsMiddleware, WebMetrics, metrics_allowed

TOKEN = "metrics-token-0123456789abcdef"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found, name, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A migrated SQLite database with 3 open requests (1 overdue) and 3 outbox rows."""
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    overdue_id, _ = add_request(settings, team, created=days_ago(20))  # deadline 14 days: late
    add_request(settings, team, created=days_ago(20), status="opgepakt", first_contact=days_ago(3))
    add_request(settings, team, created=days_ago(1))
    add_request(settings, team, created=days_ago(30), status="afgerond", closed=days_ago(2))  # closed
    with session_scope(settings.database_url) as session:
        session.add_all([
            OutboxMessage(request_id=overdue_id, channel="email", kind="nieuw", payload={}),
            OutboxMessage(request_id=overdue_id, channel="telegram", kind="nieuw", payload={},
                          created_at=days_ago(1)),
            OutboxMessage(request_id=overdue_id, channel="email", kind="terugkoppeling-1", payload={},
                          state="failed"),
        ])
    return settings


def test_metrics_count_requests_by_route_and_read_the_database(world, tmp_path):
    env = {"WW_DATABASE_URL": world.database_url, "WW_FERNET_KEYS": ",".join(world.fernet_keys)}
    with RasaStandIn() as rasa, web_process(tmp_path, rasa.url, **env) as (base, log_file):
        with httpx.Client(base_url=base, timeout=10) as client:
            before = samples(client.get("/metrics").text)
            for _ in range(3):
                assert client.post("/api/chat", json={"message": "hoi"}).status_code == 200
            client.get("/coach/aanvragen/WW-T00001")  # a reference code in the path
            assert client.get("/bestaat/niet").status_code == 404
            response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)
    chat = {"route": "/api/chat", "method": "POST", "status": "200"}
    name = "ww_http_requests_total"
    answered = value(after, name, **chat) - value(before, name, **chat)
    assert answered == 3
    assert value(after, "ww_http_request_duration_seconds_count", route="/api/chat") == 3
    assert value(after, "ww_http_request_duration_seconds_sum", route="/api/chat") > 0
    assert value(after, "ww_http_requests_total", route="other", method="GET", status="404") == 1
    labels = {dict(k[1]).get("route") for k in after if k[0] == "ww_http_requests_total"}
    assert "/coach" in labels and not any("WW-T" in (label or "") for label in labels)
    # Read from the database when scraped.
    assert value(after, "ww_database_up") == 1
    assert value(after, "ww_requests_overdue") == 1
    assert value(after, "ww_requests_open", status="nieuw") == 2
    assert value(after, "ww_requests_open", status="opgepakt") == 1
    assert value(after, "ww_requests_open", status="afgerond") == 0
    assert value(after, "ww_outbox_backlog", state="pending") == 2
    assert value(after, "ww_outbox_backlog", state="failed") == 1
    assert 86000 < value(after, "ww_outbox_oldest_pending_seconds") < 87500  # the day-old row
    assert "hoi" not in response.text


def test_metrics_need_the_bearer_token_when_one_is_set(world, tmp_path):
    env = {"WW_DATABASE_URL": world.database_url, "WW_FERNET_KEYS": ",".join(world.fernet_keys),
           "WW_METRICS_TOKEN": TOKEN, "LOG_LEVEL": "DEBUG"}
    with RasaStandIn() as rasa, web_process(tmp_path, rasa.url, **env) as (base, log_file):
        missing = httpx.get(f"{base}/metrics", timeout=10)
        wrong = httpx.get(f"{base}/metrics", headers={"Authorization": "Bearer fout"}, timeout=10)
        right = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert missing.status_code == 401 and wrong.status_code == 401
    assert right.status_code == 200 and "ww_requests_overdue" in right.text
    assert TOKEN not in log_file.read_text()


def _request(client_host: str, authorization: str | None = None) -> Request:
    headers = [(b"authorization", authorization.encode())] if authorization else []
    return Request({"type": "http", "method": "GET", "path": "/metrics", "headers": headers,
                    "client": (client_host, 50000), "query_string": b""})


def test_without_a_token_only_loopback_clients_may_read():
    assert metrics_allowed(_request("127.0.0.1"), "") == 200
    assert metrics_allowed(_request("::1"), "") == 200
    assert metrics_allowed(_request("10.1.2.3"), "") == 403
    assert metrics_allowed(_request("10.1.2.3", f"Bearer {TOKEN}"), TOKEN) == 200
    assert metrics_allowed(_request("127.0.0.1"), TOKEN) == 401  # a token binds loopback too


def test_an_unhandled_exception_counts_as_an_error(tmp_path):
    def boom(request):
        raise RuntimeError("kapot")

    routes = [Route("/kapot", boom)]
    metrics = WebMetrics()
    app = MetricsMiddleware(Starlette(routes=routes), metrics=metrics, routes=routes)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    async def call():
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get("/kapot")

    import asyncio

    assert asyncio.run(call()).status_code == 500
    found = samples(metrics.exposition().decode())
    assert value(found, "ww_http_errors_total", route="/kapot", kind="exception") == 1
    assert value(found, "ww_http_errors_total", route="/kapot", kind="server_error") == 1
    assert value(found, "ww_http_requests_total", route="/kapot", method="GET", status="500") == 1


def test_an_unreadable_database_reports_down_and_the_scrape_still_answers(tmp_path):
    metrics = WebMetrics(f"sqlite:///{tmp_path / 'leeg.db'}")  # no tables
    found = samples(metrics.exposition().decode())
    assert value(found, "ww_database_up") == 0
    assert ("ww_requests_overdue", ()) not in found
