"""`make run`: start every process of the assistant and say where to chat.

The processes run under bot.supervisor: one that crashes is started again with
backoff (and logged), so the web chat keeps answering. Ctrl-C (SIGINT) or SIGTERM
stops all of them.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import httpx

from bot.processes import process_env, process_specs
from bot.settings import PROJECT_ROOT, Settings
from bot.supervisor import Supervisor
from bot.training import ensure_model


def _announce_when_ready(settings: Settings, specs, stop: threading.Event) -> None:
    pending = {spec.name: spec.health_url for spec in specs if spec.health_url}
    started = time.monotonic()
    while pending and not stop.wait(1.0):
        for name, url in list(pending.items()):
            try:
                if httpx.get(url, timeout=1.0).status_code < 500:
                    pending.pop(name)
            except httpx.HTTPError:
                pass
    if not pending:
        seconds = time.monotonic() - started
        print(
            f"\n  Welzijnswijzer is klaar ({seconds:.0f} s). Open de chat op {settings.public_url}/\n"
            f"  Coach-inbox: {settings.public_url}/coach/   Stoppen: Ctrl-C\n",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.run", description="start the assistant")
    parser.add_argument("--model", type=Path, help="this trained model (default: train if needed)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    model = args.model.resolve() if args.model else ensure_model(models=settings.models_dir)
    env = process_env(settings)
    specs = process_specs(settings, model)
    supervisor = Supervisor(specs, env, str(PROJECT_ROOT))
    stop = threading.Event()
    threading.Thread(target=_announce_when_ready, args=(settings, specs, stop), daemon=True).start()
    try:
        return supervisor.run()
    finally:
        stop.set()


if __name__ == "__main__":
    sys.exit(main())
