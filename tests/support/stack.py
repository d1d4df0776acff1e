"""Start the real assistant (action server, Rasa, web app) on free ports.

Used by end-to-end tests. Each stack gets its own database, tracker store, var
directory and log files under `workdir`, and is torn down on exit. The
commands are the ones `make run` uses (bot.processes), with the trained model
from bot.training.

Back end (`WW_TEST_BACKEND`): `sqlite` (the default: SQLite files under `workdir`,
web state in memory) or `postgres` (every stack gets fresh PostgreSQL databases for
our data and for Rasa's tracker store, and its own Redis database for the lock
store and the web state, on the session's real servers from support.servers).
`make test` runs the end-to-end tests once on each (tests/conftest.py: `stack_backend`).
"""
from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import ssl
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

STARTUP_TIMEOUT_S = float(os.environ.get("WW_TEST_STARTUP_TIMEOUT", "600"))
# One TLS context for the test clients: httpx builds one per new client otherwise, loading
# certifi's CA bundle (about 40 ms CPU), which was half the cost of a message in the crisis
# tables through the stack.
TLS = ssl.create_default_context()
BACKENDS = ("sqlite", "postgres")


def stack_model() -> Path:
    """The trained model the stacks run: `WW_TEST_MODEL` (an already trained model, to skip a
    retrain while data/ changes) or the current one (bot.training, trained when missing)."""
    return Path(os.environ["WW_TEST_MODEL"]) if os.environ.get("WW_TEST_MODEL") else ensure_model()


def chosen_backend() -> str:
    """The back end the end-to-end stacks of this run use (`WW_TEST_BACKEND`, default sqlite)."""
    backend = os.environ.get("WW_TEST_BACKEND", "").strip().lower() or "sqlite"
    if backend not in BACKENDS:
        raise ValueError(f"WW_TEST_BACKEND={backend!r}: use one of {', '.join(BACKENDS)}")
    return backend


@dataclass
class StackBackend:
    """Where the stacks of a test run keep their state. `sqlite`: files under each
    stack's workdir (nothing to add). `postgres`: for every new stack two fresh
    databases on `postgres` (support.servers.PostgresServer) and one Redis database
    number of `redis` (support.servers.RedisServer), so stacks never share state."""

    name: str = "sqlite"
    postgres: object | None = None
    redis: object | None = None
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def stack_env(self) -> dict[str, str]:
        if self.name == "sqlite":
            return {}
        number = next(self._numbers)
        return {
            "WW_DATABASE_URL": self.postgres.create_database(f"ww{number}"),
            "WW_TRACKER_STORE_URL": self.postgres.create_database(f"rasa{number}"),
            # Redis has databases 0-15; 0 stays for the tests that take `redis_url`.
            "WW_REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/{1 + (number - 1) % 15}",
        }


@dataclass
class Stack:
    settings: Settings
    env: dict[str, str]
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    log_level: str = "INFO"
    # Shared by the tests' threads (httpx: "It can be shared between threads"); kept alive.
    rasa_http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60, verify=TLS))

    @property
    def web_url(self) -> str:
        return self.settings.public_url

    @property
    def rasa_url(self) -> str:
        return self.settings.rasa_url

    @property
    def tracker_db(self) -> Path:
        return self.settings.tracker_db

    @property
    def backend(self) -> str:
        return "postgres" if self.settings.tracker_store_url else "sqlite"

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.log_dir.glob("*.log")))

    def tracker_rows(self, sql: str = "SELECT * FROM events") -> list[tuple]:
        """Rows of Rasa's tracker store, on SQLite or PostgreSQL alike."""
        if self.settings.tracker_store_url:
            from sqlalchemy import create_engine, text

            engine = create_engine(self.settings.tracker_store_url, future=True)
            try:
                with engine.connect() as connection:
                    return [tuple(row) for row in connection.execute(text(sql))]
            finally:
                engine.dispose()
        with sqlite3.connect(self.tracker_db) as connection:
            return list(connection.execute(sql))

    def tracker_conversation_count(self) -> int:
        return self.tracker_rows("SELECT COUNT(DISTINCT sender_id) FROM events")[0][0]

    def tracker_file_bytes(self) -> bytes | None:
        """The bytes of the SQLite tracker store file; None on PostgreSQL (no file of its own)."""
        return None if self.settings.tracker_store_url else self.tracker_db.read_bytes()

    def restart(self, name: str) -> None:
        """Start process `name` of bot.processes again (after `stop`) and wait until it answers."""
        [spec] = [s for s in process_specs(self.settings, stack_model(), self.log_level) if s.name == name]
        self.start(spec)
        if spec.health_url:
            _wait_until_up(self, spec.name, spec.health_url, time.monotonic() + STARTUP_TIMEOUT_S)

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
        reply = self.rasa_http.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
        )
        reply.raise_for_status()
        return reply.json()


class ChatClient:
    """A resident in the web chat: keeps the server-issued conversation cookie."""

    def __init__(self, stack: Stack):
        self.http = httpx.Client(base_url=stack.web_url, timeout=60, verify=TLS)

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
    terminate_all([process])


def terminate_all(processes) -> None:
    """SIGTERM to every process group at once, then wait (SIGKILL after 15 s): the processes
    shut down side by side, not one after the other (a stack's teardown took their sum)."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 15
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def _wait_until_up(stack: Stack, name: str, url: str, deadline: float) -> None:
    process = stack.processes[name]
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped during start-up:\n{stack.log_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2, verify=TLS).status_code < 500:
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
    backend: StackBackend | None = None,
):
    """Start actions + Rasa + web app (and optionally the notification sender), on
    `backend` (default: SQLite files under `workdir`)."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings, overrides = make_settings(workdir, {**(backend or StackBackend()).stack_env(), **(extra_env or {})})
    env = {**process_env(settings, log_level), **overrides}
    log_dir = workdir / "logs"
    log_dir.mkdir(exist_ok=True)
    stack = Stack(settings=settings, env=env, log_dir=log_dir, log_level=log_level)
    wanted = {"actions", "rasa", "web"} | ({"sender"} if with_sender else set())
    specs = [spec for spec in process_specs(settings, stack_model(), log_level) if spec.name in wanted]
    try:
        # Rasa (loading its model) takes longest to start and does not use our database:
        # it starts first, and the database is set up (migrations, demo catalogue) meanwhile.
        for spec in specs:
            if spec.name == "rasa":
                stack.start(spec)
        setup_database(env)
        for spec in specs:
            if spec.name != "rasa":
                stack.start(spec)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        for spec in specs:
            if spec.health_url:
                _wait_until_up(stack, spec.name, spec.health_url, deadline)
        yield stack
    finally:
        stack.rasa_http.close()
        terminate_all(stack.processes.values())
