"""Train the Rasa model only when what it is trained from changed.

The model is named after a hash of `data/`, `domain.yml` and `config.yml`, so
`make run` and `make test` reuse a model trained from the same content. A file
lock keeps two processes from training at the same time on a 2-core machine.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT

TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


def training_hash(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def models_dir(root: Path = PROJECT_ROOT, models: Path | None = None) -> Path:
    """`models` (Settings.models_dir, WW_MODELS_DIR) or var/models under `root`."""
    return Path(models) if models else root / "var" / "models"


def current_model(root: Path = PROJECT_ROOT, models: Path | None = None) -> Path:
    return models_dir(root, models) / f"{training_hash(root)}.tar.gz"


def ensure_model(root: Path = PROJECT_ROOT, models: Path | None = None) -> Path:
    target = current_model(root, models)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():  # trained by another process while we waited
            return target
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
        started = time.monotonic()
        subprocess.run(
            [
                str(Path(sys.executable).parent / "rasa"), "train",
                "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
                "--out", str(target.parent), "--fixed-model-name", target.name.removesuffix(".tar.gz"),
                "--quiet",
            ],
            cwd=root, env=env, check=True,
        )
        print(f"Training took {time.monotonic() - started:.0f} s", flush=True)
    return target


def main() -> int:
    from bot.settings import Settings

    model = ensure_model(models=Settings.from_env().models_dir)
    print(f"Rasa-model: {model.relative_to(PROJECT_ROOT) if model.is_relative_to(PROJECT_ROOT) else model}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
