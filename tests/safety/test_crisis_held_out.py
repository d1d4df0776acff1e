"""A later held-out batch of crisis lines and traps (crisis_held_out.yml) through the lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safety import crisis

_TABLE = yaml.safe_load(Path(__file__).with_name("crisis_held_out.yml").read_text(encoding="utf-8"))
LINES = [(group, spec["soort"], text) for group, spec in _TABLE["groups"].items() for text in spec["lines"]]


@pytest.mark.parametrize(("group", "soort", "text"), LINES)
def test_every_held_out_line_gets_the_reply_of_its_kind(group, soort, text):
    signal = crisis.detect(text)
    assert signal is not None and signal.soort == soort, (group, text, signal)


@pytest.mark.parametrize("text", _TABLE["traps"])
def test_no_held_out_trap_fires(text):
    assert crisis.detect(text) is None, (text, crisis.detect(text))
