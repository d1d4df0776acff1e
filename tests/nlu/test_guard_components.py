"""The guards as Rasa graph components, on real Rasa messages.

The classifier's output is written onto the message the way DIET and the
FallbackClassifier leave it, then the guards run in pipeline order.
"""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis_guard import CrisisGuard
from bot.nlu.input_guard import InputGuard
from bot.nlu.medical_guard import MedicalGuard


def classified(text: str, *ranking: tuple[str, float]) -> Message:
    message = Message(data={TEXT: text})
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, dict(entries[0]) if entries else {"name": None, "confidence": 0.0})
    message.set(INTENT_RANKING_KEY, entries)
    return message


def run_guards(message: Message) -> Message:
    for guard in (InputGuard(), MedicalGuard(), CrisisGuard()):
        guard.process([message])
    return message


def intent_of(message: Message) -> str:
    return message.get(INTENT)["name"]


def crisis_soort(message: Message) -> str | None:
    values = [e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == "crisis_soort"]
    return values[0] if values else None


def test_lexicon_overrides_a_confident_theme():
    message = run_guards(
        classified("ik wil er niet meer zijn", ("thema_eenzaamheid", 0.93), ("crisis", 0.04))
    )
    assert intent_of(message) == "crisis"
    assert message.get(INTENT)["confidence"] == 1.0
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "crisis"
    assert crisis_soort(message) == "zelfdoding"


@pytest.mark.parametrize(
    ("text", "soort"),
    [
        ("ik heb te veel pillen genomen", "acuut_gevaar"),
        ("hij slaat me", "huiselijk_geweld"),
        ("mijn zoon praat over zelfmoord", "naaste"),
    ],
)
def test_crisis_kind_becomes_an_entity(text, soort):
    message = run_guards(classified(text, ("medische_vraag", 0.8)))
    assert intent_of(message) == "crisis"
    assert crisis_soort(message) == soort


def test_crisis_beats_the_medical_guard_and_the_fallback():
    message = run_guards(
        classified("ik heb te veel slaappillen geslikt, hoeveel mg is gevaarlijk?", ("nlu_fallback", 0.4))
    )
    assert intent_of(message) == "crisis"


def test_confident_classifier_crisis_without_lexicon_hit_becomes_the_gentle_question():
    """The classifier alone never gives the full crisis reply: the bot asks first (crisis_vraag)."""
    message = run_guards(
        classified("alles is zwart, ik zie geen licht meer", ("crisis", 0.91), ("thema_somberheid", 0.05))
    )
    assert intent_of(message) == "crisis_vraag"
    assert all(entry["name"] != "crisis" for entry in message.get(INTENT_RANKING_KEY))
    assert crisis_soort(message) is None


def test_unsure_classifier_crisis_gives_way_to_the_next_intent():
    message = run_guards(classified("ik ben zo moe van alles", ("crisis", 0.45), ("thema_stress", 0.40)))
    assert intent_of(message) == "thema_stress"
    assert all(entry["name"] != "crisis" for entry in message.get(INTENT_RANKING_KEY))


def test_idiom_vetoes_a_confident_classifier_crisis():
    message = run_guards(
        classified("ik ben doodsbang voor de tandarts", ("crisis", 0.88), ("thema_somberheid", 0.1))
    )
    assert intent_of(message) == "nlu_fallback"
    message = run_guards(classified("ik lach me dood", ("crisis", 0.5), ("bedanken", 0.45)))
    assert intent_of(message) == "bedanken"


def test_classifier_crisis_under_fallback_is_still_kept_when_confident():
    message = classified("ik wil verdwijnen", ("crisis", 0.7))
    message.set(INTENT, {"name": "nlu_fallback", "confidence": 0.4})
    message.set(
        INTENT_RANKING_KEY,
        [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "crisis", "confidence": 0.7}],
    )
    assert intent_of(run_guards(message)) == "crisis"  # the lexicon knows this one


def test_medical_guard_overrides_a_theme():
    message = run_guards(classified("mag ik mijn slaappillen combineren met alcohol?", ("thema_stress", 0.8)))
    assert intent_of(message) == "medische_vraag"


@pytest.mark.parametrize(
    "text",
    ["ik bewaar mijn medicijnen in de koelkast", "ik heb pijn in mijn arm na de griepprik",
     "mijn vader vergeet zijn pillen te nemen"],
)
def test_a_classifier_only_medical_statement_gives_way_to_the_next_intent(text):
    """Not a question and no medical lexicon hit: the medical reply would misunderstand it."""
    message = run_guards(classified(text, ("medische_vraag", 0.7), ("thema_chronische_ziekte", 0.2)))
    assert intent_of(message) == "nlu_fallback"
    message = run_guards(classified(text, ("medische_vraag", 0.5), ("thema_mantelzorg", 0.45)))
    assert intent_of(message) == "thema_mantelzorg"


def test_a_classifier_only_medical_question_stays_medical():
    message = run_guards(classified("is het slim om met die klachten te gaan werken?", ("medische_vraag", 0.7)))
    assert intent_of(message) == "medische_vraag"


def test_medical_guard_leaves_social_questions_alone():
    message = run_guards(
        classified("ik heb reuma, zijn er lotgenotengroepen?", ("thema_chronische_ziekte", 0.8))
    )
    assert intent_of(message) == "thema_chronische_ziekte"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("😢😢", "onleesbaar"),
        ("", "onleesbaar"),
        ("Hello, I need help please", "andere_taal"),
        ("<script>alert(1)</script>", "nlu_fallback"),
        ("'; DROP TABLE activiteiten; --", "nlu_fallback"),
    ],
)
def test_input_guard(text, intent):
    assert intent_of(run_guards(classified(text, ("thema_eenzaamheid", 0.6)))) == intent


def test_english_crisis_still_gets_the_crisis_reply():
    message = run_guards(classified("I want to kill myself", ("begroeten", 0.5)))
    assert intent_of(message) == "crisis"


def test_intent_payloads_are_left_alone():
    message = run_guards(classified('/pii_ontvangen{"pii_veld": "contact"}', ("pii_ontvangen", 1.0)))
    assert intent_of(message) == "pii_ontvangen"
