"""A new session: Rasa's own start, plus the gemeente of the website the chat runs on.

The web app passes a municipality code it has checked against the municipality
list as message metadata (`gemeente_code`); Rasa puts the first message's
metadata in the slot `session_started_metadata`. Typed text can never set it:
it is not an intent, an entity or a slot mapping. The bot says in one line where
it searches, and the resident can name another place at any time
(action_plaats_wijzigen).
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
        events: list[dict] = [SessionStarted()]
        municipality = site_gemeente(tracker.get_slot(METADATA_SLOT))
        if municipality is not None:
            events += [
                SlotSet("gemeente_code", municipality.code),
                SlotSet("gemeente_naam", municipality.naam),
            ]
            utter(dispatcher, "gemeente_van_site", gemeente_naam=municipality.naam)
        return events + [ActionExecuted("action_listen")]
