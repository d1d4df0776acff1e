"""Walk a resident through the hand-off (shared by the e2e tests), and look
afterwards in the stack's databases and logs.

The walk works with any chat client that has `say(text)` and `click(payload)`
returning the bot's messages as `{"text", "buttons": [{"title", "payload"}]}`:
the web chat (support.stack.ChatClient) and a Telegram chat
(tests/telegram/telegram_botapi_standin.TelegramChat, where the "payload" is
the inline button's callback data).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine, func, select
from support.stack import ChatClient, texts


@dataclass(frozen=True)
class Resident:
    name: str
    route_title: str  # button title: "Bellen" or "E-mail"
    contact: str
    note: str


def button(messages: list[dict], title_start: str) -> str:
    for message in messages:
        for item in message.get("buttons") or []:
            if item["title"].lower().startswith(title_start.lower()):
                return item["payload"]
    raise AssertionError(f"no button {title_start!r} in {messages}")


def asks_pii(messages: list[dict]) -> bool:
    # The intake strips the payload; the web app sends no pii_request to the browser.
    return any("pii_request" in str(m.get("custom") or "") for m in messages)


def to_consent(chat: ChatClient, place: str = "Hilversum") -> list[dict]:
    """Theme, place, then ask for a coach: ends at the consent question."""
    chat.say("ik voel me eenzaam")
    chat.say(place)
    messages = chat.say("Ik wil graag dat een welzijnscoach contact met me opneemt")
    if "welzijnscoach van" not in texts(messages):
        messages = chat.say(place)  # the form asked for the place first
    assert "binnen twee weken" in texts(messages), messages
    return messages


def fill_form(chat: ChatClient, resident: Resident, consent: list[dict]) -> list[dict]:
    """From the consent question up to the summary; returns the summary messages."""
    messages = chat.click(button(consent, "Ja"))
    assert "noemt" in texts(messages), messages
    messages = chat.say(resident.name)
    messages = chat.click(button(messages, resident.route_title))
    messages = chat.say(resident.contact)
    assert "bereiken" in texts(messages), messages
    messages = chat.click(button(messages, "Ochtend"))
    assert "medische" in texts(messages), messages
    return chat.say(resident.note)


def rows(stack, model, **where) -> int:
    """How many rows of `model` in the stack's hand-off database match `where`."""
    engine = create_engine(stack.settings.database_url, future=True)
    with engine.connect() as connection:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        count = connection.execute(query).scalar_one()
    engine.dispose()
    return count


def leaks(stack, secrets: list[str]) -> list[str]:
    """Where any of `secrets` occurs: Rasa's tracker store (events table and file
    bytes) and every process log of the stack. An empty list is the goal."""
    found = []
    tracker_bytes = stack.tracker_file_bytes()  # SQLite's file; None on PostgreSQL (rows only)
    events = "\n".join(str(row) for row in stack.tracker_rows("SELECT * FROM events"))
    logs = stack.log_text()
    assert events and logs  # the places searched are really there
    for secret in secrets:
        for where, haystack in (("tracker events", events), ("logs", logs)):
            if secret.lower() in haystack.lower():
                found.append(f"{secret!r} in {where}")
        if tracker_bytes is not None and secret.encode("utf-8") in tracker_bytes:
            found.append(f"{secret!r} in tracker file")
    return found
