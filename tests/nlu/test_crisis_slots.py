"""A crisis message fills no slot: not in the NLU (entities), not in a form validator (actions)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_form import ValidateHandoffForm
from actions.zoek_form import ValidateZoekForm
from bot.nlu.crisis_guard import CrisisGuard
from bot.settings import PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "safety"))
from safety_tables import GROUPS  # noqa: E402

# One line of every group of our table, each with a place, a category and a keyword in it.
SAMPLES = [lines[0] for _, lines in GROUPS.values()]


def _classified(text: str, intent: str, confidence: float, entities: list[dict]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    message.set(ENTITIES, entities)
    return message


def _entities(text: str) -> list[dict]:
    return [
        {"entity": "plaats", "value": "Bussum", "start": 0, "end": 6, "extractor": "DIETClassifier"},
        {"entity": "categorie", "value": "bewegen", "start": 0, "end": 6, "extractor": "DIETClassifier"},
        {"entity": "zoekwoord", "value": "wandelen", "start": 0, "end": 8, "extractor": "DIETClassifier"},
        {"entity": "moment", "value": "avond", "start": 0, "end": 5, "extractor": "DIETClassifier"},
    ]


@pytest.mark.parametrize("text", SAMPLES)
def test_a_lexicon_crisis_keeps_only_its_kind(text):
    message = _classified(f"{text} in Bussum, ik wandel graag", "plaats_noemen", 0.9, _entities(text))
    CrisisGuard().process([message])
    assert message.get(INTENT)["name"] == "crisis"
    assert [e["entity"] for e in message.get(ENTITIES)] == ["crisis_soort"]


def test_a_classifier_crisis_keeps_no_place_either():
    text = "alles is zwart, ik zie geen licht meer in Bussum"
    message = _classified(text, "crisis", 0.9, _entities(text))
    CrisisGuard().process([message])
    assert message.get(INTENT)["name"] == "crisis_vraag"  # the classifier alone: the bot asks first
    assert message.get(ENTITIES) == []


def test_no_crisis_keeps_the_entities():
    text = "ik wil wandelen in Bussum"
    message = _classified(text, "zoek_activiteit", 0.9, _entities(text))
    CrisisGuard().process([message])
    assert len(message.get(ENTITIES)) == 4


def _domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def _tracker(text: str, intent: str, form: str, requested: str, extracted: dict, before: dict) -> Tracker:
    events = [{"event": "action", "name": "action_listen"}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in before.items()]
    events += [
        {"event": "active_loop", "name": form},
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.5}}},
    ]
    events += [{"event": "slot", "name": k, "value": v} for k, v in extracted.items()]
    return Tracker(
        sender_id="crisis-slots",
        slots={**before, **extracted, "requested_slot": requested},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


def _run(action, tracker: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    return asyncio.run(action.run(dispatcher, tracker, _domain())), dispatcher


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("intent", ["crisis", "plaats_noemen"])  # also when the NLU missed it
def test_the_place_question_never_reads_a_crisis_line_as_a_place(text, intent):
    tracker = _tracker(text, intent, "zoek_form", "gemeente_code", {"gemeente_code": text}, {})
    events, dispatcher = _run(ValidateZoekForm(), tracker)
    assert events == [{"event": "slot", "timestamp": None, "name": "gemeente_code", "value": None}]
    assert dispatcher.messages == []  # no "Die plaats ken ik niet"


@pytest.mark.parametrize("text", SAMPLES)
def test_the_category_question_keeps_the_earlier_value(text):
    tracker = _tracker(
        text, "zoek_activiteit", "zoek_form", "categorie", {"categorie": text}, {"gemeente_code": "GM0381"}
    )
    events, dispatcher = _run(ValidateZoekForm(), tracker)
    assert events == [{"event": "slot", "timestamp": None, "name": "categorie", "value": None}]
    assert dispatcher.messages == []


@pytest.mark.parametrize("slot", ["handoff_plaats", "handoff_notitie", "handoff_naam"])
def test_the_hand_off_form_reads_no_crisis_line(slot):
    text = GROUPS["zelfbeschadiging"][1][0]
    tracker = _tracker(text, "crisis", "handoff_form", slot, {slot: text}, {slot: None})
    events, dispatcher = _run(ValidateHandoffForm(), tracker)
    assert events == [{"event": "slot", "timestamp": None, "name": slot, "value": None}]
    assert dispatcher.messages == []


def test_an_ordinary_answer_is_still_validated():
    tracker = _tracker("weet ik niet", "weet_niet", "zoek_form", "categorie", {"categorie": "alles"}, {})
    events, _ = _run(ValidateZoekForm(), tracker)
    assert {"event": "slot", "timestamp": None, "name": "categorie", "value": "alles"} in events


def test_the_action_server_registers_the_validators_but_not_the_base():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert {"validate_zoek_form", "validate_handoff_form"} <= set(executor.actions)
