"""Free answers to "Wat doe je graag?" as residents type them (issue 9). Real vocabularies."""

from __future__ import annotations

import pytest

from sociale_kaart.category_text import category_for_text

ANSWERS = [
    ("iets met mijn handen", "creatief_cultuur"),
    ("naar buiten", "natuur"),
    ("koffie drinken en kletsen", "contact_ontmoeten"),
    ("sporten maar niet te zwaar", "bewegen_sporten"),
    ("iets creatiefs", "creatief_cultuur"),
    ("met dieren", "natuur"),
    ("muziek", "creatief_cultuur"),
    ("tuinieren", "natuur"),
    ("dansen", "bewegen_sporten"),
    ("zingen in een koor", "creatief_cultuur"),
    ("samen koken", "koken_eten"),
    ("yoga", "bewegen_sporten"),
    ("handwerken", "creatief_cultuur"),
    ("gewoon gezellig samenzijn", "contact_ontmoeten"),
    ("iets met computers", "andere_mogelijkheden"),
    ("ik wil graag wat leren", "andere_mogelijkheden"),
    ("een cursus", "andere_mogelijkheden"),
    ("omgaan met mijn tablet", "andere_mogelijkheden"),
    ("iets met kinderen", "vrijwilligerswerk"),
    ("voorlezen", "vrijwilligerswerk"),
    ("vissen", "natuur"),
    ("lekker het bos in", "natuur"),
    ("iets met paarden", "natuur"),
    ("met de kleinkinderen iets doen", "contact_ontmoeten"),
]


@pytest.mark.parametrize("text, code", ANSWERS)
def test_a_resident_answer_maps_to_a_category(text, code):
    assert category_for_text(text) == code


def test_learning_to_know_people_is_still_meeting_people():
    assert category_for_text("nieuwe mensen leren kennen") == "contact_ontmoeten"
