"""Benchmark of the read-only HSDS API: a page of /api/hsds/services on 100,000 entries.

Imports the seeded synthetic catalogue of bench/sociale_kaart_bench.py into a temporary
SQLite file, serves the real web app with uvicorn on 127.0.0.1, and times GET requests
over HTTP (random pages of 50; also with taxonomy_term_id, search and modified_after).
First right after the start, while the server serialises every published service in the
background (hsds_feed's warm-up, once per catalogue version); then, once that is done,
the measured run. Target: p95 <= 100 ms for a page of /services (the measured run).
Exits non-zero when it is missed. Prints the machine's load average: on a shared machine
wall time is mostly waiting for a core, so the CPU time per request is printed too.

    .venv/bin/python bench/hsds_api_bench.py [--activities 100000] [--requests 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from sociale_kaart_bench import percentiles, synthetic_catalogue  # noqa: E402

from sociale_kaart.db import make_engine, migrate  # noqa: E402
from sociale_kaart.export_hsds import term_id  # noqa: E402
from sociale_kaart.importer import import_records  # noqa: E402

TARGET_P95_MS = 100.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(folder: Path, url: str):
    os.environ.update(
        WW_VAR_DIR=str(folder / "var"),
        WW_DATABASE_URL=url,
        WW_SECRET_KEY="bench-secret",
        TELEGRAM_BOT_TOKEN="",
        WW_TELEGRAM_WEBHOOK_URL="",
    )
    from bot.settings import Settings
    from bot.web.app import create_app

    port = _free_port()
    app = create_app(Settings.from_env())
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}/api/hsds", app


def _time(client: httpx.Client, path: str, params_list: list[dict]) -> tuple[dict, int, dict]:
    """Wall time per request, and CPU time of this process (server and client) per request."""
    samples, cpu, total = [], [], 0
    for params in params_list:
        start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get(path, params=params)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
        response.raise_for_status()
        total = response.json()["total_items"]
    return percentiles(samples), total, percentiles(cpu)


def _rss_mb() -> float:
    """The resident memory of this process now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _feed_of(app):
    """The HsdsFeed of the web app's /api/hsds mount (the server runs in this process)."""
    mount = next(route for route in app.routes if getattr(route, "path", "") == "/api/hsds")
    return mount.app.state.feed


def _wait_for_warm_up(app, published: int, limit: float = 900.0) -> float:
    """Wait until the server's background warm-up has serialised every published service."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        feed = _feed_of(app)
        if feed is not None and feed.serialised_services() >= published:
            break
        time.sleep(0.5)
    return time.perf_counter() - start


def _line(figures: dict) -> str:
    return ", ".join(f"{k} {v:.1f} ms" for k, v in figures.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database", type=Path, help="keep the SQLite file here (and reuse it when it exists)"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        database = args.database.resolve() if args.database else folder / "bench.db"
        url = f"sqlite:///{database}"
        if not database.exists():
            migrate(url)
            start = time.perf_counter()
            document = synthetic_catalogue(args.activities, args.seed)
            report = import_records(make_engine(url), document, source="bench")
            if not report.ok:
                print("import mislukt:", [str(p) for p in report.problems[:5]])
                return 2
            print(f"catalogus: {report.added} activiteiten in {time.perf_counter() - start:.1f} s")
        server, thread, base, app = _serve(folder, url)
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                client.get("/services")  # the first request: engine, id list, starts the warm-up
                before_mb = _rss_mb()
                pages = args.activities // 50
                cold = [{"page": rng.randint(1, pages), "per_page": 50} for _ in range(args.requests // 3)]
                cold_figures, published, cold_cpu = _time(client, "/services", cold)
                print(
                    "GET /services direct na de start (de server zet intussen alle diensten klaar als JSON): "
                    + _line(cold_figures)
                    + f" (CPU p95 {cold_cpu['p95']:.1f} ms, met die van het klaarzetten)"
                )
                waited = _wait_for_warm_up(app, published)
                print(
                    f"  alles klaargezet na {waited:.0f} s; geheugen van het proces (server en client): "
                    f"{before_mb:.0f} MB na de eerste vraag, {_rss_mb():.0f} MB klaargezet"
                )
                plain = [{"page": rng.randint(1, pages), "per_page": 50} for _ in range(args.requests)]
                load_before = os.getloadavg()[0]
                figures, total, cpu = _time(client, "/services", plain)
                print(
                    f"GET /services, willekeurige pagina van 50 ({args.requests}x, {total} gepubliceerd): "
                    + _line(figures)
                )
                print(f"  rekentijd (CPU van server en client samen): {_line(cpu)}")
                themed = [
                    {"taxonomy_term_id": term_id("thema", "eenzaamheid"), "page": rng.randint(1, 100)}
                    for _ in range(args.requests // 3)
                ]
                searched = [
                    {"search": rng.choice(["wandel", "koffie", "geld", "tuin"]), "page": rng.randint(1, 20)}
                    for _ in range(args.requests // 3)
                ]
                since = [
                    {"modified_after": "2000-01-01T00:00:00Z", "page": rng.randint(1, 100)}
                    for _ in range(args.requests // 3)
                ]
                for name, params in (
                    ("taxonomy_term_id", themed),
                    ("search", searched),
                    ("modified_after", since),
                ):
                    other, _, other_cpu = _time(client, "/services", params)
                    print(f"  met {name}: {_line(other)} (CPU p95 {other_cpu['p95']:.1f} ms)")
                print(
                    f"belasting van de machine {load_before:.1f} -> {os.getloadavg()[0]:.1f}"
                    f" op {os.cpu_count()} kernen"
                )
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    if figures["p95"] > TARGET_P95_MS:
        print(f"DOEL GEMIST: p95 {figures['p95']:.1f} ms > {TARGET_P95_MS} ms")
        return 1
    print(f"doel gehaald: p95 {figures['p95']:.1f} ms <= {TARGET_P95_MS} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
