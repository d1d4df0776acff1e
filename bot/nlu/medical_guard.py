"""MedicalGuard: a medical question always gets the intent `medische_vraag`.

The classifier learns medical questions too, but a dose or a lab result must
never slip into a theme reply; the deterministic lexicon (`bot.safety.medical`)
makes sure. It runs before the CrisisGuard, so a crisis still wins.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import Guard, set_intent
from bot.safety import medical

MEDICAL_INTENT = "medische_vraag"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MedicalGuard(Guard):
    def guard(self, message: Message, text: str) -> None:
        if medical.detect(text) is not None:
            set_intent(message, MEDICAL_INTENT, 1.0)
