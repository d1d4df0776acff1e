"""CrisisGuard: the last component of the NLU pipeline, so its decision wins.

The deterministic lexicon decides the crisis reply. When it fires
(`bot.safety.crisis`), the intent becomes `crisis` with confidence 1.0 and the
entity `crisis_soort` is added (it fills the slot that picks the right helpline
in `utter_crisis`).

The classifier alone never gives the full crisis reply: measured on our traps
(docs/nlu.md, "Who decides"), DIET called 16 of 262 harmless sentences a crisis
with confidence 0.62-0.99 ("mijn vrouw slaat de deur dicht", "ik heb net mijn
pillen genomen"), while it found no crisis line of our table that the lexicon
missed. So when only the classifier says `crisis`, confidently enough and the
text is not an everyday idiom ("ik lach me dood"), the intent becomes
`crisis_vraag`: the bot asks gently and directly whether the resident thinks of
suicide or is in danger, with the buttons "Ja" (the full crisis reply, every
helpline) and "Nee" (data/safety.yml; also in the middle of a form,
`CrisisPolicy`). Otherwise the next intent wins.
Crisis beats every other guard: it runs after them.

A crisis message (and a doubtful one) keeps no other entity: no slot mapping can
read a place, a category, a keyword or a moment from it ("ik spring van de brug
in Bussum" is not an answer to "in welke plaats woon je?"). The text mappings of
the forms skip the intents `crisis` and `crisis_vraag` (domain.yml), so the
crisis check comes before every slot extraction, in this one place.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT_NAME_KEY, INTENT_RANKING_KEY
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
# The classifier alone thinks it is a crisis: the bot asks first (utter_crisis_vraag).
CRISIS_QUESTION_INTENT = "crisis_vraag"
CRISIS_ENTITY = "crisis_soort"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisGuard(Guard):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Below this confidence a classifier-only "crisis" is not even asked about.
        # The next intent must reach the fallback threshold, or it becomes nlu_fallback.
        return {"classifier_threshold": 0.6, "fallback_threshold": 0.4}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        # Build the crisis lexicon's typo readings now, not during a resident's first message.
        crisis.warm_up()

    def guard(self, message: Message, text: str) -> None:
        signal = crisis.detect(text)
        if signal is not None:
            set_intent(message, CRISIS_INTENT, 1.0)
            _drop_other_entities(message)
            add_entity(message, CRISIS_ENTITY, signal.soort, self.__class__.__name__)
            return
        confidence = ranked_confidence(message, CRISIS_INTENT)
        if confidence >= float(self.config["classifier_threshold"]) and not crisis.is_idiom(text):
            set_intent(message, CRISIS_QUESTION_INTENT, confidence)
            ranking = message.get(INTENT_RANKING_KEY) or []
            message.set(INTENT_RANKING_KEY, [r for r in ranking if r.get(INTENT_NAME_KEY) != CRISIS_INTENT], add_to_output=True)
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
