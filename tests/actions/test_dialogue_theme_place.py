"""Theme, place and category actions against trackers from JSON; exact events."""
from __future__ import annotations

from dialogue_helpers import load_tracker, rendered, responses, run_action
from rasa_sdk.events import SlotSet

from actions.category import ActionAskCategorie
from actions.navigation import ActionTerug, ActionZoekStart
from actions.place import ActionAskGemeenteCode, ActionPlaatsWijzigen
from actions.theme import ActionThema
from actions.zoek_form import ValidateZoekForm


def test_two_worries_take_the_first_and_keep_the_second_for_later():
    events, dispatcher = run_action(ActionThema(), load_tracker("twee_zorgen"))

    assert events == [
        SlotSet("themas", ["eenzaamheid"]),
        SlotSet("thema_later", "geldzorgen"),
        SlotSet("categorie", None),
        SlotSet("zoekwoord", None),
        SlotSet("match_offset", 0),
    ]
    assert responses(dispatcher) == ["tweede_thema"]
    assert rendered(dispatcher, load_tracker("twee_zorgen")) == ["Je noemde ook: schulden, rondkomen en geldzorgen. Daar komen we straks op terug."]


def test_second_worry_from_the_ranking_when_no_word_gives_it_away():
    tracker = load_tracker("twee_zorgen", latest_message={"text": "alles zit me tegen en ik voel me eenzaam"})
    events, _ = run_action(ActionThema(), tracker)
    assert SlotSet("thema_later", "geldzorgen") in events


def test_one_worry_gets_no_second_theme():
    tracker = load_tracker(
        "twee_zorgen",
        latest_message={
            "text": "ik voel me eenzaam",
            "intent_ranking": [{"name": "thema_eenzaamheid", "confidence": 0.97}, {"name": "thema_stress", "confidence": 0.02}],
        },
    )
    events, dispatcher = run_action(ActionThema(), tracker)
    assert SlotSet("thema_later", None) in events
    assert dispatcher.messages == []


def test_new_worry_switches_cleanly_and_keeps_place_category_and_pending_worry():
    events, dispatcher = run_action(ActionThema(), load_tracker("zorg_met_plaats"))

    assert events == [
        SlotSet("themas", ["mantelzorg", "stress"]),
        SlotSet("thema_later", "geldzorgen"),
        SlotSet("categorie", "bewegen_sporten"),
        SlotSet("zoekwoord", None),
        SlotSet("match_offset", 0),
        SlotSet("gemeente_code", "GM1942"),
        SlotSet("gemeente_naam", "Gooise Meren"),
        SlotSet("plaats_vraag", None),
        SlotSet("plaats_opties", []),
    ]
    assert dispatcher.messages == []  # pending worry was announced before


def test_choosing_the_pending_worry_clears_it():
    tracker = load_tracker(
        "zorg_met_plaats",
        latest_message={"text": "/thema_geldzorgen", "intent": {"name": "thema_geldzorgen"}, "entities": []},
    )
    events, dispatcher = run_action(ActionThema(), tracker)
    assert SlotSet("themas", ["geldzorgen", "stress"]) in events
    assert SlotSet("thema_later", None) in events
    assert dispatcher.messages == []


def test_village_resolves_to_its_gemeente():
    events, dispatcher = run_action(ValidateZoekForm(), load_tracker("plaats_gevraagd"))
    assert events == [
        SlotSet("gemeente_code", "GM1942"),
        SlotSet("gemeente_naam", "Gooise Meren"),
        SlotSet("plaats_vraag", None),
        SlotSet("plaats_opties", []),
    ]
    assert dispatcher.messages == []


def test_unknown_place_close_to_ours_is_asked_back_with_a_suggestion():
    tracker = load_tracker("plaats_gevraagd", slots={"gemeente_code": "Hilversumstad"}, latest_message={"text": "Hilversumstad"})
    events, _ = run_action(ValidateZoekForm(), tracker)
    assert events == [
        SlotSet("gemeente_code", None),
        SlotSet("plaats_vraag", "suggestie"),
        SlotSet("plaats_opties", ["Hilversum"]),
    ]

    asked, dispatcher = run_action(
        ActionAskGemeenteCode(), load_tracker("plaats_gevraagd", slots={"plaats_vraag": "suggestie", "plaats_opties": ["Hilversum"]})
    )
    assert asked == [SlotSet("plaats_vraag", None)]
    assert rendered(dispatcher, load_tracker("plaats_gevraagd")) == ["Die plaats ken ik niet. Bedoel je Hilversum?"]
    assert dispatcher.messages[0]["buttons"] == [{"title": "Hilversum", "payload": '/plaats_noemen{"plaats": "Hilversum"}'}]


