"""A stand-in for Rasa's REST channel and the action server's /health, for the
channel tests only (the end-to-end tests use the real Rasa). Real HTTP servers
on 127.0.0.1 and free ports, in a background thread."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import httpx
from support.http_standin import LocalHttpServer, QuietHandler, free_port


def unused_url() -> str:
    """A URL where nothing listens (a service that is down)."""
    return f"http://127.0.0.1:{free_port()}"


class RasaStandIn(LocalHttpServer):
    """POST /webhooks/rest/webhook records (sender, message) and answers with
    `reply(sender, message)`; GET / says hello like Rasa; GET /health is the
    action server's health check."""

    def __init__(self, reply=None):
        self.received: list[tuple[str, str]] = []
        self.raw_bodies: list[bytes] = []
        self.reply = reply or (lambda sender, message: [{"recipient_id": sender, "text": f"echo: {message}"}])
        self.status = 200
        stand_in = self

        class Handler(QuietHandler):
            def do_GET(self):
                if self.path == "/":
                    return self.send_body(200, b"Hello from Rasa: 3.6.21", "text/plain")
                if self.path == "/health":
                    return self.send_body(200, b'{"status": "ok"}', "application/json")
                self.send_body(404, b"not found", "text/plain")

            def do_POST(self):
                raw = self.read_body()
                if self.path != "/webhooks/rest/webhook":
                    return self.send_body(404, b"not found", "text/plain")
                stand_in.raw_bodies.append(raw)
                body = json.loads(raw)
                stand_in.received.append((body["sender"], body["message"]))
                if stand_in.status != 200:
                    return self.send_body(stand_in.status, b'{"error": "boom"}', "application/json")
                replies = stand_in.reply(body["sender"], body["message"])
                self.send_body(200, json.dumps(replies).encode(), "application/json")

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return self.root_url


@lru_cache(maxsize=1)
def _migrated_template() -> Path:
    from bot.handoff.db import migrate

    path = Path(tempfile.mkdtemp(prefix="ww-channels-")) / "template.db"
    migrate(f"sqlite:///{path}")
    return path


def migrated_database(tmp_path) -> str:
    """A real SQLite file with the hand-off tables (the contact intake needs them)."""
    path = tmp_path / "welzijnswijzer.db"
    shutil.copyfile(_migrated_template(), path)
    return f"sqlite:///{path}"


def channel_settings(monkeypatch, tmp_path, rasa_url: str, action_server_url: str | None = None, **env):
    """Settings.from_env() for a test: own var dir and migrated database, given service URLs."""
    from bot.settings import Settings

    values = {
        "WW_VAR_DIR": str(tmp_path / "var"),
        "WW_DATABASE_URL": migrated_database(tmp_path),
        "WW_RASA_URL": rasa_url,
        "WW_ACTION_SERVER_URL": action_server_url or unused_url(),
        "WW_SECRET_KEY": "test-secret-for-channels",
        "TELEGRAM_BOT_TOKEN": "",
        "WW_TELEGRAM_WEBHOOK_URL": "",
        **env,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env()


@contextmanager
def web_process(tmp_path, rasa_url: str, action_server_url: str | None = None, **env):
    """`python -m bot.web` on a free port; yields (base URL, log file)."""
    from bot.settings import PROJECT_ROOT

    port = free_port()
    values = {
        **os.environ,
        "WW_VAR_DIR": str(tmp_path / "var"),
        "WW_DATABASE_URL": migrated_database(tmp_path),
        "WW_RASA_URL": rasa_url,
        "WW_ACTION_SERVER_URL": action_server_url or rasa_url,
        "WW_WEB_HOST": "127.0.0.1",
        "WW_WEB_PORT": str(port),
        **env,
    }
    log_file = tmp_path / "web.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=PROJECT_ROOT, env=values,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_file.read_text()
            try:
                httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log_file.read_text()
                time.sleep(0.2)
        yield base, log_file
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
