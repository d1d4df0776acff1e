"""`python -m bot.web` as its own process: honours WW_WEB_HOST/PORT and WW_RASA_URL,
and never writes what a resident typed to its logs, not even at DEBUG."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
from channel_standins import RasaStandIn, free_port, migrated_database

from bot.settings import PROJECT_ROOT

SECRET_TEXT = "mijn naam is Jolanda Geheim en mijn nummer is 0612345678"


def test_web_process_serves_chat_and_keeps_texts_out_of_logs(tmp_path):
    port = free_port()
    with RasaStandIn() as rasa:
        env = {
            **os.environ,
            "WW_VAR_DIR": str(tmp_path / "var"),
            "WW_DATABASE_URL": migrated_database(tmp_path),
            "WW_RASA_URL": rasa.url,
            "WW_ACTION_SERVER_URL": rasa.url,
            "WW_WEB_HOST": "127.0.0.1",
            "WW_WEB_PORT": str(port),
            "LOG_LEVEL": "DEBUG",
        }
        log_file = tmp_path / "web.log"
        with open(log_file, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "bot.web"], cwd=PROJECT_ROOT, env=env,
                                       stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log_file.read_text()
                try:
                    health = httpx.get(f"{base}/health", timeout=2)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, log_file.read_text()
                    time.sleep(0.2)
            assert health.status_code == 200 and health.json()["rasa"] is True
            with httpx.Client(base_url=base, timeout=10) as client:
                reply = client.post("/api/chat", json={"message": SECRET_TEXT})
            assert reply.json()["messages"][0]["text"] == f"echo: {SECRET_TEXT}"
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
    logs = log_file.read_text()
    assert "POST /api/chat" in logs  # the log is really there
    assert "Jolanda" not in logs and "0612345678" not in logs
