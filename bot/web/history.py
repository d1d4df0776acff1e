"""The conversation so far, for a chat page that is reloaded (or opened on another page).

Nothing of the conversation is stored in the browser: the page asks the server,
and the server reads Rasa's tracker store (read-only). The tracker holds only
what passed the relay's masking and the contact intake (docs/contracts.md), so
the history shows "[telefoonnummer]" where the resident typed one, and never a
hand-off summary with contact details. Button clicks show the button's title.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.cards import attach_cards

# A session begins with the action action_session_start, so the history starts at it.
SESSION_START_ACTION = "action_session_start"
SESSION_START_PAYLOAD = "/session_start"
# What the widget's own start sends (bot/web/chat.py): not a turn of the resident.
WIDGET_START_PAYLOAD = "/gemeente_van_site"
MAX_EVENTS = 2000


def _rows_from_url(url: str, sender_id: str) -> list[tuple]:
    """The same query on Rasa's PostgreSQL tracker store (Settings.tracker_store_url)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from bot.handoff.db import make_engine

    try:
        with make_engine(url).connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(
                    text(
                        "SELECT type_name, action_name, data FROM events"
                        " WHERE sender_id = :sender ORDER BY id DESC LIMIT :limit"
                    ),
                    {"sender": sender_id, "limit": MAX_EVENTS},
                )
            ]
    except SQLAlchemyError:  # no table yet (Rasa never started) or the database is away
        return []


def _events(tracker_db: Path | str, sender_id: str) -> list[dict]:
    """`tracker_db`: Rasa's SQLite tracker file, or the URL of its PostgreSQL tracker store."""
    if isinstance(tracker_db, str):
        rows = _rows_from_url(tracker_db, sender_id)
    elif not tracker_db.exists():
        return []
    else:
        uri = f"{tracker_db.resolve().as_uri()}?mode=ro"
        try:
            with sqlite3.connect(uri, uri=True, timeout=2) as connection:
                rows = connection.execute(
                    "SELECT type_name, action_name, data FROM events"
                    " WHERE sender_id = ? ORDER BY id DESC LIMIT ?",
                    (sender_id, MAX_EVENTS),
                ).fetchall()
        except sqlite3.Error:  # no table yet (Rasa never started), or locked for too long
            return []
    events = []
    for type_name, action_name, data in reversed(rows):
        if type_name == "action" and action_name == SESSION_START_ACTION:
            previous = events[-1] if events else {}
            if previous.get("event") == "user" and previous.get("text") == SESSION_START_PAYLOAD:
                events.pop()  # the widget's own start (bot/web/chat.py): not a new session, not a turn
            else:
                events = []
        elif type_name == "restart":
            events = []
        elif type_name in ("user", "bot"):
            try:
                event = json.loads(data)
            except (TypeError, ValueError):
                continue
            if not (event.get("event") == "user" and event.get("text") == WIDGET_START_PAYLOAD):
                events.append(event)
    return events


def _bot_message(event: dict) -> dict | None:
    data = event.get("data") or {}
    custom = data.get("custom")
    if isinstance(custom, dict):
        if custom.get("pii_summary"):
            return None  # the intake fills the summary in with the details: never replayed
        # The intake's own markers (a detail request) are not for the browser.
        # "ophaalbericht": the opt-in marker for the channel (bot/handoff/pickup.py).
        internal = {"contact_route", "moment", "team", "ophaalbericht"}
        custom = {k: v for k, v in custom.items() if not k.startswith("pii_") and k not in internal} or None
    message = {"text": event.get("text"), "buttons": data.get("buttons") or [], "custom": custom}
    return message if message["text"] or message["custom"] else None


def conversation_history(tracker_db: Path | str, sender_id: str, payload_placeholder: str) -> list[dict]:
    """[{"from": "user"|"bot", ...}] of the current session, oldest first.

    A user turn that was a payload shows the title of the button it came from,
    else `payload_placeholder` (e.g. the intake's "/pii_ontvangen").
    """
    turns: list[dict] = []
    titles: dict[str, str] = {}
    pending_bot: list[dict] = []

    def flush() -> None:
        for message in attach_cards(pending_bot):
            turns.append({"from": "bot", **message})
        pending_bot.clear()

    for event in _events(tracker_db, sender_id):
        if event.get("event") == "bot":
            message = _bot_message(event)
            if message is not None:
                # Rasa's REST channel sends text and card apart; the tracker keeps them together.
                if message.get("custom") and message.get("text"):
                    pending_bot.append({k: v for k, v in message.items() if k != "custom"})
                    pending_bot.append({"custom": message["custom"]})
                else:
                    pending_bot.append(message)
                for button in message["buttons"]:
                    if isinstance(button, dict) and isinstance(button.get("payload"), str):
                        titles[button["payload"]] = str(button.get("title", ""))
            continue
        flush()
        text = str(event.get("text") or "")
        if not text:
            continue
        if text.startswith("/"):
            text = titles.get(text) or payload_placeholder
        turns.append({"from": "user", "text": text})
        titles = {}
    flush()
    return turns
