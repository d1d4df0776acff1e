"""Moving around in the search: a step back, or a search started without a worry."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._responses import latest_entity


class ActionTerug(Action):
    """Undo the last answer of the search (category first, then place); zoek_form asks again.

    The rule says utter_terug first."""

    def name(self) -> str:
        return "action_terug"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        reset = [SlotSet("match_offset", 0), SlotSet("plaats_vraag", None)]
        if tracker.get_slot("categorie") and tracker.get_slot("requested_slot") != "categorie":
            return [SlotSet("categorie", None)] + reset
        return [
            SlotSet("categorie", None),
            SlotSet("gemeente_code", None),
            SlotSet("gemeente_naam", None),
        ] + reset


class ActionZoekStart(Action):
    """ "Ik zoek een wandelgroep": search by what they name, keep theme and place."""

    def name(self) -> str:
        return "action_zoek_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        categorie = latest_entity(tracker, "categorie")
        return [
            SlotSet("categorie", categorie if categorie in taxonomy().categories else None),
            SlotSet("zoekwoord", latest_entity(tracker, "zoekwoord")),
            SlotSet("match_offset", 0),
        ]
