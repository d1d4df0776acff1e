"""No secret in any log: every process's logging set-up (bot.logging_setup), at DEBUG.

Real processes make the requests that used to log secrets: the sender delivers
to a Bot API stand-in (httpx logged the URL with the bot token at INFO) and
logs in to an aiosmtpd relay with a password; the Telegram bridge polls the
Bot API; the web app and the action server answer real requests. Their logs
are then searched for the token (also its secret half and URL-encoded), the
SMTP password, the secret key and the Fernet key: 0 hits. The record factory
itself is tested as defence in depth: a secret logged on purpose, in a message,
its arguments or an exception, is written as "[geheim]".
"""
from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import httpx
import pytest
from cryptography.fernet import Fernet
from handoff.coach_testdata import add_request, add_team, make_settings
from handoff.handoff_standins import BotApiStandIn as SenderBotApi
from handoff.handoff_standins import SmtpStandIn
from support.http_standin import free_port
from telegram_botapi_standin import BotApiStandIn as BridgeBotApi
from web.channel_standins import RasaStandIn, migrated_database, web_process

from bot import logging_setup
from bot.handoff.db import session_scope
from bot.handoff.models import OutboxMessage, utcnow
from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

TOKEN = "5550123:AAH-geheim-bot-token-XYZ"
SMTP_USER = "welzijn-mailer"
SMTP_PASSWORD = "smtp-Wachtwoord-9731"
SECRET_KEY = "geheime-sleutel-van-de-server-4242"
FERNET_KEY = Fernet.generate_key().decode()
SECRETS = [TOKEN, TOKEN.partition(":")[2], quote(TOKEN, safe=""), SMTP_PASSWORD, SECRET_KEY, FERNET_KEY]


def _env(tmp_path, **extra) -> dict[str, str]:
    return {**os.environ, "LOG_LEVEL": "DEBUG", "PYTHONUNBUFFERED": "1", "RASA_TELEMETRY_ENABLED": "false",
            "WW_VAR_DIR": str(tmp_path / "var"), "WW_SECRET_KEY": SECRET_KEY, "WW_FERNET_KEYS": FERNET_KEY,
            "TELEGRAM_BOT_TOKEN": TOKEN, "WW_SMTP_USER": SMTP_USER, "WW_SMTP_PASSWORD": SMTP_PASSWORD,
            **extra}


def _hits(logs: str) -> list[str]:
    return [secret for secret in SECRETS if secret in logs]


def _wait_until(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _start(command: list[str], env: dict, log_file):
    with open(log_file, "wb") as log:
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _stop(process) -> int:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait(timeout=5)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_sender_delivering_by_telegram_and_smtp_login_logs_no_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_FERNET_KEYS", FERNET_KEY)
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings, email="coaches@example.org", telegram="-100555")
    for channel in ("telegram", "email", "telegram"):
        request_id, _ref = add_request(settings, team)
        with session_scope(settings.database_url) as db:
            db.add(OutboxMessage(request_id=request_id, channel=channel, payload={},
                                 next_attempt_at=utcnow()))
    log_file = tmp_path / "sender.log"
    with SenderBotApi(TOKEN) as botapi, SmtpStandIn(login=(SMTP_USER, SMTP_PASSWORD)) as smtp:
        botapi.fail = 1  # one failed attempt: the error path logs too
        env = _env(tmp_path, WW_DATABASE_URL=settings.database_url, WW_FERNET_KEYS=FERNET_KEY,
                   WW_TELEGRAM_API_BASE_URL=botapi.base_url, WW_SMTP_HOST="127.0.0.1",
                   WW_SMTP_PORT=str(smtp.port), WW_SENDER_POLL_SECONDS="0.2", WW_SENDER_PURGE="false",
                   WW_OUTBOX_BASE_DELAY_SECONDS="0.2")
        process = _start([sys.executable, "-m", "bot.handoff.sender"], env, log_file)
        try:
            delivered = _wait_until(lambda: len(botapi.sent) >= 2 and len(smtp.messages) >= 1)
            assert delivered, log_file.read_text()
        finally:
            assert _stop(process) == 0
    logs = log_file.read_text()
    assert smtp.logins == [(SMTP_USER, True)]  # it really logged in with the password
    assert "delivered by telegram" in logs and "delivered by email" in logs and "attempt failed" in logs
    assert "DEBUG" in logs  # the log level really was DEBUG
    assert _hits(logs) == []


