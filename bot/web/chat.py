"""The chat API: POST /api/chat {"message": "..."} -> {"messages": [...]}.

A button click posts the button's payload as the message (or as "payload").
Errors answer with {"error": code, "message": Dutch text} and never reach Rasa.
"""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from bot.cards import attach_cards, report_texts
from bot.channel_messages import channel_text
from bot.relay import neutralise_typed_text
from bot.text_input import is_readable_text
from bot.web.status.pickup import web_pickup
from sociale_kaart.taxonomy import load_taxonomy

log = logging.getLogger(__name__)

CHANNEL = "web"
# JSON may escape one character as up to 12 bytes ("\ud83d\ude00"), plus the envelope.
BYTES_PER_CHAR = 12
ENVELOPE_BYTES = 1024


class BadChatRequest(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message


def _error(problem: BadChatRequest) -> JSONResponse:
    return JSONResponse({"error": problem.code, "message": problem.message}, status_code=problem.status)


def _unreadable() -> BadChatRequest:
    return BadChatRequest(400, "ongeldige_tekens", channel_text("web", "ongeldige_tekens"))


def _too_long(max_chars: int) -> BadChatRequest:
    return BadChatRequest(413, "te_lang", channel_text("web", "te_lang", max_tekens=max_chars))


def site_gemeente(code) -> str | None:
    """A municipality code (CBS, e.g. GM0402) of the list, or None: unknown codes are ignored."""
    return code if isinstance(code, str) and code in load_taxonomy().municipalities else None


async def _read_message(request: Request, max_chars: int) -> tuple[str, str | None]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise BadChatRequest(415, "geen_json", channel_text("web", "geen_json"))
    limit = max_chars * BYTES_PER_CHAR + ENVELOPE_BYTES
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _too_long(max_chars)
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:  # bytes that are no UTF-8: invalid Unicode, not a JSON problem
        raise _unreadable() from None
    try:
        data = json.loads(decoded)
    except (ValueError, RecursionError):
        raise BadChatRequest(400, "ongeldige_json", channel_text("web", "ongeldige_json")) from None
    message = data.get("message", data.get("payload")) if isinstance(data, dict) else None
    if not isinstance(message, str):
        raise BadChatRequest(422, "geen_bericht", channel_text("web", "geen_bericht"))
    if len(message) > max_chars:
        raise _too_long(max_chars)
    if not is_readable_text(message):  # e.g. a lone surrogate "\ud800" or NUL
        raise _unreadable()
    return message.strip(), site_gemeente(data.get("gemeente"))


def to_browser(reply: dict) -> dict:
    buttons = [
        {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
        for button in (reply.get("buttons") or [])
        if isinstance(button, dict)
    ]
    message = {"text": reply.get("text"), "buttons": buttons, "custom": reply.get("custom")}
    if reply.get("card"):
        message["card"] = reply["card"]
    if reply.get("image"):
        message["image"] = reply["image"]
    return message


def _check_rate(request: Request, sender_id: str) -> None:
    limits = request.app.state.rate_limits
    client = request.client.host if request.client else "onbekend"
    if not (limits.per_conversation.allow(sender_id) and limits.per_client.allow(client)):
        raise BadChatRequest(429, "te_snel", channel_text("web", "te_snel"))


# The intent the server sends when the widget opens with a known gemeente: the rule
# "gemeente van de website" runs action_gemeente_van_site (actions/session_start.py).
# The session itself starts with Rasa's own action_session_start (no action server).
SESSION_START_PAYLOAD = "/gemeente_van_site"


# -- "Klopt dit niet?" under a card: POST /api/chat/melding {"activiteit": id, "reden": code} --
# Rasa never sees it. Only the reason code, the source and the day are stored
# (sociale_kaart.signals); the conversation cookie only checks that this conversation was
# shown the activity, and limits how often it reports.
SHOWN_CARDS_MAX = 60
REPORTS_PER_CONVERSATION_HOUR = 5
REPORTS_PER_CLIENT_HOUR = 50
REPORT_BODY_MAX = 1024


def remember_cards(state, sender_id: str, replies: list[dict]) -> None:
    """The activity ids on the cards this conversation was shown (kept while it lives)."""
    ids = [reply["card"]["id"] for reply in replies if isinstance(reply.get("card"), dict) and reply["card"].get("id")]
    if not ids:
        return
    raw = state.shared.get(f"kaarten:{sender_id}")
    known = json.loads(raw) if raw else []
    merged = list(dict.fromkeys(known + ids))[-SHOWN_CARDS_MAX:]
    state.shared.put(f"kaarten:{sender_id}", json.dumps(merged), state.settings.conversation_idle_minutes * 60)


def _report_answer(status: int, key: str) -> JSONResponse:
    return JSONResponse({"error" if status >= 400 else "ok": key, "message": report_texts()[key]}, status_code=status)


async def report_api(request: Request) -> JSONResponse:
    from starlette.concurrency import run_in_threadpool

    from sociale_kaart import signals
    from sociale_kaart.db import make_engine

    state = request.app.state
    sender_id, is_new = state.cookies.sender_id(request)
    if is_new:  # no conversation: nothing was shown, so nothing to report
        return _report_answer(403, "verlopen")
    body = await request.body()
    try:
        data = json.loads(body.decode("utf-8")) if len(body) <= REPORT_BODY_MAX else None
    except (UnicodeDecodeError, ValueError):
        data = None
    activity = data.get("activiteit") if isinstance(data, dict) else None
    reason = data.get("reden") if isinstance(data, dict) else None
    if not isinstance(activity, str) or reason not in signals.reasons():
        return _report_answer(422, "niet_gelukt")
    raw = state.shared.get(f"kaarten:{sender_id}")
    if activity not in (json.loads(raw) if raw else []):
        return _report_answer(403, "verlopen")
    if state.shared.get(f"gemeld:{sender_id}:{activity}"):
        return _report_answer(200, "al_gemeld")
    client = request.client.host if request.client else "onbekend"
    if not (state.shared.allow(f"meldingen:{sender_id}", REPORTS_PER_CONVERSATION_HOUR, 3600)
            and state.shared.allow(f"meldingen-adres:{client}", REPORTS_PER_CLIENT_HOUR, 3600)):
        return _report_answer(429, "te_vaak")
    if getattr(state, "kaart_engine", None) is None:
        state.kaart_engine = make_engine(state.settings.database_url)
    try:
        await run_in_threadpool(signals.report, state.kaart_engine, activity, reason, "web")
    except signals.SignalError:
        return _report_answer(422, "niet_gelukt")
    state.shared.put(f"gemeld:{sender_id}:{activity}", "1", state.settings.conversation_idle_minutes * 60)
    log.info("activity report stored (web)")
    response = _report_answer(200, "bedankt")
    state.cookies.issue(response, sender_id)
    return response


async def start_api(request: Request) -> JSONResponse:
    """POST /api/chat/start {"gemeente": "GM0402"}: the widget opens a new conversation.

    With a known gemeente the server (not the resident) sends the intent
    /gemeente_van_site with the gemeente as metadata, so the bot introduces
    itself and confirms the place before the resident types. Anything else answers with no messages."""
    state = request.app.state
    sender_id, _is_new = state.cookies.sender_id(request)
    try:
        _check_rate(request, sender_id)
        data = json.loads((await request.body()).decode("utf-8") or "{}")
    except BadChatRequest as problem:
        return _error(problem)
    except (UnicodeDecodeError, ValueError):
        data = {}
    gemeente = site_gemeente(data.get("gemeente")) if isinstance(data, dict) else None
    replies: list[dict] = []
    if gemeente:
        replies = attach_cards(await state.relay.send(
            sender_id, SESSION_START_PAYLOAD, CHANNEL, metadata={"gemeente_code": gemeente}))
        state.offered.remember(sender_id, replies)
    response = JSONResponse({"messages": [to_browser(reply) for reply in replies]})
    state.cookies.issue(response, sender_id)
    return response


async def chat_api(request: Request) -> JSONResponse:
    state = request.app.state
    sender_id, _is_new = state.cookies.sender_id(request)
    try:
        _check_rate(request, sender_id)
        message, gemeente = await _read_message(request, state.settings.max_message_chars)
    except BadChatRequest as problem:
        log.info("chat request refused for sender %s: %s", sender_id, problem.code)
        response = _error(problem)
    else:
        if message.startswith("/") and state.offered.was_offered(sender_id, message):
            text = message
        else:
            text = neutralise_typed_text(message)
        pickup_token = None
        if not text:
            replies = [{"text": channel_text("web", "leeg_bericht")}]
        else:
            # The website's gemeente (checked above) travels as metadata, never as text or intent.
            metadata = {"gemeente_code": gemeente} if gemeente else None
            replies = attach_cards(await state.relay.send(sender_id, text, CHANNEL, metadata=metadata))
            remember_cards(state, sender_id, replies)
            # The resident's opt-in for a pickup message: stored, bound to this browser.
            replies, pickup_token = await web_pickup(request.app).take(request, sender_id, replies)
            if replies != state.relay.storing_messages():
                # After the "storing" reply the buttons offered before stay valid, so the
                # resident can press "Ja" again once the fault is over (nothing was sent).
                state.offered.remember(sender_id, replies)
        response = JSONResponse({"messages": [to_browser(reply) for reply in replies]})
        if pickup_token:
            web_pickup(request.app).issue(response, pickup_token)
    # Issued on every answer: the cookie (and the server's check) expire after inactivity.
    state.cookies.issue(response, sender_id)
    return response
