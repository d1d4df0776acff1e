"""Where the resident lives: resolve a place to a gemeente, or ask one clear question."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._responses import intent_payload, latest_entity, latest_intent
from actions._teksten import utter
from sociale_kaart.places import PlaceResolver, find_postcode

# plaats_vraag tells action_ask_gemeente_code which question fits the last answer.
MEERDERE, SUGGESTIE, ONBEKEND = "meerdere", "suggestie", "onbekend"
ELDERS = "elders"  # a known place outside our regions (plaats_opties holds its name)
POSTCODE = "postcode"  # a postcode: we cannot resolve it, so ask the woonplaats
ZIN = "zin"  # a sentence, not a place name: no "Bedoel je ...?"


def place_slots(text: str | None, tracker: Tracker) -> dict[str, Any]:
    """Slot values for a place answer; gemeente_code stays empty unless the place is sure."""
    options = tracker.get_slot("plaats_opties") or []
    intent = latest_intent(tracker)
    if intent == "bevestigen" and len(options) == 1:
        text = options[0]  # "ja" to "Bedoel je Bussum?"
    elif intent == "ontkennen":
        return _ask(ONBEKEND, [])
    resolution = PlaceResolver.default().resolve((text or "").strip())
    if resolution.status == "found":
        municipality = resolution.municipality
        return {
            "gemeente_code": municipality.code,
            "gemeente_naam": municipality.naam,
            "plaats_vraag": None,
            "plaats_opties": [],
        }
    if resolution.status == "ambiguous":
        return _ask(MEERDERE, [m.naam for m in resolution.candidates])
    if find_postcode(text or ""):
        return _ask(POSTCODE, [])
    if resolution.outside_region and resolution.matched_name:
        return _ask(ELDERS, [resolution.matched_name])
    if resolution.sentence:
        return _ask(ZIN, [])
    if resolution.suggestion:
        return _ask(SUGGESTIE, [resolution.suggestion])
    return _ask(ONBEKEND, [])


def _ask(question: str, options: list[str]) -> dict[str, Any]:
    return {"gemeente_code": None, "plaats_vraag": question, "plaats_opties": options}


def place_from_message(tracker: Tracker, slot_value: Any = None) -> str:
    return (
        latest_entity(tracker, "plaats")
        or (slot_value if isinstance(slot_value, str) else "")
        or (tracker.latest_message.get("text") or "")
    )


def region_names() -> str:
    return ", ".join(taxonomy().regions)


class ActionAskGemeenteCode(Action):
    """The form's question for the place, fitted to the last answer."""

    def name(self) -> str:
        return "action_ask_gemeente_code"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        question = tracker.get_slot("plaats_vraag")
        options = tracker.get_slot("plaats_opties") or []
        buttons = [
            {"title": name, "payload": intent_payload("plaats_noemen", plaats=name)} for name in options
        ]
        if question == MEERDERE and options:
            utter(dispatcher, "plaats_kiezen", buttons=buttons)
        elif question == SUGGESTIE and options:
            utter(dispatcher, "plaats_suggestie", buttons=buttons, suggestie=options[0])
        elif question == ONBEKEND:
            utter(dispatcher, "plaats_onbekend", regios=region_names())
        elif question == ELDERS and options:
            lines = taxonomy().helplines
            utter(
                dispatcher,
                "plaats_elders",
                plaats=options[0],
                regios=region_names(),
                luisterlijn=lines["luisterlijn"].telefoon[0],
                geldfit=lines["geldfit"].telefoon[0],
            )
        elif question == POSTCODE:
            utter(dispatcher, "plaats_postcode")
        elif question == ZIN:
            utter(dispatcher, "plaats_zin")
        else:
            utter(dispatcher, "ask_gemeente_code")
        return [SlotSet("plaats_vraag", None)]


class ActionPlaatsWijzigen(Action):
    """A place named outside the place question: use it for the search from now on."""

    def name(self) -> str:
        return "action_plaats_wijzigen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        slots = place_slots(place_from_message(tracker), tracker)
        slots["match_offset"] = 0
        return [SlotSet(name, value) for name, value in slots.items()]
