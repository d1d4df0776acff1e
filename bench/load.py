"""Load through the web chat API: N residents at once, 5-turn conversations, think time.

Bounded in count and time, 127.0.0.1 only. Starts the real stack (tests/support/stack.py,
the commands of `make run`) unless --url names a running web app on 127.0.0.1.

    .venv/bin/python bench/load.py --residents 1 --duration 30
    .venv/bin/python bench/load.py --residents 20 --think 1 --duration 60
    .venv/bin/python bench/load.py --residents 200 --think 5-15 --duration 600 --url http://127.0.0.1:8000
    .venv/bin/python bench/load.py --runs 1:1:30 20:1:60 200:5-15:120   # several loads, one stack
    .venv/bin/python bench/load.py --replicas 2 --sender --runs 200:5-15:600   # replicated profile
    .venv/bin/python bench/load.py --idle 60 --sender --runs 1:1:30   # idle CPU first

Prints p50/p95/p99 of all turns, of the first turn and of the first worry of each
conversation, errors (HTTP errors, timeouts and "storing" replies), throughput (replies per
second), the machine's load average before and after, and - when it starts the stack
itself - each process's memory (RSS now and at its peak) and CPU seconds used during the
load (CPU ms per answered turn). All residents come from one
address: with --url, start the web app with WW_CHAT_MESSAGES_PER_MINUTE high enough for
that (the per-address limit is ten times it), or the limit answers 429 (counted as errors).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import ssl
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

MAX_RESIDENTS = 500
MAX_DURATION_S = 900
CONVERSATIONS = [
    ["Hoi", "ik voel me eenzaam", "Bussum", "weet ik niet", "bedankt"],
    ["Hallo", "ik heb schulden en kom niet rond", "Hilversum", "hulp en advies", "doei"],
    ["ik slaap slecht door alle stress", "Hoofddorp", "bewegen", "iets anders", "bedankt"],
    ["ik zorg voor mijn moeder en het wordt me te veel", "Leiden", "weet ik niet", "meer", "doei"],
    ["wat ben jij?", "ik wil graag wandelen", "Naarden", "bedankt", "doei"],
]
# Which turn of each conversation above is its first worry (or wish): the costly turn.
FIRST_WORRY = [1, 1, 0, 0, 1]


def storing_markers() -> tuple[str, ...]:
    """How the relay's "storing" reply begins, read from its own text (bot/channel_messages.yml).
    The fixed words this bench looked for before ("lukt het even niet") were no longer in it
    ("het lukt me nu even niet"), so storing replies at the 8 s deadline counted as answers."""
    from bot.channel_messages import channel_text

    first_sentence = channel_text("relay", "storing").split(".")[0].lower()
    return ("storing", first_sentence)


STORING_MARKERS = storing_markers()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


class Results:
    def __init__(self) -> None:
        self.turns: list[float] = []
        self.first_turns: list[float] = []
        self.worry_turns: list[float] = []
        self.errors: dict[str, int] = {}
        self.loop_lags: list[float] = []  # the benchmark client's own event-loop lag, ms
        self.client_cpu_s = 0.0

    def lag_report(self) -> str:
        lags = self.loop_lags
        return (f"client event-loop lag p50 {percentile(lags, 0.5):.0f} ms  "
                f"p95 {percentile(lags, 0.95):.0f} ms  max {max(lags, default=float('nan')):.0f} ms; "
                f"client CPU {self.client_cpu_s:.1f} s")

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


# One TLS context for every client: httpx builds a new one per AsyncClient otherwise (loading
# certifi's CA bundle: ~38 ms CPU each). A client per conversation (its own cookie) made the
# 200-resident run's client burn ~8 s CPU in its first 15 s and stall its own event loop for
# up to 38 s on a loaded machine: ConnectTimeouts and reply times of the client, not the product.
# The residents talk plain HTTP to 127.0.0.1; the context is never used for a handshake.
TLS = ssl.create_default_context()


async def resident(number: int, base: str, think: tuple[float, float], until: float, results: Results):
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, max(think[1], 1.0)))  # residents do not all start at once
    while time.monotonic() < until:
        choice = rng.randrange(len(CONVERSATIONS))
        conversation = CONVERSATIONS[choice]
        async with httpx.AsyncClient(base_url=base, timeout=30, verify=TLS) as client:
            for turn, text in enumerate(conversation):
                if time.monotonic() >= until:
                    return
                started = time.perf_counter()
                try:
                    reply = await client.post("/api/chat", json={"message": text})
                except httpx.HTTPError as problem:
                    results.error(type(problem).__name__)
                    await asyncio.sleep(rng.uniform(*think))  # a resident waits before trying again
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                if reply.status_code != 200:
                    results.error(f"HTTP {reply.status_code}")
                    await asyncio.sleep(rng.uniform(*think))
                    continue
                shown = " ".join((m.get("text") or "") for m in reply.json().get("messages", [])).lower()
                if any(marker in shown for marker in STORING_MARKERS):
                    results.error("storing reply")
                results.turns.append(elapsed)
                if turn == 0:
                    results.first_turns.append(elapsed)
                if turn == FIRST_WORRY[choice]:
                    results.worry_turns.append(elapsed)
                await asyncio.sleep(rng.uniform(*think))


async def run_load(
    base: str | list[str], residents: int, think: tuple[float, float], duration: float
) -> Results:
    """`base`: one web app, or the web workers of the replicated profile (residents spread over them)."""
    bases = [base] if isinstance(base, str) else list(base)
    results = Results()
    until = time.monotonic() + duration
    cpu_before = time.process_time()
    watcher = asyncio.create_task(watch_loop(results.loop_lags))
    await asyncio.gather(
        *(resident(n, bases[n % len(bases)], think, until, results) for n in range(residents))
    )
    watcher.cancel()
    results.client_cpu_s = time.process_time() - cpu_before
    return results


async def watch_loop(lags: list[float], period: float = 0.05) -> None:
    """How late the client's own event loop wakes up: a late loop adds to every reply time measured."""
    while True:
        started = time.perf_counter()
        await asyncio.sleep(period)
        lags.append(max(0.0, (time.perf_counter() - started - period) * 1000))


