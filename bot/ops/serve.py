"""`python -m bot.ops.serve rasa|actions|web|sender|telegram`: run ONE process of the
assistant in the foreground, as a container or a systemd unit does.

The command and its environment come from bot/processes.py, the same source as
`make run` and the test harness, so the deployment files (deploy/) cannot drift from
them. The process replaces this one (`exec`): signals go straight to it. A container
is one replica: scale with the orchestrator (WW_REPLICAS is the one-machine profile
and must stay 1 here). Rasa needs the trained model of this code
(`python -m bot.training` at image build, into WW_MODELS_DIR); it is never trained
at start-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

KINDS = ("rasa", "actions", "web", "sender", "telegram")


def spec_for(kind: str, settings, model: Path):
    from bot.processes import process_specs

    specs = {spec.name: spec for spec in process_specs(settings, model)}
    if kind == "telegram" and kind not in specs:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set: there is no Telegram bridge to start")
    return specs[kind]


def main(argv: list[str] | None = None) -> int:
    from bot.processes import process_env
    from bot.settings import Settings
    from bot.training import current_model

    parser = argparse.ArgumentParser(prog="python -m bot.ops.serve", description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--model", type=Path, help="trained model (default: the one of this code)")
    parser.add_argument("--dry-run", action="store_true", help="print the command instead of running it")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if settings.replicas != 1:
        raise SystemExit("WW_REPLICAS must be 1 in a container: run more containers instead")
    model = (args.model or current_model(models=settings.models_dir)).resolve()
    if args.kind == "rasa" and not model.is_file():
        raise SystemExit(f"no trained model at {model}: build the image with `python -m bot.training`")
    spec = spec_for(args.kind, settings, model)
    env = {**process_env(settings, settings.log_level), **spec.env}
    if args.dry_run:
        print(" ".join(spec.command))
        return 0
    sys.stdout.flush()
    os.execvpe(spec.command[0], spec.command, env)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
