"""Showing activities, against a real SQLite catalogue imported with the kaart importer."""
from __future__ import annotations

from pathlib import Path

import pytest
from dialogue_helpers import load_tracker, rendered, responses, run_action
from rasa_sdk.events import SlotSet

from actions.matching import ActionIetsAnders, ActionMeerActiviteiten, ActionToonActiviteiten
from sociale_kaart.db import make_engine, migrate
from sociale_kaart.importer import import_paths

CATALOGUE = Path(__file__).with_name("fixtures") / "kaart_dialoog.yml"
FIRST_PAGE = ["act-dlg-koffie-bussum", "act-dlg-schilderen-muiden", "act-dlg-eettafel-naarden"]
SECOND_PAGE = ["act-dlg-wandelen-bussum", "act-dlg-maatje-gooi", "act-dlg-online-praatgroep"]
COACH = {"title": "Ja, een welzijnscoach mag contact opnemen", "payload": "/vraag_persoon"}
IETS_ANDERS = {"title": "Iets anders zoeken", "payload": "/iets_anders"}
MEER = {"title": "Meer laten zien", "payload": "/meer"}


def _database(tmp_path: Path, monkeypatch, files: list[Path]) -> None:
    url = f"sqlite:///{tmp_path / 'kaart.db'}"
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("WW_DATABASE_URL", url)
    migrate(url)
    engine = make_engine(url)
    try:
        if files:
            assert import_paths(engine, files).ok
    finally:
        engine.dispose()


@pytest.fixture
def catalogue(tmp_path, monkeypatch):
    _database(tmp_path, monkeypatch, [CATALOGUE])


@pytest.fixture
def empty_catalogue(tmp_path, monkeypatch):
    _database(tmp_path, monkeypatch, [])


def test_first_three_matches_with_demo_notice_and_next_steps(catalogue):
    tracker = load_tracker("zoeken_klaar")
    events, dispatcher = run_action(ActionToonActiviteiten(), tracker)

    assert events == [SlotSet("getoond", FIRST_PAGE), SlotSet("match_offset", 0)]
    assert responses(dispatcher) == [
        "voorbeeldgegevens", "resultaten",
        "activiteit", "activiteit", "activiteit",
        "vervolg",
    ]
    texts = rendered(dispatcher, tracker)
    assert texts[0] == "Let op: dit zijn voorbeeldgegevens."
    assert texts[2] == (
        "Koffieochtend De Linde\nEen fictieve activiteit voor de test. Je bent welkom.\n"
        "Waar: Buurthuis 0, Dorpsstraat 1, Bussum\nWanneer: elke woensdag 10:00–12:00\n"
        "Kosten: Gratis\nMeedoen: Je kunt gewoon langskomen."
    )
    assert dispatcher.messages[-1]["buttons"] == [
        MEER,
        IETS_ANDERS,
        {"title": "Nu over: schulden, rondkomen en geldzorgen", "payload": "/thema_geldzorgen"},
        COACH,
    ]


def test_meer_shows_the_next_page_and_then_says_there_is_no_more(catalogue):
    tracker = load_tracker("zoeken_klaar", slots={"getoond": FIRST_PAGE, "thema_later": None})
    events, dispatcher = run_action(ActionMeerActiviteiten(), tracker)
    assert events == [SlotSet("getoond", FIRST_PAGE + SECOND_PAGE), SlotSet("match_offset", 3)]
    assert responses(dispatcher)[:2] == ["voorbeeldgegevens", "resultaten"]
    assert dispatcher.messages[-1]["buttons"] == [MEER, IETS_ANDERS, COACH]

    tracker = load_tracker("zoeken_klaar", slots={"getoond": FIRST_PAGE + SECOND_PAGE, "match_offset": 3, "thema_later": None})
    events, dispatcher = run_action(ActionMeerActiviteiten(), tracker)
    assert events == [SlotSet("match_offset", 6)]
    assert responses(dispatcher) == ["geen_meer", "vervolg_zonder_meer"]
    assert dispatcher.messages[-1]["buttons"] == [IETS_ANDERS, COACH]


def test_nothing_in_the_gemeente_says_so_and_shows_regional_and_online(catalogue):
    tracker = load_tracker("zoeken_klaar", slots={"gemeente_code": "GM0402", "gemeente_naam": "Hilversum"})
    events, dispatcher = run_action(ActionToonActiviteiten(), tracker)
    assert events == [SlotSet("getoond", ["act-dlg-maatje-gooi", "act-dlg-online-praatgroep"]), SlotSet("match_offset", 0)]
    assert responses(dispatcher) == [
        "voorbeeldgegevens", "resultaten_regio", "activiteit", "activiteit", "vervolg_zonder_meer",
    ]
    assert rendered(dispatcher, tracker)[1] == "In Hilversum vond ik niets dat precies past. Wel dit, in de regio of online:"


def test_no_match_at_all_is_said_honestly_with_the_coach_offer(empty_catalogue):
    events, dispatcher = run_action(ActionToonActiviteiten(), load_tracker("zoeken_klaar", slots={"thema_later": None}))
    assert events == [SlotSet("match_offset", 0)]
    assert responses(dispatcher) == ["geen_match", "vervolg_zonder_meer"]
    assert dispatcher.messages[-1]["buttons"] == [IETS_ANDERS, COACH]


def test_meer_before_any_search_asks_the_place(catalogue):
    tracker = load_tracker("twee_zorgen", latest_message={"text": "meer", "intent": {"name": "meer"}})
    events, dispatcher = run_action(ActionMeerActiviteiten(), tracker)
    assert events == []
    assert responses(dispatcher) == ["ask_gemeente_code"]


def test_chosen_category_comes_first(catalogue):
    tracker = load_tracker("zoeken_klaar", slots={"categorie": "bewegen_sporten"})
    events, _ = run_action(ActionToonActiviteiten(), tracker)
    assert events[0]["value"][0] == "act-dlg-wandelen-bussum"


def test_iets_anders_keeps_theme_and_place():
    events, dispatcher = run_action(ActionIetsAnders(), load_tracker("zoeken_klaar"))
    assert events == [SlotSet("categorie", None), SlotSet("zoekwoord", None), SlotSet("match_offset", 0)]
    assert dispatcher.messages == []


def test_getoond_keeps_the_history_without_doubles(catalogue):
    tracker = load_tracker("zoeken_klaar", slots={"getoond": ["act-elders", FIRST_PAGE[0]]})
    events, _ = run_action(ActionToonActiviteiten(), tracker)
    assert events[0] == SlotSet("getoond", ["act-elders"] + FIRST_PAGE)
