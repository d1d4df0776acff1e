"""The web app: chat page (/), chat API (/api/chat), the widget (bot/web/widget.py:
/widget.js, /demo/gemeente, /print), /health, /metrics, /privacy, static files, and the
coach inbox mounted at /coach, the referrer portal at /verwijzer, the
figures at /cijfers, the editors' back office at /redactie, the resident's status lookup at /mijn-aanvraag.

`create_app(settings)` builds it; `python -m bot.web` serves it with uvicorn.
"""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.accounts import LoginLimiter
from bot.handoff.intake import ContactIntake
from bot.metrics import MetricsMiddleware, WebMetrics, metrics_endpoint
from bot.relay import Relay
from bot.settings import Settings
from bot.shared_state import shared_state
from bot.web.chat import chat_api, report_api
from bot.web.cijfers import create_figures_app
from bot.web.conversation import ChatRateLimits, ConversationCookies, OfferedPayloads
from bot.web.health import health
from bot.web.hsds_api import create_hsds_api
from bot.web.inbox import create_inbox_app
from bot.web.pages.privacy import privacy_route
from bot.web.redactie import create_editors_app
from bot.web.security import SecurityHeaders
from bot.web.status import create_status_app
from bot.web.verwijzer import create_referrer_app
from bot.web.widget import widget_routes

WEB_DIR = Path(__file__).resolve().parent


def create_app(settings: Settings | None = None, freeze_heap: bool = False) -> Starlette:
    """`freeze_heap`: for a serving process only (`python -m bot.web`), not for apps made in tests."""
    settings = settings or Settings.from_env()
    relay = Relay(settings, intake=ContactIntake(settings))
    shared = shared_state(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        await run_in_threadpool(relay.warm_up)
        if freeze_heap:
            # What start-up loaded lives as long as the process: out of the collector's walks.
            gc.collect()
            gc.freeze()
        async with httpx.AsyncClient() as http:
            app.state.http = http
            try:
                yield
            finally:
                await relay.aclose()

    routes = [
        *widget_routes(),  # /, /widget.js, /demo/gemeente, /print, history and "Gesprek wissen"
        Route("/api/chat", chat_api, methods=["POST"], name="chat_api"),
        Route("/api/chat/melding", report_api, methods=["POST"], name="chat_melding"),  # "Klopt dit niet?"
        Route("/health", health, methods=["GET"], name="health"),
        # Prometheus (bot/metrics.py): bearer token or loopback only.
        Route("/metrics", metrics_endpoint, methods=["GET"], name="metrics"),
        privacy_route(settings),
        Mount("/static", StaticFiles(directory=str(WEB_DIR / "static")), name="static"),
        Mount("/coach", app=create_inbox_app(settings, LoginLimiter(state=shared)), name="coach"),
        Mount("/verwijzer", app=create_referrer_app(settings, LoginLimiter(state=shared)), name="verwijzer"),
        Mount("/cijfers", app=create_figures_app(settings, LoginLimiter(state=shared)), name="cijfers"),
        Mount("/redactie", app=create_editors_app(settings, LoginLimiter(state=shared)), name="redactie"),
        Mount("/mijn-aanvraag", app=create_status_app(settings), name="mijn_aanvraag"),
        Mount("/api/hsds", app=create_hsds_api(settings), name="hsds_api"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.relay = relay
    app.state.cookies = ConversationCookies.from_settings(settings)
    # Rate limits and offered buttons in Redis when WW_REDIS_URL is set (several workers).
    app.state.shared = shared
    app.state.offered = OfferedPayloads(shared, ttl_seconds=settings.conversation_idle_minutes * 60)
    app.state.rate_limits = ChatRateLimits.from_settings(settings, shared)
    app.add_middleware(SecurityHeaders, settings=settings)
    # Outermost: counts and times every answer, also those of the security middleware.
    app.state.metrics = WebMetrics(settings.database_url)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics, routes=routes)
    return app
