"""The chat page, the embeddable widget and what belongs to it.

- GET /                 the chat page; ?gemeente=GM0402 (checked against the
                        municipality list, else ignored), ?ingebed=1 inside the widget
- GET /widget.js        the one script a municipal site includes (texts from widget.yml)
- GET /demo/gemeente    a plain municipal page that embeds the widget (tests and demos)
- GET /print?ids=…      a printable list of activities: activity data only, nothing personal
- GET /api/chat/geschiedenis   the conversation so far (bot.web.history), for a reload
- POST /api/chat/wissen        "Gesprek wissen": the conversation cookie is removed
- POST /api/chat/start         a new conversation in the widget: the site's gemeente confirmed
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from bot.cards import DETAIL_FIELDS, card_texts, report_texts
from bot.channel_messages import helpline_numbers
from bot.web.chat import site_gemeente, start_api, to_browser
from bot.web.history import conversation_history
from bot.web.status.pickup import web_pickup

WEB_DIR = Path(__file__).resolve().parent
TEXTS_FILE = WEB_DIR / "widget.yml"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
MAX_PRINT_IDS = 30
DEMO_GEMEENTE = "GM0402"
DEMO_KLEUR = "#00689e"


@lru_cache(maxsize=1)
def texts() -> dict:
    with open(TEXTS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _chat_texts() -> dict:
    cards = card_texts()
    shared = ("labels", "gevonden_een", "gevonden_meer", "lijst", "print_link")
    return {**texts()["chat"], **{key: cards[key] for key in shared}, "velden": list(DETAIL_FIELDS),
            "melden": report_texts()}


async def chat_page(request: Request):
    context = {
        "helplines": helpline_numbers(),
        "max_message_chars": request.app.state.settings.max_message_chars,
        "gemeente": site_gemeente(request.query_params.get("gemeente")) or "",
        "embedded": request.query_params.get("ingebed") == "1",
        "chat_texts": json.dumps(_chat_texts(), ensure_ascii=False),
    }
    return templates.TemplateResponse(request, "chat.html", context)


async def widget_script(request: Request):
    context = {"widget_texts": json.dumps(texts()["widget"], ensure_ascii=False)}
    return templates.TemplateResponse(
        request,
        "widget.js",
        context,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


async def demo_page(request: Request):
    context = {
        "texts": texts()["demo"],
        "gemeente": DEMO_GEMEENTE,
        "kleur": DEMO_KLEUR,
        "kleur_query": request.query_params.get("kleur"),
    }
    return templates.TemplateResponse(request, "demo_gemeente.html", context)


def _print_ids(raw: str) -> list[str]:
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    return list(dict.fromkeys(ids))[:MAX_PRINT_IDS]


def _engine(request: Request):
    from sociale_kaart.db import make_engine

    state = request.app.state
    if getattr(state, "kaart_engine", None) is None:
        state.kaart_engine = make_engine(state.settings.database_url)
    return state.kaart_engine


def _print_cards(request: Request, ids: list[str]) -> tuple[list[dict], bool]:
    from sociale_kaart.activity_view import card, load_views
    from sociale_kaart.catalogue import catalogue_info
    from sociale_kaart.db import session_scope

    if not ids:
        return [], False
    with session_scope(_engine(request)) as session:
        views = load_views(session, ids)
        example = catalogue_info(session).is_example_data
    return [card(views[i]) for i in ids if i in views], example


async def print_page(request: Request):
    from starlette.concurrency import run_in_threadpool

    ids = _print_ids(request.query_params.get("ids", ""))
    cards, example = await run_in_threadpool(_print_cards, request, ids)
    context = {
        "texts": texts()["print"],
        "cards": cards,
        "labels": card_texts()["labels"],
        "fields": DETAIL_FIELDS,
        "example": example,
    }
    return templates.TemplateResponse(request, "print.html", context)


async def history_api(request: Request) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    state = request.app.state
    sender_id, is_new = state.cookies.sender_id(request)
    # A resident who opted in at hand-off sees here, once, that a coach picked it up.
    pickup, keep_pickup = await web_pickup(request.app).visit(request)
    if is_new:
        return _with_pickup(request, {"messages": pickup}, keep_pickup)
    turns = await run_in_threadpool(
        conversation_history,
        state.settings.tracker_store_url or state.settings.tracker_db,  # PostgreSQL or the SQLite file
        sender_id,
        texts()["chat"]["knop_gegeven"],
    )
    messages = [
        {"from": turn["from"], **to_browser(turn)}
        if turn["from"] == "bot"
        else {"from": "user", "text": turn["text"]}
        for turn in turns
    ]
    return _with_pickup(request, {"messages": messages + pickup}, keep_pickup)


def _with_pickup(request: Request, body: dict, keep_pickup: bool | None) -> JSONResponse:
    response = JSONResponse(body)
    if keep_pickup is False:  # nothing left to show this browser: the token goes
        web_pickup(request.app).clear(response)
    return response


async def clear_api(request: Request) -> Response:
    """The conversation cookie is removed: the next message starts a new conversation."""
    response = JSONResponse({"messages": []})
    request.app.state.cookies.clear(response)
    web_pickup(request.app).clear(response)  # a shared PC keeps no trace of a hand-off either
    return response


def widget_routes() -> list[Route]:
    return [
        Route("/", chat_page, methods=["GET"], name="chat_page"),
        Route("/widget.js", widget_script, methods=["GET"], name="widget_js"),
        Route("/demo/gemeente", demo_page, methods=["GET"], name="demo_gemeente"),
        Route("/print", print_page, methods=["GET"], name="print_page"),
        Route("/api/chat/geschiedenis", history_api, methods=["GET"], name="chat_history"),
        Route("/api/chat/wissen", clear_api, methods=["POST"], name="chat_clear"),
        Route("/api/chat/start", start_api, methods=["POST"], name="chat_start"),
    ]
