"""Small helpers for actions: button payloads, the latest message."""

from __future__ import annotations

import json


def intent_payload(intent: str, **entities: str) -> str:
    """A button payload Rasa reads as an intent with entities: /plaats_noemen{"plaats": "Bussum"}."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}"


def latest_entity(tracker, entity: str) -> str | None:
    values = [e.get("value") for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]
    values = [v for v in values if isinstance(v, str) and v.strip()]
    return values[0] if values else None


def latest_intent(tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")
