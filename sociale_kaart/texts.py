"""Dutch message templates (messages.yml) and the target-group list (doelgroepen.yml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _load(name: str) -> dict:
    with open(PACKAGE_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def message(key: str, **values) -> str:
    """The template at a dotted key, e.g. ``fouten.bad_postcode``, filled in."""
    node = _load("messages.yml")
    for part in key.split("."):
        node = node[part]
    return node.format(**values)


def message_table(section: str) -> dict[str, str]:
    return dict(_load("messages.yml")[section])


def counted(word: str, number: int) -> str:
    """'probleem' or 'problemen', from the woorden list in messages.yml."""
    singular, plural = _load("messages.yml")["woorden"][word]
    return singular if number == 1 else plural


def target_groups() -> dict[str, str]:
    return dict(_load("doelgroepen.yml")["doelgroepen"])
