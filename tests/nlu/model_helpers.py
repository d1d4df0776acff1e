"""A trained model for the NLU/safety tests, loaded once per test session."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


@lru_cache(maxsize=1)
def trained_agent():
    """The current model (trained when missing), without an action server, loaded as the
    Rasa server loads it (bot.rasa_speedups)."""
    from rasa.core.agent import Agent

    from bot.rasa_speedups import load_models_without_training_step
    from bot.training import ensure_model

    load_models_without_training_step()
    return Agent.load(str(ensure_model()))


_LOOP = asyncio.new_event_loop()


def run(coroutine):
    return _LOOP.run_until_complete(coroutine)


def parse(text: str) -> dict:
    return run(trained_agent().parse_message(text))


def dev_lines(intent: str) -> list[str]:
    path = EVAL_DIR / "dev_nlu.yml"
    if not path.exists():
        return []
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [
        line.strip()[2:]
        for block in blocks
        if block["intent"] == intent
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def dev_safety() -> dict | None:
    path: Path = EVAL_DIR / "dev_safety.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
