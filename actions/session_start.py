"""A new session: Rasa's own start, plus the gemeente of the website the chat runs on.

The web app passes a municipality code it has checked against the municipality
list as message metadata (`gemeente_code`); Rasa puts the first message's
metadata in the slot `session_started_metadata`. Typed text can never set it:
it is not an intent, an entity or a slot mapping. The bot says in one line where
it searches, and the resident can name another place at any time
(action_plaats_wijzigen). The widget opens a conversation with Rasa's own
"/session_start" (sent by the server, bot/web/chat.py start_api): on a new
tracker Rasa first starts the session (the line is said), then runs this action
again for the intent, which then only keeps the slots.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._teksten import utter

METADATA_SLOT = "session_started_metadata"
METADATA_KEY = "gemeente_code"


def site_gemeente(metadata: Any):
    """The municipality named in the session's metadata, or None for a missing or unknown code."""
    code = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    return taxonomy().municipalities.get(code) if isinstance(code, str) else None


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        metadata = tracker.get_slot(METADATA_SLOT)
        events: list[dict] = [SessionStarted()]
        if metadata is not None:
            events.append(SlotSet(METADATA_SLOT, metadata))  # kept, as Rasa's own session start does
        municipality = site_gemeente(metadata)
        if municipality is not None:
            # Said once: the widget's /session_start right after a new tracker's start is silent.
            if tracker.get_slot("gemeente_code") != municipality.code:
                utter(dispatcher, "gemeente_van_site", gemeente_naam=municipality.naam)
            events += [
                SlotSet("gemeente_code", municipality.code),
                SlotSet("gemeente_naam", municipality.naam),
            ]
        return events + [ActionExecuted("action_listen")]