def report(results: Results, residents: int, think: tuple[float, float], seconds: float) -> None:
    turns = results.turns
    print(f"residents: {residents}, think time {think[0]:g}-{think[1]:g} s, {seconds:.0f} s")
    print(f"turns answered: {len(turns)}, throughput {len(turns) / seconds:.1f} replies/s")
    print(f"errors: {sum(results.errors.values())} {results.errors or ''}")
    print(
        f"all turns   p50 {percentile(turns, 0.5):.0f} ms  p95 {percentile(turns, 0.95):.0f} ms  "
        f"p99 {percentile(turns, 0.99):.0f} ms  max {max(turns, default=float('nan')):.0f} ms"
    )
    first = results.first_turns
    print(f"first turns p50 {percentile(first, 0.5):.0f} ms  p95 {percentile(first, 0.95):.0f} ms")
    worry = results.worry_turns
    print(f"first worry p50 {percentile(worry, 0.5):.0f} ms  p95 {percentile(worry, 0.95):.0f} ms")
    print(results.lag_report())


def server_buckets(bases: list[str]) -> dict[str, float]:
    """The web workers' own answer times of /api/chat (their /metrics, summed): cumulative
    counts per bucket bound. Against the client's figures this splits a reply's time into the
    worker's part and the rest (the accept queue, the connection, the benchmark client)."""
    counts: dict[str, float] = {}
    for base in bases:
        try:
            text = httpx.get(f"{base}/metrics", timeout=10).text
        except httpx.HTTPError:
            continue
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name != "ww_http_request_duration_seconds_bucket":
                    continue
                if sample.labels.get("route") == "/api/chat":
                    bound = sample.labels["le"]
                    counts[bound] = counts.get(bound, 0.0) + sample.value
    return counts


