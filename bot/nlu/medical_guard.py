"""MedicalGuard: a medical question always gets the intent `medische_vraag`.

The classifier learns medical questions too, but a dose or a lab result must
never slip into a theme reply; the deterministic lexicon (`bot.safety.medical`)
makes sure. It runs before the CrisisGuard, so a crisis still wins.

The classifier alone is not trusted with statements: "ik bewaar mijn medicijnen
in de koelkast" or "ik heb pijn in mijn arm na de griepprik" are no questions,
and the medical reply would misunderstand them (it also names 112). A
`medische_vraag` of the classifier without a lexicon hit is kept only when the
message asks something; otherwise the next intent wins (or nlu_fallback).
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME

from bot.nlu.intent_override import Guard, drop_intent, intent_name, set_intent
from bot.safety import medical

MEDICAL_INTENT = "medische_vraag"
FALLBACK_THRESHOLD = 0.4  # as the FallbackClassifier in config.yml


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MedicalGuard(Guard):
    def guard(self, message: Message, text: str) -> None:
        if medical.detect(text) is not None:
            set_intent(message, MEDICAL_INTENT, 1.0)
        elif intent_name(message) == MEDICAL_INTENT and not medical.asks_a_question(text):
            drop_intent(message, MEDICAL_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME, FALLBACK_THRESHOLD)
