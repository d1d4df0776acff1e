"""What the web channel itself costs per message: `python -m bot.web` (chat API,
cookie, relay, contact intake on SQLite) against the local Rasa stand-in that
answers at once. Prints median / p95 / max over N sequential messages.

    .venv/bin/python bench/channel_overhead.py [N]
"""
from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "web"))
from channel_standins import RasaStandIn, free_port, migrated_database  # noqa: E402


def main(count: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ww-bench-"))
    port = free_port()
    with RasaStandIn() as rasa:
        env = {**os.environ, "WW_VAR_DIR": str(tmp / "var"), "WW_DATABASE_URL": migrated_database(tmp),
               "WW_RASA_URL": rasa.url, "WW_ACTION_SERVER_URL": rasa.url, "WW_WEB_HOST": "127.0.0.1",
               "WW_WEB_PORT": str(port), "LOG_LEVEL": "WARNING"}
        process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=ROOT, env=env,
                                   start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    httpx.get(f"{base}/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            timings = []
            with httpx.Client(base_url=base, timeout=30) as client:
                for index in range(count):
                    started = time.perf_counter()
                    response = client.post("/api/chat", json={"message": f"bericht {index}"})
                    timings.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
    timings.sort()
    print(f"web channel overhead, {count} sequential messages (Rasa stand-in answers at once): "
          f"median {statistics.median(timings):.1f} ms, p95 {timings[int(len(timings) * 0.95)]:.1f} ms, "
          f"max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
