"""Reply time per turn through the REST channel, for a single user.

Starts the real stack (action server, Rasa, web app) on free ports with the
current model, plays a set of conversations turn by turn through the web app's
chat API, and prints median and p95 per turn. Run: `.venv/bin/python bench/reply_time.py`.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.stack import ChatClient, running_stack  # noqa: E402

CONVERSATIONS = [
    ["Hoi", "ik voel me eenzaam", "Bussum", "weet ik niet", "meer"],
    ["Hallo", "ik heb schulden en kom niet rond", "Hilversum", "hulp en advies"],
    ["ik slaap slecht door alle stress", "Hoofddorp", "bewegen", "iets anders"],
    ["ik zorg voor mijn moeder en het wordt me te veel", "Leiden", "weet ik niet"],
    ["wat ben jij?", "ik wil graag wandelen", "Naarden", "bedankt", "doei"],
]
ROUNDS = 4


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    with tempfile.TemporaryDirectory() as workdir, running_stack(Path(workdir)) as stack:
        timings: list[float] = []
        for _ in range(ROUNDS):
            for conversation in CONVERSATIONS:
                chat = ChatClient(stack)
                for text in conversation:
                    started = time.perf_counter()
                    chat.say(text)
                    timings.append((time.perf_counter() - started) * 1000)
                chat.close()
    print(f"turns: {len(timings)} (single user, web app → Rasa → action server)")
    print(f"reply time median: {statistics.median(timings):.0f} ms")
    print(f"reply time p95:    {percentile(timings, 0.95):.0f} ms")
    print(f"reply time max:    {max(timings):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
