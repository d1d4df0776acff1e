"""Understanding what residents actually type (issue 9), typed through the real stack:
web chat API, trained model, action server, demo catalogue.

Each behaviour of the issue section has its test here; the classes behind them are
unit-tested in tests/actions/test_understanding.py and test_deletion_second_factor.py.
"""

from __future__ import annotations

import pytest
from support.stack import texts

pytestmark = pytest.mark.e2e

PLACE_QUESTION = "In welke plaats woon je?"
NOT_UNDERSTOOD = "begreep ik niet"
CATEGORY_QUESTION = "Wat doe je graag?"
NEXT_STEP = "welzijnscoach contact met je opneemt"  # the question after the results


def said(chat, text: str) -> str:
    return texts(chat.say(text))


def to_place_question(chat) -> None:
    assert PLACE_QUESTION in said(chat, "ik voel me vaak alleen")


def to_category_question(chat) -> None:
    to_place_question(chat)
    assert CATEGORY_QUESTION in said(chat, "Hilversum")


# --- a sentence is not a place -----------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "ik weet eigenlijk niet goed hoe ik dat moet uitleggen",
        "mijn buurvrouw zegt dat ik eens moet gaan praten",
        "het is allemaal een beetje veel op het moment",
    ],
)
def test_a_sentence_at_the_place_question_gets_no_place_guess(chat, sentence):
    to_place_question(chat)
    reply = said(chat, sentence)
    assert "Bedoel je" not in reply and "Die plaats ken ik niet" not in reply, reply
    # The search goes on: the place is asked again (or the sentence is answered for what it is).
    assert "plaats" in reply.lower() or "woon" in reply.lower(), reply


# --- a place outside our regions ------------------------------------------------------


@pytest.mark.parametrize("place", ["Groningen", "ik woon in Zwolle", "Maastricht"])
def test_a_place_elsewhere_at_the_place_question_is_answered_honestly(chat, place):
    to_place_question(chat)
    reply = said(chat, place)
    name = place.split()[-1]
    assert f"{name} ligt buiten mijn gebied" in reply, reply
    assert "huisarts" in reply and f"gemeente {name}" in reply and "Luisterlijn" in reply, reply
    assert "Gooi en Vechtstreek" in reply and "Zuid-Holland Noord" in reply, reply
    assert "Fijn dat je dit vertelt" not in reply  # not read as a (new) worry


def test_a_place_elsewhere_as_first_message_is_a_place_not_a_worry(chat):
    reply = said(chat, "Utrecht")
    assert "Utrecht ligt buiten mijn gebied" in reply, reply
    assert "digitale assistent" in reply  # the intro comes first, as for every first message


# --- a postcode ---------------------------------------------------------------------------


@pytest.mark.parametrize("postcode", ["1215 AB", "1215AB", "1402"])
def test_a_postcode_asks_for_the_woonplaats(chat, postcode):
    to_place_question(chat)
    reply = said(chat, postcode)
    assert "postcode" in reply and "woonplaats" in reply, reply
    assert "tekens" not in reply, reply


def test_a_postcode_as_first_message_is_recognised(chat):
    reply = said(chat, "2341 KL")
    assert "postcode" in reply and "woonplaats" in reply and "tekens" not in reply, reply


# --- free text at "Wat doe je graag?" ---------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "praten met anderen",
        "iets met mijn handen",
        "naar buiten",
        "bewegen",
        "koken",
        "iets voor anderen doen",
        "ik zou graag wat gezelliger onder de mensen zijn",
        "schilderen of tekenen",
    ],
)
def test_a_free_answer_to_what_do_you_enjoy_gives_results(chat, answer):
    to_category_question(chat)
    reply = said(chat, answer)
    assert NOT_UNDERSTOOD not in reply, reply
    assert NEXT_STEP in reply or CATEGORY_QUESTION not in reply, reply


def test_only_an_answer_that_names_nothing_is_not_understood(chat):
    to_category_question(chat)
    reply = said(chat, "paars")
    assert NOT_UNDERSTOOD in reply and CATEGORY_QUESTION in reply, reply


# --- a first message asking for a person --------------------------------------------------------


@pytest.mark.parametrize(
    "ask", ["kan ik iemand spreken?", "kunnen jullie me bellen?", "is er iemand die me kan helpen?"]
)
def test_a_first_message_asking_for_a_person_gets_honesty_a_yes_and_then_the_place(chat, ask):
    reply = said(chat, ask)
    honest = reply.find("geen mens")
    yes = reply.find("een welzijnscoach kan contact met je opnemen")
    place = reply.find(PLACE_QUESTION)
    assert honest >= 0 and yes >= 0 and place >= 0, reply
    assert honest < place and yes < place, reply


# --- the status of a request ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    ["hoe staat mijn aanvraag ervoor?", "is mijn verzoek al bekeken?", "WW-AB23CD wat is de status"],
)
def test_a_status_question_is_never_answered_with_an_offer_to_delete(chat, question):
    reply = said(chat, question)
    # Without a code: the two weeks and how to look it up; with a code: the status
    # lookup asks the second factor (actions/status.py). Never a deletion question.
    assert "twee weken" in reply or "telefoonnummer of e-mailadres" in reply, reply
    assert "wis" not in reply.lower() and "verwijder" not in reply.lower(), reply


def test_a_status_question_names_the_team_of_the_gemeente(chat):
    to_category_question(chat)  # Hilversum: Versa Welzijn
    reply = said(chat, "hoe staat het eigenlijk met mijn aanvraag?")
    assert "Versa Welzijn" in reply and "twee weken" in reply, reply
