"""Start the real assistant (action server, Rasa, web app) on free ports.

Used by end-to-end tests. Each stack gets its own database, tracker store, var
directory and log files under `workdir`, and is torn down on exit. The
commands are the ones `make run` uses (bot.processes), with the trained model
from bot.training.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.processes import ProcessSpec, process_env, process_specs
from bot.settings import PROJECT_ROOT, Settings
from bot.training import ensure_model
from support.http_standin import free_port

STARTUP_TIMEOUT_S = float(os.environ.get("WW_TEST_STARTUP_TIMEOUT", "240"))


@dataclass
class Stack:
    settings: Settings
    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def web_url(self) -> str:
        return self.settings.public_url

    @property
    def rasa_url(self) -> str:
        return self.settings.rasa_url

    @property
    def tracker_db(self) -> Path:
        return self.settings.tracker_db

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))

    def start(self, spec: ProcessSpec, extra_env: dict[str, str] | None = None) -> None:
        """Start one process of bot.processes with the stack's environment (plus
        `extra_env`), logging into `log_dir/<name>.log` (part of `log_text()`)."""
        with open(self.log_dir / f"{spec.name}.log", "ab") as log:
            self.processes[spec.name] = subprocess.Popen(
                spec.command, cwd=PROJECT_ROOT, env={**self.env, **spec.env, **(extra_env or {})}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )

    def stop(self, name: str) -> None:
        _terminate(self.processes.pop(name))

    def rasa_say(self, sender: str, text: str) -> list[dict]:
        """Talk to Rasa's REST channel directly (bypassing the web app)."""
        reply = httpx.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        )
        reply.raise_for_status()
        return reply.json()


class ChatClient:
    """A resident in the web chat: keeps the server-issued conversation cookie."""

    def __init__(self, stack: Stack):
        self.http = httpx.Client(base_url=stack.web_url, timeout=60)

    def say(self, text: str) -> list[dict]:
        reply = self.http.post("/api/chat", json={"message": text})
        reply.raise_for_status()
        return reply.json()["messages"]

    def click(self, payload: str) -> list[dict]:
        """Press a button: the web chat sends its payload as the message."""
        return self.say(payload)

    def close(self) -> None:
        self.http.close()


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def _terminate(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_until_up(stack: Stack, name: str, url: str, deadline: float) -> None:
    process = stack.processes[name]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped during start-up:\n{stack.log_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{name} not up after {STARTUP_TIMEOUT_S:.0f} s:\n{stack.log_text()[-4000:]}")


def make_settings(workdir: Path, extra_env: dict[str, str] | None = None) -> tuple[Settings, dict]:
    var_dir = workdir / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    env_overrides = {
        "WW_VAR_DIR": str(var_dir),
        "WW_DATABASE_URL": f"sqlite:///{workdir / 'welzijnswijzer.db'}",
        "WW_TRACKER_DB": str(workdir / "rasa_tracker.db"),
        "WW_RASA_URL": f"http://127.0.0.1:{free_port()}",
        "WW_ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
        "WW_WEB_HOST": "127.0.0.1",
        "WW_WEB_PORT": str(free_port()),
        "WW_PUBLIC_URL": "",
        "TELEGRAM_BOT_TOKEN": "",
        **(extra_env or {}),
    }
    saved = {key: os.environ.get(key) for key in env_overrides}
    os.environ.update(env_overrides)
    try:
        settings = Settings.from_env()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return settings, env_overrides


def setup_database(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "setup-db"], cwd=PROJECT_ROOT, env=env, check=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


@contextmanager
def running_stack(
    workdir: Path,
    *,
    log_level: str = "INFO",
    extra_env: dict[str, str] | None = None,
    with_sender: bool = False,
):
    """Start actions + Rasa + web app (and optionally the notification sender)."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings, overrides = make_settings(workdir, extra_env)
    env = {**process_env(settings, log_level), **overrides}
    log_dir = workdir / "logs"
    log_dir.mkdir(exist_ok=True)
    setup_database(env)
    stack = Stack(settings=settings, env=env, log_dir=log_dir)
    wanted = {"actions", "rasa", "web"} | ({"sender"} if with_sender else set())
    specs = [spec for spec in process_specs(settings, ensure_model(), log_level) if spec.name in wanted]
    try:
        for spec in specs:
            stack.start(spec)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        for spec in specs:
            if spec.health_url:
                _wait_until_up(stack, spec.name, spec.health_url, deadline)
        yield stack
    finally:
        for process in stack.processes.values():
            _terminate(process)
