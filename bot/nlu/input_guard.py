"""InputGuard: messages that are not Dutch words get a fixed intent.

- a postcode alone ("1215 AB", "1215") -> `plaats_noemen` (the place actions ask the woonplaats);
- a lone place name the classifiers did not understand ("Utrecht") -> `plaats_noemen`;
- no letters (emoji only, "???", "123") -> `onleesbaar` (reply: type it in words);
- clearly another language -> `andere_taal` (reply in Dutch and English);
- HTML/script or SQL-looking text -> `nlu_fallback` (the normal fallback reply);
- a request for a person or a question about a request's status that the classifier read as
  a fallback, a word of the hand-off form or "what are you" ("bel me maar", "ik heb nog niks
  gehoord", "is dit een robot? ik wil een mens") -> `vraag_persoon` / `vraag_status`
  (patterns in bot/nlu/requests.py); a reference code with a word for deleting read as a
  privacy question -> `verwijder_gegevens`;
- a fallback only because two worries tie ("ik ben vaak alleen en heb ook schulden"): the
  stronger worry wins, and the theme actions name the other one ("Je noemde ook: ...").
Runs after the classifiers and before the Medical- and CrisisGuard.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import requests
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
# Intents a request for a person or a status question may be misread as: "bel me maar" is also
# the answer "by phone" inside the hand-off form (the contact_route entity is kept, so the form
# still takes it), "ik wil een mens" after "is dit een robot?" is more than a question about us.
PERSON_INTENT = "vraag_persoon"
STATUS_INTENT = "vraag_status"
REQUEST_MISREAD_INTENTS = WEAK_INTENTS | {"handoff_route", "wat_ben_jij", "iets_anders"}
# A reference code with a word for deleting, read as a question about privacy: the deletion
# flow (which asks for the second factor) takes it.
DELETION_INTENT = "verwijder_gegevens"
DELETION_MISREAD_INTENTS = WEAK_INTENTS | {"vraag_privacy"}
WORRY_INTENT_PREFIX = "thema_"
# Two worries named in one message split the classifier's confidence between them; together
# they must still be clearly what the message is about.
TIED_WORRIES_MIN_TOTAL = 0.6


def tied_worry(message: Message) -> tuple[str, float] | None:
    """The stronger of two worries whose tie made the FallbackClassifier answer, if that is the case."""
    if (message.get("intent") or {}).get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return None
    ranked = [
        r
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
    ]
    if len(ranked) < 2 or not all(
        str(r.get(INTENT_NAME_KEY)).startswith(WORRY_INTENT_PREFIX) for r in ranked[:2]
    ):
        return None
    first, second = (float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for r in ranked[:2])
    if first + second < TIED_WORRIES_MIN_TOTAL:
        return None
    return str(ranked[0][INTENT_NAME_KEY]), first


def misread_request(message: Message, asks, text: str) -> bool:
    return (message.get("intent") or {}).get(INTENT_NAME_KEY) in REQUEST_MISREAD_INTENTS and asks(text)


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
        elif worry := tied_worry(message):
            set_intent(message, *worry)
        elif (message.get("intent") or {}).get(
            INTENT_NAME_KEY
        ) in DELETION_MISREAD_INTENTS and requests.asks_deletion_by_code(text):
            set_intent(message, DELETION_INTENT, 1.0)
        elif misread_request(message, requests.asks_status, text):
            set_intent(message, STATUS_INTENT, 1.0)
        elif misread_request(message, requests.asks_for_person, text):
            set_intent(message, PERSON_INTENT, 1.0)
        elif (message.get("intent") or {}).get("name") in WEAK_INTENTS and (place := names_a_place(text)):
            set_intent(message, PLACE_INTENT, 1.0)
            entity = {
                "entity": "plaats",
                "value": place,
                "start": 0,
                "end": len(text),
                "extractor": "InputGuard",
            }
            message.set(ENTITIES, [entity], add_to_output=True)
