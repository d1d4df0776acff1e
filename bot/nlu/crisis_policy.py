"""CrisisPolicy: the crisis reply comes first, also in the middle of a form.

Rasa's RulePolicy lets an active form run before any rule ("loop happy path").
A form with a custom validator then needs the action server; when that server
is down the form fails silently and the crisis message would get no answer.
This policy answers a fresh `crisis` message with `utter_crisis` (and a
`crisis_vraag`, a crisis only the classifier saw, with the gentle question
`utter_crisis_vraag`) and closes the active form in the same step (an ActiveLoop(None) event), before the form
can run. The rules in data/safety.yml then continue as usual
(action_deactivate_loop, the "zo bedoel ik het niet" follow-up). It uses only
a response, so it needs no action server and no database.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

CRISIS_INTENT = "crisis"
CRISIS_RESPONSE = "utter_crisis"
# Only the classifier thinks it is a crisis (bot/nlu/crisis_guard.py): ask first, also mid-form.
QUESTION_INTENT = "crisis_vraag"
QUESTION_RESPONSE = "utter_crisis_vraag"
_RESPONSE_OF = {CRISIS_INTENT: CRISIS_RESPONSE, QUESTION_INTENT: QUESTION_RESPONSE}
# Actions the processor runs by itself after a user message, before any policy.
_BOOKKEEPING_ACTIONS = {ACTION_LISTEN_NAME, "action_extract_slots"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class CrisisPolicy(Policy):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (4), so its answer wins a tie.
        return {"priority": 6}

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        # Nothing to learn; an empty resource lets Rasa load the policy like any other.
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        response = _RESPONSE_OF.get(_unanswered_crisis_intent(tracker) or "")
        if response is None or response not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(response)] = 1.0
        events = [ActiveLoop(None)] if tracker.active_loop_name else []
        # A "no user" prediction outranks the form's own happy-path prediction.
        return self._prediction(probabilities, events=events, is_no_user_prediction=True)


def _unanswered_crisis_intent(tracker: DialogueStateTracker) -> str | None:
    """`crisis` or `crisis_vraag` when the last user message is one and the bot has not acted on it yet."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            name = (event.intent or {}).get("name")
            return name if name in _RESPONSE_OF else None
        if isinstance(event, ActionExecuted) and event.action_name not in _BOOKKEEPING_ACTIONS:
            return None
    return None

