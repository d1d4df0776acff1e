"""Texts only our actions say: Dutch templates in `actions/teksten_*.yml`, filled in and sent.

domain.yml keeps the responses that rules and stories use. A text that only an
action chooses (a form question, a result line, a hand-off answer) lives in a
template file beside the actions, so Rasa's validator finds no response that
no story or rule uses. A template has `text` (with `{name}` placeholders the
action fills in), optional `buttons` and an optional `custom` payload.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_FILES = tuple(sorted(Path(__file__).parent.glob("teksten_*.yml")))
# The message carries the template's name; Rasa keeps it in the bot event's metadata
# (as it keeps `utter_action` for a domain response). Channels never show it.
NAME_KEY = "text_template"


@lru_cache(maxsize=1)
def templates() -> dict[str, dict[str, Any]]:
    """All templates by name, read once; a name may appear in one file only."""
    found: dict[str, dict[str, Any]] = {}
    for path in TEMPLATE_FILES:
        for name, template in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if name in found:
                raise ValueError(f"{path.name}: template {name!r} is also in another file")
            if not isinstance(template, dict) or not isinstance(template.get("text"), str):
                raise ValueError(f"{path.name}: template {name!r} needs a text")
            found[name] = template
    return found


def fill(name: str, **values: object) -> str:
    """The template's text with its placeholders filled in (also used for button titles)."""
    return templates()[name]["text"].format(**values)


def utter(
    dispatcher, name: str, buttons: list[dict] | None = None, custom: dict | None = None, **values: object
) -> None:
    """Send a template: its filled-in text, the action's buttons (else its own) and its custom
    payload (plus the action's `custom`, e.g. an activity card)."""
    template = templates()[name]
    dispatcher.utter_message(
        text=fill(name, **values),
        buttons=buttons if buttons is not None else [dict(button) for button in template.get("buttons", [])],
        json_message={**(template.get("custom") or {}), **(custom or {})},
        **{NAME_KEY: name},
    )
