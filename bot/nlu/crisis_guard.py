"""CrisisGuard: the last component of the NLU pipeline, so its decision wins.

When the deterministic lexicon (`bot.safety.crisis`) fires, the intent becomes
`crisis` with confidence 1.0 and the entity `crisis_soort` is added (it fills
the slot that picks the right helpline in `utter_crisis`). When only the
classifier says `crisis`, it is kept if it is confident enough and the text is
not an everyday idiom ("ik lach me dood"); otherwise the next intent wins.
Crisis beats every other guard: it runs after them.

A crisis message keeps no other entity: no slot mapping can read a place, a
category, a keyword or a moment from it ("ik spring van de brug in Bussum" is
not an answer to "in welke plaats woon je?"). The text mappings of the forms
skip the intent `crisis` (domain.yml), so the crisis check comes before every
slot extraction, in this one place.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import (
    Guard,
    add_entity,
    drop_intent,
    intent_name,
    ranked_confidence,
    set_intent,
)
from bot.safety import crisis

CRISIS_INTENT = "crisis"
CRISIS_ENTITY = "crisis_soort"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisGuard(Guard):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Below this confidence a classifier-only "crisis" is not trusted.
        # The next intent must reach the fallback threshold, or it becomes nlu_fallback.
        return {"classifier_threshold": 0.6, "fallback_threshold": 0.4}

    def guard(self, message: Message, text: str) -> None:
        signal = crisis.detect(text)
        if signal is not None:
            set_intent(message, CRISIS_INTENT, 1.0)
            _drop_other_entities(message)
            add_entity(message, CRISIS_ENTITY, signal.soort, self.__class__.__name__)
            return
        confidence = ranked_confidence(message, CRISIS_INTENT)
        if confidence >= float(self.config["classifier_threshold"]) and not crisis.is_idiom(text):
            set_intent(message, CRISIS_INTENT, confidence)
            _drop_other_entities(message)
        elif intent_name(message) == CRISIS_INTENT:
            drop_intent(
                message,
                CRISIS_INTENT,
                DEFAULT_NLU_FALLBACK_INTENT_NAME,
                float(self.config["fallback_threshold"]),
            )


def _drop_other_entities(message: Message) -> None:
    """A crisis message fills no slot but crisis_soort: its place, category or keyword are not answers."""
    kept = [e for e in message.get(ENTITIES) or [] if e.get("entity") == CRISIS_ENTITY]
    message.set(ENTITIES, kept, add_to_output=True)
