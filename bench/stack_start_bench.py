"""What a test stack costs: its start (wall time, CPU per process) and a message of the crisis
table through it (wall time per message, CPU per process and of this client per message).

    .venv/bin/python bench/stack_start_bench.py [--lines 300]

Starts one stack as the end-to-end tests do (tests/support/stack.py: actions, Rasa, web app on
SQLite, the current model), sends the first LINES lines of our crisis table
(tests/safety/crisis_table.yml) each as the first message of a new conversation to Rasa's REST
channel, one after the other, and prints the figures (docs/measurements.md, session 8).
127.0.0.1 only; bounded by LINES.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "safety"))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300)
    args = parser.parse_args()

    from safety_tables import GROUPS
    from support.stack import running_stack

    lines = [line for _, (_, group_lines) in GROUPS.items() for line in group_lines][: args.lines]
    started = time.monotonic()
    with running_stack(Path(tempfile.mkdtemp(prefix="stack-bench-"))) as stack:
        up = time.monotonic() - started
        pids = {name: process.pid for name, process in stack.processes.items()}
        at_start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        print(f"stack up after {up:.1f} s; CPU at start: "
              + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in at_start.items()))
        client_cpu, began = time.process_time(), time.monotonic()
        for index, line in enumerate(lines):
            stack.rasa_say(f"bench-{index}", line)
        wall = time.monotonic() - began
        client_ms = 1000 * (time.process_time() - client_cpu) / len(lines)
        print(f"{len(lines)} table lines as first message: {1000 * wall / len(lines):.0f} ms per message, "
              f"this client {client_ms:.1f} ms CPU per message")
        for name, pid in pids.items():
            per_message = 1000 * (cpu_seconds(pid) - at_start[name]) / len(lines)
            print(f"  {name}: {per_message:.1f} ms CPU per message")


if __name__ == "__main__":
    main()
