"""WW_LOG_FORMAT=json: each process's own logging set-up writes one JSON object per line,
with no resident's text, no contact detail and no secret. The web app, the notification
sender, the Telegram bridge, the action server and Rasa are started as real processes
(`python -m ...`, the commands of bot/processes.py) and every line they write is parsed."""
from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from ops_support import RasaStandIn, add_request, add_team, make_settings, web_process
from support.http_standin import free_port

from bot.handoff.db import session_scope
from bot.handoff.models import OutboxMessage
from bot.settings import PROJECT_ROOT

SECRET_KEY = "json-logs-secret-key-0123456789abcdefghij"
SMTP_PASSWORD = "smtp-wachtwoord-XYZ987"
TYPED = "ik maak me zorgen om Pietje Zonnebloem, bel me op 0612345678 of pietje@example.org"
FORBIDDEN = ("Zonnebloem", "0612345678", "pietje@example.org", SECRET_KEY, SMTP_PASSWORD, "zorgen om")
STARTUP = float(os.environ.get("WW_TEST_STARTUP_TIMEOUT", "300"))


def json_lines(text: str) -> list[dict]:
    """Every non-empty line must be one JSON object with the common fields."""
    lines, not_json = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed = json.loads(line)
        except ValueError:
            not_json.append(f"{number}: {line[:200]}")
            continue
        assert isinstance(parsed, dict), line
        assert {"ts", "level", "logger", "process", "pid", "event"} <= parsed.keys(), line
        lines.append(parsed)
    assert not_json == [], "lines that are not JSON:\n" + "\n".join(not_json[:40])
    assert lines, "the process logged nothing"
    return lines


def assert_clean(text: str) -> None:
    for value in FORBIDDEN:
        assert value not in text, f"{value!r} in the log"


def base_env(tmp_path, **extra) -> dict[str, str]:
    return {
        **os.environ,
        "WW_VAR_DIR": str(tmp_path / "var"),
        "WW_SECRET_KEY": SECRET_KEY,
        "WW_SMTP_PASSWORD": SMTP_PASSWORD,
        "WW_LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
        "TF_CPP_MIN_LOG_LEVEL": "3",  # as bot/processes.py sets it: TensorFlow's C++ start-up lines
        "TELEGRAM_BOT_TOKEN": "",
        **extra,
    }


def start(command, env, log_file: Path) -> subprocess.Popen:
    with open(log_file, "wb") as log:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(url: str, process: subprocess.Popen, log_file: Path, timeout: float = STARTUP) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, log_file.read_text()[-3000:]
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{url} did not answer in time"
        time.sleep(0.3)


def test_web_app_logs_json_without_text_or_client_address(tmp_path):
    with RasaStandIn() as rasa, web_process(
        tmp_path, rasa.url, WW_LOG_FORMAT="json", LOG_LEVEL="DEBUG", WW_SECRET_KEY=SECRET_KEY
    ) as (base, log_file):
        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.post("/api/chat", json={"message": TYPED}).status_code == 200
            client.get("/mijn-aanvraag?code=WW-GEHEIM")
    text = log_file.read_text()
    lines = json_lines(text)
    assert_clean(text)
    access = [line for line in lines if line["event"] == "http_request"]
    assert {"method": "POST", "path": "/api/chat", "status": 200}.items() <= next(
        line for line in access if line["path"] == "/api/chat").items()
    assert "WW-GEHEIM" not in text  # query strings are left out
    assert "127.0.0.1:" not in json.dumps(access)  # no client address
    assert {line["process"] for line in lines} == {"bot.web"}


