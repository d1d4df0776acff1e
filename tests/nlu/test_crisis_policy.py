"""CrisisPolicy on real trackers with the project's domain.yml."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu.crisis_policy import CrisisPolicy
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path) -> CrisisPolicy:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("crisis_policy")
    created = CrisisPolicy.create(
        {**CrisisPolicy.get_default_config(), "priority": 6},
        storage,
        resource,
        ExecutionContext(GraphSchema({}), "test"),
    )
    created.train([], domain=Domain.empty())
    return CrisisPolicy.load(created.config, storage, resource, ExecutionContext(GraphSchema({}), "test"))


def tracker(domain: Domain, *events) -> DialogueStateTracker:
    start = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("inwoner", [*start, *events], domain.slots)


def user(intent: str) -> UserUttered:
    return UserUttered("tekst", intent={"name": intent, "confidence": 1.0})


def predicted(prediction, domain: Domain) -> str | None:
    if max(prediction.probabilities) == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_crisis_mid_form_gets_the_reply_and_closes_the_form(policy, domain):
    state = tracker(
        domain,
        user("vraag_persoon"),
        ActionExecuted("handoff_form"),
        ActiveLoop("handoff_form"),
        SlotSet("requested_slot", "handoff_contact"),
        ActionExecuted("action_listen"),
        user("crisis"),
        ActionExecuted("action_extract_slots"),
    )
    prediction = policy.predict_action_probabilities(state, domain)
    assert predicted(prediction, domain) == "utter_crisis"
    assert prediction.is_no_user_prediction
    assert any(isinstance(e, ActiveLoop) and e.name is None for e in prediction.events)
    assert prediction.policy_priority == 6


def test_crisis_outside_a_form_gets_the_reply_without_loop_event(policy, domain):
    prediction = policy.predict_action_probabilities(tracker(domain, user("crisis")), domain)
    assert predicted(prediction, domain) == "utter_crisis"
    assert prediction.events == []


def test_no_prediction_once_the_crisis_was_answered(policy, domain):
    state = tracker(domain, user("crisis"), ActionExecuted("utter_crisis"))
    assert predicted(policy.predict_action_probabilities(state, domain), domain) is None


def test_no_prediction_for_other_intents(policy, domain):
    prediction = policy.predict_action_probabilities(tracker(domain, user("thema_stress")), domain)
    assert predicted(prediction, domain) is None
    assert not prediction.is_no_user_prediction


def test_a_classifier_only_crisis_mid_form_gets_the_gentle_question_and_closes_the_form(policy, domain):
    state = tracker(
        domain,
        user("thema_eenzaamheid"),
        ActionExecuted("zoek_form"),
        ActiveLoop("zoek_form"),
        SlotSet("requested_slot", "gemeente_code"),
        ActionExecuted("action_listen"),
        user("crisis_vraag"),
        ActionExecuted("action_extract_slots"),
    )
    prediction = policy.predict_action_probabilities(state, domain)
    assert predicted(prediction, domain) == "utter_crisis_vraag"
    assert any(isinstance(e, ActiveLoop) and e.name is None for e in prediction.events)


def test_the_gentle_question_asks_without_a_helpline_and_ja_gives_every_line(domain):
    """The question names no number (it is no alarm); its "Ja" button leads to utter_crisis (data/safety.yml)."""
    import yaml

    question = domain.responses["utter_crisis_vraag"][0]
    assert not any(number in question["text"] for number in ("113", "112", "0800"))
    assert [b["payload"] for b in question["buttons"]] == ["/bevestigen", "/ontkennen"]
    rules = yaml.safe_load((PROJECT_ROOT / "data" / "safety.yml").read_text(encoding="utf-8"))["rules"]
    ja = next(r for r in rules if r["rule"] == "misschien een crisis, ja")
    assert {"intent": "bevestigen"} in ja["steps"] and {"action": "utter_crisis"} in ja["steps"]
    default_reply = [v for v in domain.responses["utter_crisis"] if not v.get("condition")][0]["text"]
    assert all(number in default_reply for number in ("113", "112", "0800-2000"))