def report_server(before: dict[str, float], after: dict[str, float]) -> None:
    total = after.get("+Inf", 0.0) - before.get("+Inf", 0.0)
    if not total:
        return
    shares = []
    for bound, count in after.items():
        if bound != "+Inf":
            share = 100 * (count - before.get(bound, 0.0)) / total
            shares.append(f"<= {float(bound) * 1000:.0f} ms {share:.0f} %")
    print(f"web workers' own /api/chat times ({total:.0f} answers): " + ", ".join(shares))


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def process_figures(pid: int) -> dict[str, float]:
    """RSS now and at its peak (MB), and CPU seconds so far, of one process (Linux /proc)."""
    figures = {"rss_mb": float("nan"), "peak_mb": float("nan"), "cpu_s": float("nan")}
    try:
        for line in open(f"/proc/{pid}/status", encoding="ascii"):
            if line.startswith("VmRSS:"):
                figures["rss_mb"] = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                figures["peak_mb"] = int(line.split()[1]) / 1024
        fields = open(f"/proc/{pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
        figures["cpu_s"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        pass
    return figures


def report_processes(processes: dict, before: dict[str, dict], turns: int) -> None:
    total = 0.0
    for name, process in sorted(processes.items()):
        now = process_figures(process.pid)
        cpu = now["cpu_s"] - before[name]["cpu_s"]
        total += now["rss_mb"]
        per_turn = f", {1000 * cpu / turns:.0f} ms CPU per turn" if turns else ""
        print(f"process {name:8s} RSS {now['rss_mb']:6.0f} MB (peak {now['peak_mb']:.0f} MB), "
              f"CPU {cpu:.1f} s during the load{per_turn}")
    print(f"processes together: RSS {total:.0f} MB")


def report_idle(processes: dict, seconds: float) -> None:
    """CPU each process burns with no traffic at all (background work: pollers, threads)."""
    time.sleep(2)  # let the warm-up's last work finish
    before = {name: process_figures(p.pid) for name, p in processes.items()}
    print(f"\n== idle, {seconds:g} s without traffic; load average before: {load_average()}")
    time.sleep(seconds)
    for name, process in sorted(processes.items()):
        cpu = process_figures(process.pid)["cpu_s"] - before[name]["cpu_s"]
        print(f"process {name:8s} idle CPU {cpu:.2f} s in {seconds:g} s ({100 * cpu / seconds:.1f} % of a core)")
    print(f"load average after: {load_average()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--think", default="1", help="seconds between turns: 1 or 5-15")
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--url", help="a running web app on 127.0.0.1 (default: start the stack)")
    parser.add_argument("--runs", nargs="+", metavar="N:THINK:SECONDS",
                        help="several loads one after the other on one stack, e.g. 1:1:30 20:1:60")
    parser.add_argument("--idle", type=float, default=0, metavar="SECONDS",
                        help="first measure each process's CPU with no traffic for this long")
    parser.add_argument("--sender", action="store_true", help="also start the notification sender")
    parser.add_argument("--replicas", type=int, default=1,
                        help="replicated profile (WW_REPLICAS): this many of every process, on PostgreSQL + "
                             "Redis servers started from the machine's packages (tests/support/servers.py)")
    args = parser.parse_args(argv)
    runs = [(int(n), think_range(t), float(d)) for n, t, d in (r.split(":") for r in args.runs or [])]
    if any(not 1 <= n <= MAX_RESIDENTS or not 1 <= d <= MAX_DURATION_S for n, _, d in runs):
        parser.error(f"1-{MAX_RESIDENTS} residents and 1-{MAX_DURATION_S} s only")
    if not 1 <= args.residents <= MAX_RESIDENTS or not 1 <= args.duration <= MAX_DURATION_S:
        parser.error(f"1-{MAX_RESIDENTS} residents and 1-{MAX_DURATION_S} s only")
    think = think_range(args.think)
    if args.url:
        if urlparse(args.url).hostname not in {"127.0.0.1", "localhost"}:
            parser.error("only a web app on 127.0.0.1")
        base = args.url.rstrip("/")
        print(f"load average before: {load_average()}")
        started = time.monotonic()
        results = asyncio.run(run_load(base, args.residents, think, args.duration))
        report(results, args.residents, think, time.monotonic() - started)
        print(f"load average after: {load_average()}")
        return 0
    from contextlib import ExitStack

    from support.stack import running_stack

    # Many residents from one address: lift the per-address limit (ten times the
    # per-conversation one) for the benchmark only, to one message per second per resident:
    # with 1 s think time and fast replies 20 residents ask more than 10/s (HTTP 429 at most * 3).
    runs = runs or [(args.residents, think, args.duration)]
    most = max(n for n, _, _ in runs)
    extra = {"WW_CHAT_MESSAGES_PER_MINUTE": str(min(10_000, max(60, most * 6)))}
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as context:
        if args.replicas > 1:
            from support.replicas import replicated_stack
            from support.servers import postgres_server, redis_server

            postgres, redis = context.enter_context(postgres_server()), context.enter_context(redis_server())
            stack = context.enter_context(replicated_stack(
                Path(workdir), postgres, redis, replicas=min(args.replicas, 4), extra_env=extra,
                with_sender=args.sender,
            ))
            bases = [stack.worker_url(k + 1) for k in range(min(args.replicas, 4))]
        else:
            stack = context.enter_context(running_stack(Path(workdir), extra_env=extra, with_sender=args.sender))
            bases = [stack.web_url]
        # One warm-up conversation per web worker (model and index loaded), not counted.
        asyncio.run(run_load(bases, len(bases), (0.0, 0.0), 3))
        if args.idle:
            report_idle(stack.processes, min(args.idle, MAX_DURATION_S))
        for residents, run_think, duration in runs:
            before = {name: process_figures(p.pid) for name, p in stack.processes.items()}
            print(f"\n== {residents} residents, think {run_think[0]:g}-{run_think[1]:g} s, {duration:g} s")
            print(f"load average before: {load_average()}")
            buckets = server_buckets(bases)
            started = time.monotonic()
            results = asyncio.run(run_load(bases, residents, run_think, duration))
            report(results, residents, run_think, time.monotonic() - started)
            report_server(buckets, server_buckets(bases))
            print(f"load average after: {load_average()}")
            report_processes(stack.processes, before, len(results.turns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
