"""Validation of zoek_form: a sure gemeente and a known category (or "weet ik niet")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._crisis_first import CrisisFirstFormValidation
from actions._kaart import taxonomy
from actions._responses import latest_entity
from actions.category import ALLE_CATEGORIEEN, categories_for, category_from_text, current_theme
from actions.place import place_from_message, place_slots


class ValidateZoekForm(CrisisFirstFormValidation):
    def name(self) -> str:
        return "validate_zoek_form"

    def validate_gemeente_code(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if slot_value is None:
            return {"gemeente_code": None}  # cleared by an action ("terug"): nothing to check
        if isinstance(slot_value, str) and slot_value in taxonomy().municipalities:
            return {"gemeente_code": slot_value}  # already resolved earlier
        return place_slots(place_from_message(tracker, slot_value), tracker)

    def validate_categorie(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        if slot_value is None or slot_value == ALLE_CATEGORIEEN or slot_value in taxonomy().categories:
            return {"categorie": slot_value}  # None: cleared by an action, nothing to check
        said = " ".join(
            filter(
                None, [latest_entity(tracker, "zoekwoord"), slot_value if isinstance(slot_value, str) else ""]
            )
        )
        code = category_from_text(said, categories_for(current_theme(tracker)))
        if code is None:
            dispatcher.utter_message(response="utter_fallback_kort")  # the form asks again, with the buttons
        return {"categorie": code}
