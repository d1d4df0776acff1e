"""The harder turns of issue #4 through the real stack: typed Dutch, the trained model, actions, catalogue.

The dialogue itself is covered step by step by tests/rasa (intents given); here the
resident types, so NLU and dialogue are checked together.
"""

from __future__ import annotations

import pytest
from support.stack import texts

pytestmark = pytest.mark.e2e

PLACE_QUESTION = "In welke plaats woon je?"
GOOISE_MEREN_PLACES = ("Bussum", "Naarden", "Muiden", "Muiderberg")


def said(chat, text: str) -> str:
    return texts(chat.say(text))


def test_two_worries_in_one_message_are_both_heard(chat):
    reply = said(chat, "ik ben vaak alleen en daarnaast heb ik ook schulden")
    # One theme gets its reply now, the other is named for later (which one comes first is the model's call).
    assert "Je noemde ook:" in reply, reply
    lower = reply.lower()
    assert "eenzaam" in lower and ("geldzorgen" in lower or "schulden" in lower), reply
    assert PLACE_QUESTION in reply


def test_a_new_worry_in_the_middle_of_the_search_gets_its_own_reply(chat):
    assert PLACE_QUESTION in said(chat, "ik voel me eenzaam")
    reply = said(chat, "en ik lig elke nacht wakker van de stress")
    assert "stress" in reply.lower(), reply
    assert PLACE_QUESTION in reply  # and the search goes on where it was


def test_i_dont_know_is_a_fine_answer_to_what_do_you_enjoy(chat):
    said(chat, "ik voel me eenzaam")
    assert "Wat doe je graag?" in said(chat, "Bussum")
    reply = said(chat, "ik weet het niet")
    assert any(place in reply for place in GOOISE_MEREN_PLACES), reply


def test_going_back_asks_the_previous_question_again(chat):
    said(chat, "ik voel me eenzaam")
    said(chat, "Bussum")
    reply = said(chat, "terug")
    assert "stap terug" in reply and PLACE_QUESTION in reply, reply


def test_restart_forgets_what_was_said(chat):
    said(chat, "ik voel me eenzaam")
    said(chat, "Bussum")
    reply = said(chat, "opnieuw beginnen")
    assert "we beginnen opnieuw" in reply, reply
    # The place is forgotten: a new worry asks for it again.
    assert PLACE_QUESTION in said(chat, "ik heb geldzorgen")


def test_a_misspelt_worry_is_still_understood(chat):
    reply = said(chat, "ik voel me zo eensaam de laatste tijd")
    assert "Luisterlijn" in reply, reply  # the eenzaamheid reply, with its national line
