"""A resident shares a worry: note it (and a second one), reset the search, keep the place."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._responses import latest_entity, latest_intent
from actions._teksten import utter
from actions.category import ALLE_CATEGORIEEN, categories_for, category_from_text
from actions.place import ELDERS, place_slots

THEME_INTENT_PREFIX = "thema_"
SIGNALS_FILE = Path(__file__).with_name("thema_signalen.yml")
# A second theme from DIET's ranking counts only above this confidence.
SECOND_THEME_MIN_CONFIDENCE = 0.2


def theme_from_intent(intent: str | None) -> str | None:
    if not intent or not intent.startswith(THEME_INTENT_PREFIX):
        return None
    code = intent[len(THEME_INTENT_PREFIX) :]
    return code if code in taxonomy().themes else None


@lru_cache(maxsize=1)
def _signal_patterns() -> dict[str, re.Pattern]:
    signals = yaml.safe_load(SIGNALS_FILE.read_text(encoding="utf-8"))
    return {
        theme: re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in stems) + ")", re.IGNORECASE)
        for theme, stems in signals.items()
    }


def second_theme(message: dict[str, Any], first: str) -> str | None:
    """Another theme in the same message: from the word signals, else from DIET's ranking."""
    text = message.get("text") or ""
    if text.startswith("/"):  # a button payload carries exactly one theme
        return None
    hits = []
    for theme, pattern in _signal_patterns().items():
        found = pattern.search(text)
        if theme != first and found:
            hits.append((found.start(), theme))
    if hits:
        return min(hits)[1]
    for ranked in message.get("intent_ranking") or []:
        theme = theme_from_intent(ranked.get("name"))
        if theme and theme != first and (ranked.get("confidence") or 0) >= SECOND_THEME_MIN_CONFIDENCE:
            return theme
    return None


class ActionThema(Action):
    def name(self) -> str:
        return "action_thema"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        theme = theme_from_intent(latest_intent(tracker))
        if theme is None:
            return []
        earlier = [t for t in (tracker.get_slot("themas") or []) if t != theme]
        later = second_theme(tracker.latest_message, theme)
        pending = tracker.get_slot("thema_later")
        if later is None and pending != theme:
            later = pending

        # The normalising reply and helpline come from the rules (utter_normaal_<theme>).
        if later and later != pending:
            utter(dispatcher, "tweede_thema", thema=taxonomy().themes[later].label.lower())

        categorie = latest_entity(tracker, "categorie")
        if categorie not in taxonomy().categories and tracker.get_slot("requested_slot") == "categorie":
            # The answer to "Wat doe je graag?" also sounded like a worry ("bewegen",
            # "praten met anderen"): it still answers the question.
            categorie = category_from_text(tracker.latest_message.get("text") or "", categories_for(theme))
        known = {*taxonomy().categories, ALLE_CATEGORIEEN}
        events = [
            SlotSet("themas", [theme] + earlier),
            SlotSet("thema_later", later),
            SlotSet("categorie", categorie if categorie in known else None),
            SlotSet("zoekwoord", latest_entity(tracker, "zoekwoord")),
            SlotSet("match_offset", 0),
        ]
        place = latest_entity(tracker, "plaats")
        if place:
            slots = place_slots(place, tracker)
            # Only a sure place, or a place outside our regions (so the form's question
            # says so at once); otherwise the form asks.
            if slots.get("gemeente_code") or slots.get("plaats_vraag") == ELDERS:
                events += [SlotSet(k, v) for k, v in slots.items()]
        return events
