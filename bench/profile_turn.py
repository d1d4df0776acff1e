"""Where the time of a turn goes inside Rasa: greeting vs. first worry.

    .venv/bin/python bench/profile_turn.py [--model var/models/<hash>.tar.gz] [--repeat 20]

Loads the trained model in this process (like the Rasa server does), parses each text
`--repeat` times and prints the median parse time (the NLU pipeline: tokenizer, speller,
featurizers, DIET, our guards), then the functions with the most cumulative time for the
first worry under cProfile. The dialogue policies and custom actions are not in it (they
need the tracker store and the action server; bench/load.py measures whole turns).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import glob
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = {
    "greeting": "Hoi",
    "first worry": "ik voel me eenzaam sinds mijn man is overleden",
    "worry with typos": "ik heb schuldn en kom niet rond",
}


def newest_model() -> Path:
    models = sorted(glob.glob(str(ROOT / "var" / "models" / "*.tar.gz")), key=os.path.getmtime)
    if not models:
        raise SystemExit("no trained model in var/models (make model)")
    return Path(models[-1])


async def run(model: Path, repeat: int) -> None:
    from rasa.core.agent import Agent

    started = time.perf_counter()
    agent = Agent.load(str(model))
    print(f"model {model.name} loaded in {time.perf_counter() - started:.1f} s")
    for label, text in TEXTS.items():
        await agent.parse_message(text)  # first call warms caches
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            await agent.parse_message(text)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{label:18s} parse median {statistics.median(times):6.1f} ms  max {max(times):6.1f} ms")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        await agent.parse_message(TEXTS["first worry"])
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # config.yml names var/spacy_nl relative to the project
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    asyncio.run(run(args.model or newest_model(), max(1, min(args.repeat, 200))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
