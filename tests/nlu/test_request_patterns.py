"""Asking for a person and asking about a request's status, as residents type it
(issue 9): the patterns of bot/nlu/requests.py and the InputGuard that uses them
when the classifier read such a message as a fallback, a hand-off word or "wat ben jij".
Pure Python and real Rasa messages; no model, no stack."""

from __future__ import annotations

import pytest
from test_guard_components import classified, intent_of, run_guards

from bot.nlu.requests import asks_deletion_by_code, asks_for_person, asks_status

PERSON = [
    "kan ik iemand spreken",
    "ik wil een mens",
    "bel me maar",
    "kunnen jullie mij bellen?",
    "is er iemand die me kan helpen",
    "ik wil liever met een echt persoon praten",
    "mag ik iemand aan de lijn",
    "kunt u mij terugbellen",
    "is dit een robot? ik wil een mens",
    "wil graag contact met een medewerker",
    "kan iemand mij even bellen aub",
    "graag een echt mens",
    "ik wil een afspraak met iemand",
    "ik wil een coach spreken",
    "bel me maar op mijn mobiel",
    "zit er een echt mens achter",
    "ik wil graag gebeld worden",
]
NOT_PERSON = [
    "bel me niet",
    "ik wil geen mens",
    "ben je een mens?",
    "ben jij een echt mens",
    "ik ben bang voor mensen",
    "mijn buren willen niks met mij",
    "ik kan niemand bellen",
    "ik wil meer mensen ontmoeten",
    "wat kan de coach",
]
STATUS = [
    "hoe staat het met mijn aanvraag",
    "ik heb nog niks gehoord",
    "wanneer hoor ik iets",
    "wanneer word ik gebeld",
    "ik wacht al twee weken op een telefoontje",
    "is mijn aanmelding al binnen",
    "is er al nieuws over mijn aanvraag",
    "ik ben nog steeds niet gebeld",
    "heeft iemand mijn verzoek al bekeken",
    "wat is de status van mijn aanvraag",
    "hebben jullie mijn aanvraag ontvangen",
    "ik heb nog niets van de coach gehoord",
    "hoe lang moet ik nog wachten",
    "wanneer belt de coach mij",
    "mijn formulier al gelezen?",
    "ik hoor maar niks van jullie",
    "duurt het nog lang",
    "hebben jullie mijn gegevens goed ontvangen",
]
NOT_STATUS = [
    "ik hoor niks meer",
    "ik heb nog nooit van jullie gehoord",
    "mijn vraag is: waar kan ik sporten",
    "ik heb een vraag over schulden",
    "ik heb nog geen werk gevonden",
    "ik wil een aanvraag doen voor de voedselbank",
    "ik woon binnen de gemeente en wil een aanvraag",
]


@pytest.mark.parametrize("text", PERSON)
def test_a_request_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", NOT_PERSON)
def test_no_request_for_a_person(text):
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", STATUS)
def test_a_status_question(text):
    assert asks_status(text)


@pytest.mark.parametrize("text", NOT_STATUS)
def test_no_status_question(text):
    assert not asks_status(text)


@pytest.mark.parametrize(
    "text, read_as, expected",
    [
        ("bel me maar", "handoff_route", "vraag_persoon"),
        ("is dit een robot? ik wil een mens", "wat_ben_jij", "vraag_persoon"),
        ("graag een echt mens", "nlu_fallback", "vraag_persoon"),
        ("ik heb nog niks gehoord", "nlu_fallback", "vraag_status"),
        ("wanneer hoor ik iets", "nlu_fallback", "vraag_status"),
        # what the classifier read with meaning of its own stays
        ("ben je een mens?", "wat_ben_jij", "wat_ben_jij"),
        ("bellen", "handoff_route", "handoff_route"),
        ("ik wil graag iemand om mee te praten", "thema_eenzaamheid", "thema_eenzaamheid"),
    ],
)
def test_the_input_guard_gives_a_misread_request_its_intent(text, read_as, expected):
    message = run_guards(classified(text, (read_as, 0.5), ("vraag_persoon", 0.2)))
    assert intent_of(message) == expected


def test_a_crisis_beats_a_request_for_a_person():
    message = run_guards(classified("bel me maar, ik wil er niet meer zijn", ("nlu_fallback", 0.4)))
    assert intent_of(message) == "crisis"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik wil dat jullie mijn gegevens weghalen WW-KM34PQ", True),
        ("WW-AB23CD intrekken", True),
        ("verwijder ww-ab23cd aub", True),
        ("WW-AB23CD hoe staat het", False),
        ("haal alles van mij weg", False),  # no code: the deletion flow asks for it
    ],
)
def test_deletion_by_reference_code(text, expected):
    assert asks_deletion_by_code(text) is expected


def test_a_code_with_a_deletion_word_read_as_privacy_goes_to_deletion():
    text = "ik wil dat jullie mijn gegevens weghalen WW-KM34PQ"
    message = run_guards(classified(text, ("vraag_privacy", 0.61), ("verwijder_gegevens", 0.2)))
    assert intent_of(message) == "verwijder_gegevens"
    message = run_guards(classified("wat doen jullie met mijn gegevens", ("vraag_privacy", 0.9)))
    assert intent_of(message) == "vraag_privacy"


def test_a_status_question_read_as_something_else_is_a_status_question():
    message = run_guards(classified("ik hoor maar niks van jullie", ("iets_anders", 0.5)))
    assert intent_of(message) == "vraag_status"
