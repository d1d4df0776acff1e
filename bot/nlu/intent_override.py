"""What the guards share: a base component, and helpers to replace the classifier's intent on a message."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message


def message_text(message: Message) -> str | None:
    """The resident's text, or None for empty text and `/intent` payloads (not ours to judge)."""
    text = message.get(TEXT)
    if not isinstance(text, str) or text.startswith(INTENT_MESSAGE_PREFIX):
        return None
    return text


def intent_name(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


def ranked_confidence(message: Message, name: str) -> float:
    """The classifier's confidence for `name`, wherever it stands in the ranking."""
    for entry in message.get(INTENT_RANKING_KEY) or []:
        if entry.get(INTENT_NAME_KEY) == name:
            return float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    return 0.0


def set_intent(message: Message, name: str, confidence: float = 1.0) -> None:
    """Make `name` the message's intent and put it on top of the ranking."""
    chosen = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)


def drop_intent(message: Message, name: str, fallback: str, threshold: float = 0.0) -> None:
    """Remove `name` from the prediction: the next intent wins if it reaches `threshold`, else `fallback`."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    if ranking and float(ranking[0].get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= threshold:
        chosen = ranking[0]
    else:
        chosen = {INTENT_NAME_KEY: fallback, PREDICTED_CONFIDENCE_KEY: threshold}
        ranking = [chosen, *ranking]
    message.set(INTENT, dict(chosen), add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def add_entity(message: Message, entity: str, value: str, extractor: str) -> None:
    text = message.get(TEXT) or ""
    entities: list[dict[str, Any]] = [e for e in message.get(ENTITIES) or [] if e.get("entity") != entity]
    entities.append(
        {
            "entity": entity,
            "value": value,
            "start": 0,
            "end": len(text),
            "confidence_entity": 1.0,
            "extractor": extractor,
        }
    )
    message.set(ENTITIES, entities, add_to_output=True)


class Guard(GraphComponent):
    """An untrained component that may rewrite the intent of every message the resident typed."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Guard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message_text(message)
            if text is not None:
                self.guard(message, text)
        return messages

    def guard(self, message: Message, text: str) -> None:
        raise NotImplementedError
