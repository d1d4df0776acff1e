"""What the resident enjoys: category buttons for the current theme."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._responses import intent_payload
from actions._teksten import fill, utter

ALLE_CATEGORIEEN = "alles"  # "weet ik niet": search the theme's default categories


def current_theme(tracker: Tracker) -> str | None:
    themes = tracker.get_slot("themas") or []
    return themes[0] if themes else None


def categories_for(theme: str | None) -> list[str]:
    vocab = taxonomy()
    if theme in vocab.themes and vocab.themes[theme].categories:
        return list(vocab.themes[theme].categories)
    return list(vocab.categories)


def _normalise(text: str) -> str:
    return (
        " "
        + re.sub(
            r"[^a-z0-9]+", " ", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        )
        + " "
    )


def category_from_text(text: str, preferred: list[str]) -> str | None:
    """The category a free answer names (labels and words of categories.yml); the earliest wins."""
    said = _normalise(text or "")
    hits = []
    for code, category in taxonomy().categories.items():
        for word in (category.label, *category.words):
            for part in re.split(r"\s*&\s*", word) if "&" in word else [word]:
                position = said.find(_normalise(part).rstrip())  # a word start: "wandel" finds "wandelen"
                if position >= 0:
                    rank = preferred.index(code) if code in preferred else len(preferred)
                    hits.append((position, rank, code))
    return min(hits)[2] if hits else None


def search_categories(tracker: Tracker) -> list[str]:
    chosen = tracker.get_slot("categorie")
    if chosen and chosen != ALLE_CATEGORIEEN:
        return [chosen]
    theme = current_theme(tracker)
    return categories_for(theme) if theme else []


class ActionAskCategorie(Action):
    def name(self) -> str:
        return "action_ask_categorie"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        vocab = taxonomy()
        buttons = [
            {
                "title": vocab.categories[code].label,
                "payload": intent_payload("zoek_activiteit", categorie=code),
            }
            for code in categories_for(current_theme(tracker))
        ]
        buttons.append({"title": fill("knop_weet_niet"), "payload": "/weet_niet"})
        utter(dispatcher, "ask_categorie", buttons=buttons, gemeente_naam=tracker.get_slot("gemeente_naam"))
        return []