def test_bridge_polling_and_relaying_logs_no_secret(tmp_path):
    log_file = tmp_path / "telegram.log"
    with BridgeBotApi(TOKEN) as botapi, RasaStandIn() as rasa:
        env = _env(tmp_path, WW_DATABASE_URL=migrated_database(tmp_path),
                   WW_TELEGRAM_API_BASE_URL=botapi.base_url, WW_RASA_URL=rasa.url)
        process = _start([sys.executable, "-m", "bot.telegram"], env, log_file)
        try:
            botapi.queue(botapi.text_update(4242, "hallo"))
            assert botapi.wait_for("sendMessage", 1, timeout=60), log_file.read_text()
        finally:
            assert _stop(process) == 0
    logs = log_file.read_text()
    assert "polling" in logs and "via telegram" in logs
    assert _hits(logs) == []


def test_web_app_logs_no_secret(tmp_path):
    with RasaStandIn() as rasa, web_process(tmp_path, rasa.url, **_env(tmp_path)) as (base, log_file):
        with httpx.Client(base_url=base, timeout=30) as client:
            assert client.post("/api/chat", json={"message": "hallo"}).status_code == 200
            client.get("/health")
    logs = log_file.read_text()
    assert "via web" in logs
    assert _hits(logs) == []


def test_action_server_logs_no_secret(tmp_path):
    port = free_port()
    log_file = tmp_path / "actions.log"
    env = _env(tmp_path, WW_DATABASE_URL=migrated_database(tmp_path), SANIC_HOST="127.0.0.1")
    process = _start([sys.executable, "-m", "bot.action_server", "--actions", "actions", "--port", str(port),
                      "--debug"], env, log_file)
    try:
        def up() -> bool:
            assert process.poll() is None, log_file.read_text()
            try:
                return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        assert _wait_until(up, timeout=240)
        call = {"next_action": "action_onbekend", "sender_id": "s1", "tracker": {"sender_id": "s1"},
                "domain": {}}
        httpx.post(f"http://127.0.0.1:{port}/webhook", json=call, timeout=30)
    finally:
        _stop(process)
    logs = log_file.read_text()
    assert "DEBUG" in logs
    assert _hits(logs) == []


# --- the set-up itself, in this process -------------------------------------------
@pytest.fixture
def captured(monkeypatch, tmp_path):
    """configure_logging with a stream handler of our own; restores the logging state after."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WW_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("WW_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("WW_FERNET_KEYS", FERNET_KEY)
    monkeypatch.setenv("WW_DATABASE_URL", "postgresql://welzijn:pg-Wachtwoord-77@127.0.0.1/ww")
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    from bot.settings import Settings

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *logging_setup.QUIET_LOGGERS)}
    factory = logging.getLogRecordFactory()
    root.addHandler(handler)
    logging_setup.configure_logging(Settings.from_env(), level="DEBUG")
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        logging.setLogRecordFactory(factory)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_known_secrets_are_redacted_from_messages_arguments_and_exceptions(captured):
    log = logging.getLogger("bot.proef")
    log.info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.warning("login with %s failed, key %s, fernet %s", SMTP_PASSWORD, SECRET_KEY, FERNET_KEY)
    log.info("encoded: %s", quote(TOKEN, safe=""))
    log.info("database postgresql://welzijn:pg-Wachtwoord-77@127.0.0.1/ww")
    try:
        raise RuntimeError(f"connect to https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        log.exception("delivery failed")
    text = captured.getvalue()
    assert text.count("[geheim]") >= 7, text
    assert _hits(text) == [] and "pg-Wachtwoord-77" not in text
    assert "sendMessage" in text and "delivery failed" in text  # the rest of the line stays


def test_request_loggers_stay_quiet_even_at_debug(captured):
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/botX/sendMessage")
    logging.getLogger("telegram.ext.ExtBot").debug("Calling Bot API endpoint `sendMessage` with text")
    logging.getLogger("bot.proef").debug("our own debug line")
    text = captured.getvalue()
    assert "HTTP Request" not in text and "Calling Bot API" not in text
    assert "our own debug line" in text
