"""Webhook mode: a small Starlette app that takes Telegram's POSTs and queues
the updates for the PTB application (PTB's own webhook server needs tornado,
which is not installed). Requests without the right secret token get 403."""
from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import urlparse

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000
DEFAULT_LISTEN = "127.0.0.1:8443"


def webhook_listen(settings) -> tuple[str, int]:
    """Where the webhook server listens (behind the TLS proxy of the public URL)."""
    host, _, port = (settings.telegram_webhook_listen.strip() or DEFAULT_LISTEN).rpartition(":")
    return host or "127.0.0.1", int(port)


def webhook_path(webhook_url: str) -> str:
    return urlparse(webhook_url).path or "/"


def webhook_app(application: Application, secret_token: str, path: str) -> Starlette:
    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret_token.encode()):
            log.warning("webhook call with a wrong or missing secret token refused")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return Response(status_code=413)
        try:
            update = Update.de_json(_json(body), application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return Starlette(routes=[Route(path, receive_update, methods=["POST"])])


def _json(body: bytes) -> dict:
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("update is not an object")
    return data