def test_ambiguous_place_is_asked_with_buttons():
    tracker = load_tracker("plaats_gevraagd", slots={"gemeente_code": "Nieuw"}, latest_message={"text": "Nieuw"})
    events, _ = run_action(ValidateZoekForm(), tracker)
    options = ["Haarlemmermeer", "Kaag en Braassem", "Nieuwkoop"]
    assert events == [SlotSet("gemeente_code", None), SlotSet("plaats_vraag", "meerdere"), SlotSet("plaats_opties", options)]

    _, dispatcher = run_action(ActionAskGemeenteCode(), load_tracker("plaats_gevraagd", slots={"plaats_vraag": "meerdere", "plaats_opties": options}))
    assert responses(dispatcher) == ["plaats_kiezen"]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == options


def test_yes_to_the_suggestion_takes_it():
    tracker = load_tracker(
        "plaats_gevraagd",
        slots={"gemeente_code": "ja", "plaats_opties": ["Hilversum"]},
        latest_message={"text": "ja", "intent": {"name": "bevestigen"}},
    )
    events, _ = run_action(ValidateZoekForm(), tracker)
    assert events[:2] == [SlotSet("gemeente_code", "GM0402"), SlotSet("gemeente_naam", "Hilversum")]


def test_place_outside_our_regions_explains_the_regions():
    tracker = load_tracker("plaats_gevraagd", slots={"gemeente_code": "Rotterdam"}, latest_message={"text": "Rotterdam"})
    events, _ = run_action(ValidateZoekForm(), tracker)
    assert events == [
        SlotSet("gemeente_code", None), SlotSet("plaats_vraag", "elders"), SlotSet("plaats_opties", ["Rotterdam"])
    ]

    # A place we do not know at all: which regions we cover.
    _, dispatcher = run_action(ActionAskGemeenteCode(), load_tracker("plaats_gevraagd", slots={"plaats_vraag": "onbekend"}))
    assert responses(dispatcher) == ["plaats_onbekend"]
    assert rendered(dispatcher, load_tracker("plaats_gevraagd")) == [
        "Die plaats ken ik niet. Ik help mensen in deze regio's: Gooi en Vechtstreek, Amstelland, Haarlemmermeer, "
        "Zuid-Holland Noord. In welke plaats of gemeente woon je?"
    ]


def test_nonsense_as_place_is_unknown_and_loses_nothing():
    for text in ["🙂🙂🙂", "<script>alert(1)</script>", "'; DROP TABLE activity; --", "x" * 5000, ""]:
        tracker = load_tracker("plaats_gevraagd", slots={"gemeente_code": text}, latest_message={"text": text})
        events, _ = run_action(ValidateZoekForm(), tracker)
        assert events[0] == SlotSet("gemeente_code", None), text
        assert SlotSet("themas", None) not in events


def test_first_question_for_the_place_is_the_plain_one():
    _, dispatcher = run_action(ActionAskGemeenteCode(), load_tracker("twee_zorgen"))
    assert responses(dispatcher) == ["ask_gemeente_code"]


def test_place_named_later_switches_the_search():
    tracker = load_tracker(
        "zorg_met_plaats",
        latest_message={"text": "ik woon eigenlijk in Huizen", "intent": {"name": "plaats_noemen"}, "entities": []},
    )
    events, _ = run_action(ActionPlaatsWijzigen(), tracker)
    assert events == [
        SlotSet("gemeente_code", "GM0406"),
        SlotSet("gemeente_naam", "Huizen"),
        SlotSet("plaats_vraag", None),
        SlotSet("plaats_opties", []),
        SlotSet("match_offset", 0),
    ]