def test_sender_logs_json_and_exceptions_without_their_message(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)  # no e-mail address: the delivery fails and is logged
    request_id, _ = add_request(settings, team, name="Pietje Zonnebloem", contact="0612345678")
    with session_scope(settings.database_url) as session:
        session.add(OutboxMessage(request_id=request_id, channel="email", kind="nieuw", payload={}))
    log_file = tmp_path / "sender.log"
    env = base_env(tmp_path, WW_DATABASE_URL=settings.database_url,
                   WW_FERNET_KEYS=",".join(settings.fernet_keys), WW_SENDER_POLL_SECONDS="0.2")
    process = start([sys.executable, "-m", "bot.handoff.sender"], env, log_file)
    try:
        deadline = time.monotonic() + 60
        while "attempt failed" not in log_file.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_file.read_text()
            time.sleep(0.2)
    finally:
        stop(process)
    text = log_file.read_text()
    lines = json_lines(text)
    assert_clean(text)
    assert any("attempt failed" in line["event"] for line in lines)
    assert any(line["event"].startswith("sender ") and line["event"].endswith("stopped") for line in lines)
    assert {line["process"] for line in lines} == {"bot.handoff.sender"}


def test_telegram_bridge_logs_json(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot.telegram"], cwd=PROJECT_ROOT, env=base_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2  # no token: it says so and stops
    lines = json_lines(result.stdout + result.stderr)
    assert any(line["level"] == "ERROR" and "TELEGRAM_BOT_TOKEN" in line["event"] for line in lines)


def _webhook_body(action: str) -> dict:
    return {
        "next_action": action,
        "sender_id": "json-logs",
        "tracker": {
            "sender_id": "json-logs", "slots": {}, "latest_message": {"text": TYPED, "intent": {}},
            "events": [{"event": "user", "text": TYPED}], "paused": False, "followup_action": None,
            "active_loop": {}, "latest_action_name": None,
        },
        "domain": {"version": "3.1", "intents": [], "entities": [], "slots": {}, "responses": {},
                   "actions": [action], "forms": {}},
        "version": "3.6.2",
    }


@pytest.mark.slow
def test_action_server_logs_json(tmp_path):
    port = free_port()
    log_file = tmp_path / "actions.log"
    env = base_env(tmp_path, SANIC_HOST="127.0.0.1")
    process = start([sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", str(port)],
                    env, log_file)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, log_file)
        missing = httpx.post(f"http://127.0.0.1:{port}/webhook", json=_webhook_body("action_bestaat_niet"),
                             timeout=30)
        assert missing.status_code == 404  # logged by rasa_sdk: no such action
    finally:
        stop(process)
    text = log_file.read_text()
    lines = json_lines(text)
    assert_clean(text)
    assert any("action_bestaat_niet" in line["event"] for line in lines)
    assert {line["process"] for line in lines} == {"bot.action_server"}


def _newest_model() -> Path | None:
    models = sorted(glob.glob(str(PROJECT_ROOT / "var" / "models" / "*.tar.gz")), key=os.path.getmtime)
    return Path(models[-1]) if models else None


@pytest.mark.slow
@pytest.mark.e2e
def test_rasa_server_logs_json_without_the_typed_text(tmp_path):
    model = _newest_model()
    if model is None:
        pytest.skip("no trained model in var/models (make test trains one)")
    port = free_port()
    log_file = tmp_path / "rasa.log"
    # The action server is down: the session start fails and is logged (with the storing marker).
    env = base_env(tmp_path, WW_ACTION_SERVER_URL=f"http://127.0.0.1:{free_port()}",
                   WW_TRACKER_DB=str(tmp_path / "tracker.db"), LOG_LEVEL="INFO")
    command = [sys.executable, "-m", "bot.rasa_server", "run", "--model", str(model),
               "--interface", "127.0.0.1",
               "--port", str(port), "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
               "--credentials", str(PROJECT_ROOT / "credentials.yml")]
    process = start(command, env, log_file)
    try:
        wait_for(f"http://127.0.0.1:{port}/", process, log_file)
        httpx.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                   json={"sender": "json-logs", "message": TYPED}, timeout=60)
    finally:
        stop(process)
    text = log_file.read_text()
    lines = json_lines(text)
    assert_clean(text)
    assert {line["process"] for line in lines} == {"bot.rasa_server"}
    assert any(line["logger"].startswith("rasa") for line in lines)
