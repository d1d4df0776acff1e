"""InputGuard: messages that are not Dutch words get a fixed intent.

- a postcode alone ("1215 AB", "1215") -> `plaats_noemen` (the place actions ask the woonplaats);
- a lone place name the classifiers did not understand ("Utrecht") -> `plaats_noemen`;
- no letters (emoji only, "???", "123") -> `onleesbaar` (reply: type it in words);
- clearly another language -> `andere_taal` (reply in Dutch and English);
- HTML/script or SQL-looking text -> `nlu_fallback` (the normal fallback reply).
Runs after the classifiers and before the Medical- and CrisisGuard.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import Guard, set_intent
from bot.safety import language
from sociale_kaart.places import is_postcode_only, names_a_place

UNREADABLE_INTENT = "onleesbaar"
PLACE_INTENT = "plaats_noemen"
OTHER_LANGUAGE_INTENT = "andere_taal"
# Intents that carry no meaning of their own: a lone place name read as one of these
# ("Utrecht" as nlu_fallback) is a place.
WEAK_INTENTS = frozenset(
    (DEFAULT_NLU_FALLBACK_INTENT_NAME, "begroeten", "buiten_bereik", "bevestigen", "ontkennen")
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuard(Guard):
    def guard(self, message: Message, text: str) -> None:
        if is_postcode_only(text):
            set_intent(message, PLACE_INTENT, 1.0)
            message.set(ENTITIES, [], add_to_output=True)
        elif language.is_unreadable(text):
            set_intent(message, UNREADABLE_INTENT, 1.0)
        elif language.looks_like_code(text):
            set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
            message.set(ENTITIES, [], add_to_output=True)
        elif language.other_language(text) is not None:
            set_intent(message, OTHER_LANGUAGE_INTENT, 1.0)
        elif (message.get("intent") or {}).get("name") in WEAK_INTENTS and (place := names_a_place(text)):
            set_intent(message, PLACE_INTENT, 1.0)
            entity = {"entity": "plaats", "value": place, "start": 0, "end": len(text),
                      "extractor": "InputGuard"}
            message.set(ENTITIES, [entity], add_to_output=True)
