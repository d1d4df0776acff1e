"""Walk a resident through the hand-off in the web chat (shared by the e2e tests)."""
from __future__ import annotations

from dataclasses import dataclass

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
    messages = chat.say(button(consent, "Ja"))
    assert "noemt" in texts(messages), messages
    messages = chat.say(resident.name)
    messages = chat.say(button(messages, resident.route_title))
    messages = chat.say(resident.contact)
    assert "bereiken" in texts(messages), messages
    messages = chat.say(button(messages, "Ochtend"))
    assert "medische" in texts(messages), messages
    return chat.say(resident.note)
