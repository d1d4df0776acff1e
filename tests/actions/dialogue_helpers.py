"""Shared by the dialogue action tests: trackers from JSON, the real domain, running an action."""
from __future__ import annotations

import asyncio
import copy
import json
from functools import lru_cache
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions._teksten import NAME_KEY
from bot.settings import PROJECT_ROOT

TRACKERS = Path(__file__).with_name("trackers")


@lru_cache(maxsize=1)
def _domain() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def domain() -> dict:
    return copy.deepcopy(_domain())


def load_tracker(name: str, slots: dict | None = None, latest_message: dict | None = None) -> Tracker:
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots or {})
    # Slots set after the last user message are what a form validates: keep them in step.
    for event in state["events"]:
        if event["event"] == "slot" and event["name"] in (slots or {}):
            event["value"] = slots[event["name"]]
    state["latest_message"].update(latest_message or {})
    return Tracker.from_dict(state)


def run_action(action, tracker: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker, domain())
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return result, dispatcher


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """What each message is: a domain response (utter_...) or a template of actions/teksten_*.yml."""
    return [message["response"] or message[NAME_KEY] for message in dispatcher.messages]


def rendered(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[str]:
    """The texts the resident reads: a template's text as sent, a domain response as Rasa's NLG fills it."""
    out = []
    for message in dispatcher.messages:
        if message["text"] is not None:
            out.append(message["text"])
            continue
        template = _domain()["responses"][message["response"]][0]["text"]
        values = {**{k: v for k, v in tracker.slots.items() if v is not None}, **message}
        out.append(template.format(**values))
    return out
