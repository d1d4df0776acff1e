"""GET /health: are Rasa and the action server reachable? 200 when both are, else 503."""
from __future__ import annotations

import asyncio

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

CHECK_TIMEOUT = httpx.Timeout(3.0)


async def _rasa_up(client: httpx.AsyncClient, rasa_url: str) -> bool:
    try:
        response = await client.get(f"{rasa_url}/", timeout=CHECK_TIMEOUT)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.text.startswith("Hello from Rasa")


async def _action_server_up(client: httpx.AsyncClient, action_server_url: str) -> bool:
    try:
        response = await client.get(f"{action_server_url}/health", timeout=CHECK_TIMEOUT)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


async def health(request: Request) -> JSONResponse:
    settings, client = request.app.state.settings, request.app.state.http
    rasa, actions = await asyncio.gather(
        _rasa_up(client, settings.rasa_url), _action_server_up(client, settings.action_server_url)
    )
    up = rasa and actions
    return JSONResponse(
        {"status": "ok" if up else "storing", "rasa": rasa, "action_server": actions},
        status_code=200 if up else 503,
        headers={"Cache-Control": "no-store"},
    )
