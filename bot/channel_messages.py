"""Dutch texts the channels say themselves (bot/channel_messages.yml).

Crisis line numbers are never typed into the YAML: they are filled in from the
helplines vocabulary, so a changed number is changed in one place.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from sociale_kaart.taxonomy import load_taxonomy

MESSAGES_FILE = Path(__file__).resolve().parent / "channel_messages.yml"


@lru_cache(maxsize=1)
def _messages() -> dict:
    with open(MESSAGES_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def helpline_numbers() -> dict[str, str]:
    """{"zelfmoordpreventie": "113 of 0800-0113", "alarm": "112", ...}"""
    helplines = load_taxonomy().helplines
    return {code: " of ".join(line.telefoon) for code, line in helplines.items() if line.telefoon}


def channel_text(section: str, key: str, **values) -> str:
    template = _messages()[section][key]
    return template.format(**helpline_numbers(), **values)
