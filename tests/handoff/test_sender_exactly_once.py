"""The sender process against a real database, aiosmtpd and a Bot API stand-in.

Senders are real processes (`python -m bot.handoff.sender`), killed with
SIGKILL in the middle of a delivery and restarted, or stopped with SIGTERM.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from coach_testdata import add_request, add_team, make_settings
from handoff_standins import BotApiStandIn, SmtpStandIn
from sqlalchemy import select

from bot.handoff.db import session_scope
from bot.handoff.models import OutboxMessage, utcnow

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "424242:sender-test"
pytestmark = pytest.mark.slow


def _queue(settings, team_id, count, channel):
    refs = []
    for _ in range(count):
        request_id, ref = add_request(settings, team_id)
        with session_scope(settings.database_url) as db:
            db.add(OutboxMessage(request_id=request_id, channel=channel, payload={"referentie": ref},
                                 next_attempt_at=utcnow()))
        refs.append(ref)
    return refs


def _start_sender(tmp_path, name, **env):
    environment = {**os.environ, "WW_SENDER_POLL_SECONDS": "0.2", "WW_SENDER_PURGE": "false",
                   "WW_OUTBOX_LEASE_SECONDS": "3", "WW_OUTBOX_BASE_DELAY_SECONDS": "0.2",
                   "RASA_TELEMETRY_ENABLED": "false", **env}
    log = open(tmp_path / f"{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "bot.handoff.sender"], cwd=ROOT, env=environment,
                            stdout=log, stderr=subprocess.STDOUT)


def _stop(process):
    if process.poll() is None:
        process.kill()
        process.wait(10)


def _states(settings):
    with session_scope(settings.database_url) as db:
        return [(r.state, r.attempts, r.lease_owner) for r in db.execute(select(OutboxMessage)).scalars()]


def _wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_kill_mid_delivery_and_restart_delivers_each_request_once(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings, telegram="-100777")
    refs = _queue(settings, team, 3, "telegram")
    with BotApiStandIn(TOKEN) as api:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "WW_TELEGRAM_API_BASE_URL": api.base_url}
        api.hold.clear()
        api.drop_held = True  # the killed sender's call never gets through
        first = _start_sender(tmp_path, "first", **env)
        try:
            assert api.arrived.wait(30), "the first sender reached the Bot API"
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            _stop(first)
        claimed = [s for s in _states(settings) if s[2] is not None]
        assert len(claimed) >= 1 and all(s[0] == "pending" for s in _states(settings))
        api.hold.set()
        second = _start_sender(tmp_path, "second", **env)
        try:
            assert _wait_until(lambda: all(s[0] == "delivered" for s in _states(settings)))
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(15)
        time.sleep(0.5)
        texts = [text for _chat, text in api.sent]
    assert sorted(ref for ref in refs for text in texts if ref in text) == sorted(refs)
    assert len(texts) == 3


def test_crash_after_the_server_accepted_is_caught_by_the_idempotency_key(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings, email="team@example.org")
    refs = _queue(settings, team, 3, "email")
    with SmtpStandIn() as smtp:
        env = {"WW_SMTP_HOST": "127.0.0.1", "WW_SMTP_PORT": str(smtp.port)}
        smtp.hold.clear()  # the message arrives, the 250 reply does not
        first = _start_sender(tmp_path, "first", **env)
        try:
            assert smtp.arrived.wait(30)
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            _stop(first)
        smtp.hold.set()
        second = _start_sender(tmp_path, "second", **env)
        try:
            assert _wait_until(lambda: all(s[0] == "delivered" for s in _states(settings)))
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(15)
        received = list(smtp.received)
    # The receiver saw one message twice (the unavoidable window) with the same key ...
    assert len(received) == 4
    keys = {message["X-Welzijnswijzer-Outbox"] for message in received}
    assert len(keys) == 3
    # ... so deduplicating on it gives exactly one notification per request.
    unique = {message["Message-ID"]: message for message in received}.values()
    assert sorted(message["Subject"].split()[2] for message in unique) == sorted(refs)


def test_two_senders_at_once_never_deliver_twice(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings, telegram="-100777")
    refs = _queue(settings, team, 12, "telegram")
    with BotApiStandIn(TOKEN) as api:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "WW_TELEGRAM_API_BASE_URL": api.base_url,
               "WW_OUTBOX_LEASE_SECONDS": "60"}
        senders = [_start_sender(tmp_path, f"s{n}", **env) for n in range(2)]
        try:
            assert _wait_until(lambda: all(s[0] == "delivered" for s in _states(settings)))
        finally:
            for sender in senders:
                sender.send_signal(signal.SIGTERM)
            for sender in senders:
                sender.wait(15)
        texts = [text for _chat, text in api.sent]
    assert len(texts) == 12
    assert sorted(ref for ref in refs for text in texts if ref in text) == sorted(refs)
    assert all(s[1] == 1 for s in _states(settings))  # one attempt each


def test_retries_with_backoff_until_delivered(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings, telegram="-100777")
    _queue(settings, team, 1, "telegram")
    with BotApiStandIn(TOKEN) as api:
        api.fail = 2
        sender = _start_sender(tmp_path, "retry", TELEGRAM_BOT_TOKEN=TOKEN,
                               WW_TELEGRAM_API_BASE_URL=api.base_url)
        try:
            assert _wait_until(lambda: _states(settings)[0][0] == "delivered")
        finally:
            sender.send_signal(signal.SIGTERM)
            sender.wait(15)
    assert _states(settings)[0][1] == 3
    assert len(api.sent) == 1


def test_sigterm_finishes_the_current_delivery_and_exits_cleanly(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings, telegram="-100777")
    _queue(settings, team, 1, "telegram")
    with BotApiStandIn(TOKEN) as api:
        api.hold.clear()
        sender = _start_sender(tmp_path, "term", TELEGRAM_BOT_TOKEN=TOKEN,
                               WW_TELEGRAM_API_BASE_URL=api.base_url)
        try:
            assert api.arrived.wait(30)
            sender.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert sender.poll() is None  # still finishing the delivery
            api.hold.set()
            assert sender.wait(15) == 0
        finally:
            _stop(sender)
    assert _states(settings)[0][0] == "delivered" and len(api.sent) == 1
    assert "stopped" in (tmp_path / "term.log").read_text()
