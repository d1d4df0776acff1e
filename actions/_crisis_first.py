"""The crisis check comes before any form answer is read (docs/conversation.md, "Safety").

The NLU already marks a crisis message (intent `crisis`, no other entities) and
the CrisisPolicy answers it before a form can run. This base class is the last
line in the action server: when a form validator is still asked to read a
message in crisis, nothing of that message becomes a slot (a place, a category,
a name or a note). Every form validator of the project derives from it.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions._responses import latest_intent
from bot.safety import crisis

CRISIS_INTENT = "crisis"
# A crisis only the classifier saw: the bot asks first, and reads no slot from it either.
CRISIS_INTENTS = {CRISIS_INTENT, "crisis_vraag"}


def is_crisis_message(tracker: Tracker) -> bool:
    """The latest message is a crisis: by the NLU's intent, or by the lexicon on its text."""
    if latest_intent(tracker) in CRISIS_INTENTS:
        return True
    text = tracker.latest_message.get("text") or ""
    return not text.startswith("/") and crisis.detect(text) is not None


def _value_before_latest_message(tracker: Tracker, slot: str) -> Any:
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None


class CrisisFirstFormValidation(FormValidationAction):
    """A form validator that reads no slot from a message in crisis."""

    @abstractmethod
    def name(self) -> str:
        """Every form validator names itself (abstract, so the action server does not register this base)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if is_crisis_message(tracker):
            # Undo what the slot mappings took from this message; the crisis rules answer it.
            return [
                SlotSet(slot, _value_before_latest_message(tracker, slot))
                for slot in tracker.slots_to_validate()
                if slot != "crisis_soort"
            ]
        return await super().run(dispatcher, tracker, domain)
