"""What the resident enjoys: category buttons for the current theme."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import taxonomy
from actions._responses import intent_payload
from actions._teksten import fill, utter
from bot.safety.language import looks_like_code
from sociale_kaart.category_text import ALL, category_for_text

ALLE_CATEGORIEEN = ALL  # "weet ik niet": search the theme's default categories


def current_theme(tracker: Tracker) -> str | None:
    themes = tracker.get_slot("themas") or []
    return themes[0] if themes else None


def categories_for(theme: str | None) -> list[str]:
    vocab = taxonomy()
    if theme in vocab.themes and vocab.themes[theme].categories:
        return list(vocab.themes[theme].categories)
    return list(vocab.categories)


def category_from_text(text: str, preferred: list[str]) -> str | None:
    """The category a free answer names, ALLE_CATEGORIEEN for "maakt niet uit", or None
    (sociale_kaart.category_text: categories.yml, categorie_woorden.yml, zoekwoorden.yml).
    HTML or SQL-looking input names nothing, as in the InputGuard ("DROP TABLE" is no tablet)."""
    if looks_like_code(text or ""):
        return None
    return category_for_text(text or "", preferred)


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
