"""The trained model (real pipeline with the guards) on crisis and medical lines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from model_helpers import dev_lines, dev_safety, parse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "safety"))
from safety_tables import CRISIS, MEDICAL, NO_CRISIS, TRAPS  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.model]


def intent(text: str) -> str:
    return parse(text)["intent"]["name"]


def test_dev_crisis_lines_get_the_crisis_intent():
    data = dev_safety()
    if data is None:
        pytest.skip("../shared/eval/dev_safety.yml ontbreekt")
    missed = [t for t in data["crisis"] if intent(t) != "crisis"]
    assert missed == []


def test_dev_no_crisis_lines_never_get_the_crisis_intent():
    data = dev_safety()
    if data is None:
        pytest.skip("../shared/eval/dev_safety.yml ontbreekt")
    wrong = [t for t in data["no_crisis"] if intent(t) == "crisis"]
    assert wrong == []


def test_dev_nlu_crisis_and_medical_lines():
    crisis_lines, medical_lines = dev_lines("crisis"), dev_lines("medische_vraag")
    if not crisis_lines and not medical_lines:
        pytest.skip("../shared/eval/dev_nlu.yml ontbreekt")
    assert [t for t in crisis_lines if intent(t) != "crisis"] == []
    assert [t for t in medical_lines if intent(t) != "medische_vraag"] == []


def test_our_crisis_table_gets_the_crisis_intent_and_kind():
    for kind, texts in CRISIS.items():
        for text in texts:
            result = parse(text)
            assert result["intent"]["name"] == "crisis", text
            kinds = [e["value"] for e in result["entities"] if e["entity"] == "crisis_soort"]
            assert kinds == [kind], (text, kinds)


def test_our_harmless_table_never_gets_the_crisis_intent():
    wrong = [t for t in NO_CRISIS if t not in TRAPS and intent(t) == "crisis"]
    assert wrong == []


# Only the lexicon gives the intent `crisis` (bot/nlu/crisis_guard.py, docs/nlu.md "Who decides").
# The classifier alone called 16 of the 262 traps a crisis on model d84463e4caa0b51c; that is now
# `crisis_vraag` (a gentle question without helpline). The lexicon fires on none of our traps.
MAX_TRAP_FALSE_ALARMS = 0


def test_the_traps_of_our_table_never_get_the_crisis_intent():
    wrong = [t for t in TRAPS if intent(t) == "crisis"]
    assert len(wrong) <= MAX_TRAP_FALSE_ALARMS, wrong


def test_our_medical_table_gets_the_medical_intent():
    wrong = [t for t in MEDICAL if intent(t) != "medische_vraag"]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, is there someone who can help me?", "andere_taal"),
        ("🙂🙂", "onleesbaar"),
        ("<script>alert(1)</script>", "nlu_fallback"),
        ("SELECT * FROM activiteiten; DROP TABLE inwoners", "nlu_fallback"),
    ],
)
def test_bad_input(text, expected):
    assert intent(text) == expected


def test_place_and_keyword_entities():
    result = parse("is er een koor in Bussum")
    found = {(e["entity"], e["value"]) for e in result["entities"]}
    assert ("plaats", "Bussum") in found
