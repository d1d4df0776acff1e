"""The gemeente of the website the chat runs on, said once when the widget opens.

A session starts with Rasa's own `action_session_start`: it needs no action
server, so the first message of a conversation (a crisis, a medical question,
another language, emoji) is answered by rules even when this server is down.

The web app passes a municipality code it has checked against the municipality
list as message metadata (`gemeente_code`). When the widget (or the chat page
with `?gemeente=`) opens, the server (never the resident: the relay strips a
typed leading "/") sends the intent `/gemeente_van_site` with that metadata;
the rule "gemeente van de website" (data/rules.yml) runs this action. It reads
the code from that message's metadata, sets `gemeente_code` / `gemeente_naam`
and says in one line where it searches (after the introduction, which would
otherwise come with the resident's first message); the resident can name another place at
any time (action_plaats_wijzigen). Typed text can never set the gemeente: it is
not an entity or a slot mapping, and metadata is set by the server only.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._teksten import utter

METADATA_KEY = "gemeente_code"


def site_gemeente(metadata: Any):
    """The municipality named in the metadata, or None for a missing or unknown code."""
    code = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    return taxonomy().municipalities.get(code) if isinstance(code, str) else None


def message_metadata(tracker: Tracker) -> Any:
    """The metadata the web app sent with the latest message."""
    return (tracker.latest_message or {}).get("metadata")


def _bot_spoke(tracker: Tracker) -> bool:
    return any(event.get("event") == "bot" for event in tracker.events or [])


class ActionGemeenteVanSite(Action):
    def name(self) -> str:
        return "action_gemeente_van_site"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        municipality = site_gemeente(message_metadata(tracker))
        if municipality is None:
            return []
        # Said once: opening the widget again on the same conversation is silent. The resident's
        # first message is then no longer the conversation's start, so the honest-bot introduction
        # (utter_intro) comes here, first.
        if tracker.get_slot("gemeente_code") != municipality.code:
            if not _bot_spoke(tracker):
                dispatcher.utter_message(response="utter_intro")
            utter(dispatcher, "gemeente_van_site", gemeente_naam=municipality.naam)
        return [SlotSet("gemeente_code", municipality.code), SlotSet("gemeente_naam", municipality.naam)]