def test_category_buttons_follow_the_theme_defaults_and_end_with_weet_ik_niet():
    _, dispatcher = run_action(ActionAskCategorie(), load_tracker("zorg_met_plaats", slots={"themas": ["geldzorgen"]}))
    assert responses(dispatcher) == ["ask_categorie"]
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "Hulp & advies", "payload": '/zoek_activiteit{"categorie": "hulp_advies"}'},
        {"title": "Koken & eten", "payload": '/zoek_activiteit{"categorie": "koken_eten"}'},
        {"title": "Contact & ontmoeten", "payload": '/zoek_activiteit{"categorie": "contact_ontmoeten"}'},
        {"title": "Weet ik niet", "payload": "/weet_niet"},
    ]


def _category_answer(text: str, entities: list | None = None):
    tracker = load_tracker(
        "plaats_gevraagd",
        slots={"requested_slot": "categorie", "gemeente_code": "GM1942", "categorie": text},
        latest_message={"text": text, "intent": {"name": "nlu_fallback"}, "entities": entities or []},
    )
    tracker.events[-1].update(name="categorie", value=text)  # the answer fills categorie, not gemeente_code
    return run_action(ValidateZoekForm(), tracker)


def test_category_answers_by_button_weet_niet_or_free_text():
    assert _category_answer("natuur")[0] == [SlotSet("categorie", "natuur")]
    assert _category_answer("alles")[0] == [SlotSet("categorie", "alles")]
    assert _category_answer("ik ga graag wandelen")[0] == [SlotSet("categorie", "bewegen_sporten")]
    assert _category_answer("iets met muziek")[0] == [SlotSet("categorie", "creatief_cultuur")]
    assert _category_answer("Koken & eten")[0] == [SlotSet("categorie", "koken_eten")]
    assert _category_answer("hmm", [{"entity": "zoekwoord", "value": "moestuin"}])[0] == [SlotSet("categorie", "natuur")]


def test_category_answer_that_names_nothing_is_asked_again():
    for text in ["nee", "🙂", "<b>x</b>", "'; DROP TABLE category; --", "z" * 3000]:
        events, dispatcher = _category_answer(text)
        assert events == [SlotSet("categorie", None)], text
        assert responses(dispatcher) == ["utter_fallback_kort"]


def test_back_clears_the_category_first_then_the_place():
    events, _ = run_action(ActionTerug(), load_tracker("zoeken_klaar"))
    assert events == [
        SlotSet("categorie", None),
        SlotSet("match_offset", 0),
        SlotSet("plaats_vraag", None),
    ]

    events, _ = run_action(ActionTerug(), load_tracker("plaats_gevraagd", slots={"requested_slot": "categorie", "gemeente_code": "GM1942"}))
    assert events[:3] == [SlotSet("categorie", None), SlotSet("gemeente_code", None), SlotSet("gemeente_naam", None)]


def test_search_without_a_worry_takes_the_named_category():
    tracker = load_tracker(
        "twee_zorgen",
        latest_message={"text": "ik zoek een koor", "intent": {"name": "zoek_activiteit"},
                        "entities": [{"entity": "categorie", "value": "creatief_cultuur"}, {"entity": "zoekwoord", "value": "koor"}]},
    )
    events, _ = run_action(ActionZoekStart(), tracker)
    assert events == [
        SlotSet("categorie", "creatief_cultuur"),
        SlotSet("zoekwoord", "koor"),
        SlotSet("match_offset", 0),
    ]


def test_slots_cleared_by_an_action_are_not_checked_and_say_nothing():
    tracker = load_tracker("zoeken_klaar")
    tracker.events.append({"event": "slot", "name": "categorie", "value": None})
    tracker.events.append({"event": "slot", "name": "gemeente_code", "value": None})
    events, dispatcher = run_action(ValidateZoekForm(), tracker)
    assert dispatcher.messages == []
    assert SlotSet("plaats_vraag", "onbekend") not in events


def test_category_question_names_the_gemeente_found():
    tracker = load_tracker("zoeken_klaar")
    _, dispatcher = run_action(ActionAskCategorie(), tracker)
    assert rendered(dispatcher, tracker) == ["Ik zoek in Gooise Meren. Wat doe je graag? Kies wat bij je past."]
