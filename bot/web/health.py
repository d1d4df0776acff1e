"""GET /health: can this web worker answer residents? 200 when it can, else 503.

Per Rasa replica (Settings.rasa_urls) it checks that Rasa says hello, that Rasa's
tracker store works (`/ww/health` of bot.rasa_server: Rasa's fail-safe tracker
store would otherwise keep conversations in memory without a word) and that the
replica's action server answers. 200 when at least one replica is fully up (the
relay fails over to it) and no replica reports a failing tracker store: a failing
store is a fault to act on, even while the chat still answers.

The answer has "status", "rasa", "action_server", "tracker_store" (only when Rasa
reports it) and, with more than one replica, "replicas" (one entry per replica).
"""
from __future__ import annotations

import asyncio

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

CHECK_TIMEOUT = httpx.Timeout(3.0)
RASA_HEALTH_PATH = "/ww/health"  # bot.rasa_server.HEALTH_PATH (not imported: that pulls in Rasa)


async def _rasa_up(client: httpx.AsyncClient, rasa_url: str) -> bool:
    try:
        response = await client.get(f"{rasa_url}/", timeout=CHECK_TIMEOUT)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.text.startswith("Hello from Rasa")


async def _tracker_store_ok(client: httpx.AsyncClient, rasa_url: str) -> bool | None:
    """Rasa's own report on its tracker store; None when it gives none (not started
    through bot.rasa_server, or not reachable)."""
    try:
        response = await client.get(f"{rasa_url}{RASA_HEALTH_PATH}", timeout=CHECK_TIMEOUT)
        if response.status_code not in (200, 503):
            return None
        report = response.json().get("tracker_store")
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return bool(report.get("ok")) if isinstance(report, dict) else None


async def _action_server_up(client: httpx.AsyncClient, action_server_url: str) -> bool:
    try:
        response = await client.get(f"{action_server_url}/health", timeout=CHECK_TIMEOUT)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def _replica(client: httpx.AsyncClient, rasa_url: str, action_server_url: str) -> dict:
    rasa, tracker_store, actions = await asyncio.gather(
        _rasa_up(client, rasa_url),
        _tracker_store_ok(client, rasa_url),
        _action_server_up(client, action_server_url),
    )
    return {"rasa": rasa, "tracker_store": tracker_store if rasa else None, "action_server": actions}


async def health(request: Request) -> JSONResponse:
    settings, client = request.app.state.settings, request.app.state.http
    rasa_urls = getattr(settings, "rasa_urls", None) or (settings.rasa_url,)
    action_urls = getattr(settings, "action_server_urls", None) or (settings.action_server_url,)
    replicas = await asyncio.gather(*(_replica(client, r, a) for r, a in zip(rasa_urls, action_urls)))
    reported = [r["tracker_store"] for r in replicas if r["tracker_store"] is not None]
    tracker_store_ok = all(reported)
    serving = any(r["rasa"] and r["action_server"] and r["tracker_store"] is not False for r in replicas)
    up = serving and tracker_store_ok
    body: dict = {
        "status": "ok" if up else "storing",
        "rasa": any(r["rasa"] for r in replicas),
        "action_server": any(r["action_server"] for r in replicas),
    }
    if reported:
        body["tracker_store"] = tracker_store_ok
    if len(replicas) > 1:
        body["replicas"] = replicas
    return JSONResponse(body, status_code=200 if up else 503, headers={"Cache-Control": "no-store"})
