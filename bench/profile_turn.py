"""Where the time of a turn goes inside Rasa: NLU, policies, actions, tracker store.

    .venv/bin/python bench/profile_turn.py [--model var/models/<hash>.tar.gz] [--repeat 3] [--cprofile 30]

Loads the trained model in this process (like the Rasa server does) with an in-memory tracker
store, starts the real action server on 127.0.0.1 (its own SQLite database with the demo
catalogue, the command of `make run`), and talks the 5-turn conversations of bench/load.py
through `Agent.handle_text`, each `--repeat` times with a new sender. It prints:

- per turn of the conversation: median wall time and CPU time of this process (the action
  server's CPU is its own; its HTTP round trips are in the wall time);
- per part of a turn (Rasa's MessageProcessor): the NLU parse, each dialogue prediction
  (all policies + the ensemble), the actions run (custom actions over HTTP included), the
  tracker store; and the number of predictions per turn;
- per graph node (each NLU component, each policy): calls, wall and CPU ms per turn;
- with `--cprofile N`: the N functions with the most cumulative time under cProfile over one
  more round of all conversations.

CPU is `time.process_time()` (all threads of this process, TensorFlow's included), so on a
shared machine compare CPU rather than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import glob
import io
import os
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from load import CONVERSATIONS  # noqa: E402  (the same conversations as the load test)


def newest_model() -> Path:
    from bot.training import current_model

    model = current_model()
    if model.exists():
        return model
    models = sorted(glob.glob(str(ROOT / "var" / "models" / "*.tar.gz")), key=os.path.getmtime)
    if not models:
        raise SystemExit("no trained model in var/models (make model)")
    return Path(models[-1])


class Clock:
    """Wall and CPU milliseconds per named part, for the turn being measured."""

    def __init__(self) -> None:
        self.turn: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        self.total: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
        self.turns = 0

    def add(self, name: str, wall: float, cpu: float) -> None:
        for table in (self.turn, self.total):
            entry = table[name]
            entry[0] += 1
            entry[1] += wall
            entry[2] += cpu

    def end_turn(self) -> dict[str, list[float]]:
        done, self.turn = self.turn, defaultdict(lambda: [0, 0.0, 0.0])
        self.turns += 1
        return done


CLOCK = Clock()


def _timed_sync(name_of, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            CLOCK.add(name_of(args), (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)

    return wrapper


def _timed_async(name, function):
    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return await function(*args, **kwargs)
        finally:
            CLOCK.add(name, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)

    return wrapper


def instrument() -> None:
    """Time every graph node (NLU components, policies) and the parts of MessageProcessor."""
    from rasa.core.processor import MessageProcessor
    from rasa.engine.graph import GraphNode

    GraphNode.__call__ = _timed_sync(lambda args: f"node {args[0]._node_name}", GraphNode.__call__)
    MessageProcessor._predict_next_with_tracker = _timed_sync(
        lambda args: "part: dialogue prediction (policies)", MessageProcessor._predict_next_with_tracker
    )
    for method, label in (
        ("parse_message", "part: NLU parse"),
        ("_run_action", "part: run action (custom ones over HTTP)"),
        ("run_action_extract_slots", "part: action_extract_slots"),
        ("fetch_tracker_and_update_session", "part: tracker store read"),
        ("save_tracker", "part: tracker store save"),
    ):
        setattr(MessageProcessor, method, _timed_async(label, getattr(MessageProcessor, method)))


def start_action_server(workdir: Path):
    """The real action server (command of bot.processes) on a free port, with its own database."""
    import httpx
    from support.stack import make_settings, setup_database

    from bot.processes import process_env, process_specs

    settings, overrides = make_settings(workdir)
    env = {**process_env(settings, "WARNING"), **overrides}
    setup_database(env)
    [spec] = [s for s in process_specs(settings, Path("unused"), "WARNING") if s.name == "actions"]
    log = open(workdir / "actions.log", "ab")
    process = subprocess.Popen(spec.command, cwd=ROOT, env={**env, **spec.env}, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"action server stopped: {(workdir / 'actions.log').read_text()[-2000:]}")
        try:
            if httpx.get(spec.health_url, timeout=2).status_code == 200:
                return process, settings.action_server_url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("action server did not start")


async def converse(agent, sender: str, texts: list[str], per_turn: list[list[tuple]]) -> None:
    for index, text in enumerate(texts):
        wall, cpu = time.perf_counter(), time.process_time()
        await agent.handle_text(text, sender_id=sender)
        parts = CLOCK.end_turn()
        wall_ms, cpu_ms = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        per_turn[index].append((wall_ms, cpu_ms, parts))


async def run(model: Path, repeat: int, action_url: str, top: int, gc_freeze: bool = False,
              keep_debug_copies: bool = False) -> None:
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.log_utils import configure_structlog
    from rasa.utils.tensorflow import environment as tf_environment

    from bot.rasa_server import drop_texts_from_structlog, patch_rasa
    from bot.rasa_speedups import (
        cache_event_classes,
        load_models_without_training_step,
        skip_debug_log_copies,
        speed_up_rule_lookup,
    )

    # As the Rasa server runs (bot.rasa_server, rasa.__main__): logs at LOG_LEVEL (INFO by
    # default, as bot.processes sets it), TensorFlow's thread settings from the environment.
    configure_logging_and_warnings(None, None, warn_only_once=True, filter_repeated_logs=True)
    configure_structlog(None)
    tf_environment.setup_tf_environment()
    patch_rasa(4.0)
    cache_event_classes()
    speed_up_rule_lookup()
    if not keep_debug_copies:  # A/B of skip_debug_log_copies
        skip_debug_log_copies()
    drop_texts_from_structlog()
    load_models_without_training_step()
    started = time.perf_counter()
    agent = Agent.load(str(model), action_endpoint=EndpointConfig(url=f"{action_url}/webhook"))
    agent.tracker_store = InMemoryTrackerStore(agent.domain)
    agent.processor.tracker_store = agent.tracker_store
    print(f"model {model.name} loaded in {time.perf_counter() - started:.1f} s; load average "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    await agent.handle_text("Hoi", sender_id="warm-up")  # first call warms caches
    if gc_freeze:  # as the Rasa server does once the model is loaded (bot.rasa_speedups.freeze_heap)
        from bot.rasa_speedups import freeze_heap

        freeze_heap()
    import gc

    gc_before = [s["collections"] for s in gc.get_stats()]
    CLOCK.end_turn()
    CLOCK.total.clear()
    CLOCK.turns = 0
    instrument()
    all_turns: list[tuple] = []
    for number, texts in enumerate(CONVERSATIONS):
        per_turn: list[list[tuple]] = [[] for _ in texts]
        for round_ in range(repeat):
            await converse(agent, f"profile-{number}-{round_}", texts, per_turn)
        print(f"\nconversation {number + 1}: wall / CPU ms (median of {repeat}), predictions per turn")
        for text, samples in zip(texts, per_turn, strict=True):
            predictions = statistics.median(s[2]["part: dialogue prediction (policies)"][0] for s in samples)
            print(f"  {text[:44]:44s} {statistics.median(s[0] for s in samples):7.1f} / "
                  f"{statistics.median(s[1] for s in samples):6.1f}   {predictions:.0f}")
            all_turns += samples
    turns = len(all_turns)
    walls = sorted(s[0] for s in all_turns)
    cpus = [s[1] for s in all_turns]
    p95 = walls[min(turns - 1, round(0.95 * (turns - 1)))]
    print(f"\nall {turns} turns: wall p50 {statistics.median(walls):.1f} ms, p95 {p95:.1f} ms; "
          f"CPU mean {statistics.mean(cpus):.1f} ms per turn")
    gc_counts = [s["collections"] - b for s, b in zip(gc.get_stats(), gc_before, strict=True)]
    print(f"garbage collections during the turns (gen 0/1/2): {'/'.join(map(str, gc_counts))}; "
          f"objects tracked {len(gc.get_objects())}, frozen {gc.get_freeze_count()}")
    print(f"\n{'part / graph node':58s} {'calls/turn':>10s} {'wall ms/turn':>12s} {'CPU ms/turn':>12s}")
    ordered = sorted(CLOCK.total.items(), key=lambda item: (not item[0].startswith("part"), -item[1][2]))
    for name, (calls, wall, cpu) in ordered:
        print(f"{name[:58]:58s} {calls / turns:10.2f} {wall / turns:12.2f} {cpu / turns:12.2f}")
    if top:
        profiler = cProfile.Profile()
        profiler.enable()
        for number, texts in enumerate(CONVERSATIONS):
            await converse(agent, f"cprofile-{number}", texts, [[] for _ in texts])
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="print the top N functions")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="gc.freeze() after the warm-up, as the server does")
    parser.add_argument("--keep-debug-copies", action="store_true",
                        help="without bot.rasa_speedups.skip_debug_log_copies (A/B)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # config.yml names var/spacy_nl relative to the project
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("LOG_LEVEL", "INFO")
    os.environ.setdefault("LOG_LEVEL_LIBRARIES", "WARNING")
    model = (args.model or newest_model()).resolve()
    with tempfile.TemporaryDirectory() as workdir:
        process, action_url = start_action_server(Path(workdir))
        try:
            asyncio.run(run(model, max(1, min(args.repeat, 50)), action_url, max(0, min(args.cprofile, 200)),
                            args.gc_freeze, args.keep_debug_copies))
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
