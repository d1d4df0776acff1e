"""Show up to three activities for the current theme, category and gemeente."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions._kaart import kaart_engine, kaart_session, taxonomy
from actions._responses import intent_payload
from actions._teksten import fill, utter
from actions.category import current_theme, search_categories
from sociale_kaart.activity_view import card
from sociale_kaart.catalogue import catalogue_info
from sociale_kaart.demand import outcome_of, record_search
from sociale_kaart.matching import MatchQuery, match_activities

PAGE_SIZE = 3
# The custom payload key of an activity card (bot/cards.py renders it on every channel).
CARD_KEY = "activiteit"
logger = logging.getLogger(__name__)


def count_search(gemeente_code: str, theme: str | None, scopes: list[str]) -> None:
    """Unmet demand (sociale_kaart.demand): one count per search, codes only, never text.
    A failure to count never stops the answer."""
    try:
        record_search(kaart_engine(), gemeente_code, theme, outcome_of(scopes))
    except Exception as error:  # only the class: nothing of the conversation in the log
        logger.warning("unmet_demand_count_failed: %s", type(error).__name__)


def activity_vars(result) -> dict[str, str]:
    """The placeholders of the template `activiteit` for one match (the library gives Dutch lines)."""
    activity = result.activity
    return {
        "naam": activity.name,
        "beschrijving": activity.description,
        "waar": activity.place_line,
        "wanneer": activity.schedule_line,
        "kosten": activity.cost_line,
        "aanmelden": activity.join_line,
    }


def next_step_buttons(tracker: Tracker, more: bool) -> list[dict]:
    buttons = []
    if more:
        buttons.append({"title": fill("knop_meer"), "payload": "/meer"})
    buttons.append({"title": fill("knop_iets_anders"), "payload": "/iets_anders"})
    later = tracker.get_slot("thema_later")
    if later in taxonomy().themes:
        title = fill("knop_ander_thema", thema=taxonomy().themes[later].label.lower())
        buttons.append({"title": title, "payload": intent_payload(f"thema_{later}")})
    buttons.append({"title": fill("knop_coach"), "payload": "/vraag_persoon"})
    return buttons


class ActionToonActiviteiten(Action):
    def name(self) -> str:
        return "action_toon_activiteiten"

    def offset(self, tracker: Tracker) -> int:
        return int(tracker.get_slot("match_offset") or 0)

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        if tracker.get_slot("gemeente_code") not in taxonomy().municipalities:
            # "meer" before any search: ask the place; the answer (plaats_noemen) starts the search.
            utter(dispatcher, "ask_gemeente_code")
            return []
        offset = self.offset(tracker)
        theme = current_theme(tracker)
        query = MatchQuery(
            themes=[theme] if theme else [],
            categories=search_categories(tracker),
            gemeente_code=tracker.get_slot("gemeente_code"),
            text=tracker.get_slot("zoekwoord"),
        )
        with kaart_session() as session:
            results = match_activities(session, query, limit=PAGE_SIZE, offset=offset)
            example_data = catalogue_info(session).is_example_data
            shown = [
                (result.activity.id, result.scope, activity_vars(result), card(result.activity))
                for result in results
            ]

        if not offset:  # a new search (not "meer"): count where it found something
            count_search(query.gemeente_code, theme, [scope for _, scope, _, _ in shown])
        if not shown:
            utter(dispatcher, "geen_meer" if offset else "geen_match")
            utter(dispatcher, "vervolg_zonder_meer", buttons=next_step_buttons(tracker, more=False))
            return [SlotSet("match_offset", offset)]

        if example_data:
            utter(dispatcher, "voorbeeldgegevens")
        if offset or any(scope == "gemeente" for _, scope, _, _ in shown):
            utter(dispatcher, "resultaten")
        else:
            gemeente = taxonomy().municipalities[query.gemeente_code].naam
            utter(dispatcher, "resultaten_regio", gemeente_naam=gemeente)
        # The text stays for channels without cards; the card travels with it as custom payload.
        for _, _, variables, activity_card in shown:
            utter(dispatcher, "activiteit", custom={CARD_KEY: activity_card}, **variables)
        more = len(shown) == PAGE_SIZE
        utter(
            dispatcher,
            "vervolg" if more else "vervolg_zonder_meer",
            buttons=next_step_buttons(tracker, more=more),
        )
        # getoond keeps everything shown in this conversation (the hand-off passes it to the coach).
        earlier = tracker.get_slot("getoond") or []
        return [
            SlotSet("getoond", list(dict.fromkeys(earlier + [shown_id for shown_id, *_ in shown]))),
            SlotSet("match_offset", offset),
        ]


class ActionMeerActiviteiten(ActionToonActiviteiten):
    def name(self) -> str:
        return "action_meer_activiteiten"

    def offset(self, tracker: Tracker) -> int:
        return int(tracker.get_slot("match_offset") or 0) + PAGE_SIZE


class ActionIetsAnders(Action):
    """Keep theme and place, choose another kind of activity."""

    def name(self) -> str:
        return "action_iets_anders"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return [SlotSet("categorie", None), SlotSet("zoekwoord", None), SlotSet("match_offset", 0)]
