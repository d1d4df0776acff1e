"""Shared web state (bot.shared_state) on a real redis-server: chat and login limits and
offered buttons hold across web workers; Redis down degrades to per-worker limits, logged
without message text, and the chat still answers."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import httpx
import pytest
from support.http_standin import LocalHttpServer, QuietHandler, free_port

from bot.accounts.limits import LoginLimiter
from bot.settings import PROJECT_ROOT
from bot.shared_state import MemoryState, RedisState, Window

pytestmark = pytest.mark.slow


@pytest.fixture(params=["memory", "redis"])
def state(request):
    if request.param == "memory":
        return MemoryState()
    return RedisState(request.getfixturevalue("redis_url"))


def test_window_counts_per_key_and_forgets_old_events(state):
    window = Window(state, "test", limit=2, window_seconds=0.3)
    assert window.allow("a") and window.allow("a")
    assert not window.allow("a") and window.exceeded("a")
    assert window.allow("b")
    time.sleep(0.35)
    assert window.count("a") == 0 and window.allow("a")
    window.add("c")
    window.add("c")
    assert window.exceeded("c")
    window.forget("c")
    assert not window.exceeded("c")


def test_values_live_for_their_lifetime(state):
    state.put("offered:web-1", json.dumps(["/ja"]), ttl_seconds=0.3)
    assert json.loads(state.get("offered:web-1")) == ["/ja"]
    assert state.get("offered:web-2") is None
    time.sleep(0.35)
    assert state.get("offered:web-1") is None


def test_two_workers_share_one_limit_in_redis(redis_url):
    first, second = RedisState(redis_url), RedisState(redis_url)  # as two processes would
    windows = [Window(first, "chat", 30, 60), Window(second, "chat", 30, 60)]
    results = [windows[n % 2].allow("web-abc") for n in range(31)]
    assert results == [True] * 30 + [False]
    assert not windows[0].allow("web-abc") and not windows[1].allow("web-abc")
    # Login failures counted by one worker block the login at the other.
    limiters = [LoginLimiter(per_account=3, state=first), LoginLimiter(per_account=3, state=second)]
    for n in range(3):
        limiters[n % 2].failed("10.0.0.1", "Coach.Anna")
    assert limiters[1].blocked("10.0.0.2", "coach.anna") and limiters[0].blocked("10.0.0.3", "coach.anna")


def test_redis_keeps_no_sender_id_or_address(redis_url):
    import redis

    state = RedisState(redis_url)
    Window(state, "chat-client", 5, 60).allow("192.0.2.44")
    state.put("offered:web-geheim-id", "[]", 60)
    keys = [key.decode() for key in redis.Redis.from_url(redis_url).keys("*")]
    assert keys and all(key.startswith("ww:") for key in keys)
    assert not any("192.0.2.44" in key or "web-geheim-id" in key for key in keys)


def test_redis_down_degrades_to_this_process_and_says_so(redis_session, redis_url, caplog):
    state = RedisState(redis_url, retry_after_seconds=0.2)
    window = Window(state, "chat", 2, 60)
    assert window.allow("web-x")
    redis_session.stop()
    try:
        caplog.set_level(logging.WARNING, logger="bot.shared_state")
        started = time.monotonic()
        answers = [window.allow("web-y") for _ in range(3)]
        assert time.monotonic() - started < 2  # short timeouts: the chat is not held up
        assert answers == [True, True, False]  # still limited, per process
        state.put("offered:web-y", '["/ja"]', 60)
        assert state.get("offered:web-y") == '["/ja"]'
        warnings = [r.getMessage() for r in caplog.records if "shared_state_unavailable" in r.getMessage()]
        assert len(warnings) == 1 and "web-y" not in warnings[0]
    finally:
        redis_session.start()
    time.sleep(0.25)
    assert window.allow("web-z")
    assert any("shared_state_restored" in r.getMessage() for r in caplog.records)


class ButtonRasa(LocalHttpServer):
    """Rasa's REST channel as a stand-in: answers every message with one button."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []
        stand_in = self

        class Handler(QuietHandler):
            def do_GET(self):
                self.send_body(200, b"Hello from Rasa: 3.6.21", "text/plain")

            def do_POST(self):
                body = json.loads(self.read_body())
                stand_in.received.append((body["sender"], body["message"]))
                self.send_json(200, [{"recipient_id": body["sender"], "text": "Wil je verder?",
                                      "buttons": [{"title": "Ja", "payload": "/bevestigen"}]}])

        super().__init__(Handler)


@contextmanager
def web_workers(tmp_path, rasa_url: str, redis_url: str, count: int = 2):
    """`count` real `python -m bot.web` processes on their own ports, one database and Redis."""
    from bot.handoff.db import migrate

    database = f"sqlite:///{tmp_path / 'ww.db'}"
    migrate(database)
    processes, bases, logs = [], [], []
    try:
        for number in range(count):
            port = free_port()
            env = {
                **os.environ,
                "WW_VAR_DIR": str(tmp_path / "var"),
                "WW_DATABASE_URL": database,
                "WW_RASA_URL": rasa_url,
                "WW_ACTION_SERVER_URL": rasa_url,
                "WW_WEB_HOST": "127.0.0.1",
                "WW_WEB_PORT": str(port),
                "WW_SECRET_KEY": "gedeeld-geheim-van-alle-web-workers-0123456789",
                "WW_REDIS_URL": redis_url,
                "TELEGRAM_BOT_TOKEN": "",
                "LOG_LEVEL": "INFO",
            }
            log_file = tmp_path / f"web{number}.log"
            with open(log_file, "wb") as log:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "bot.web"], cwd=PROJECT_ROOT, env=env,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                ))
            bases.append(f"http://127.0.0.1:{port}")
            logs.append(log_file)
        for process, base, log_file in zip(processes, bases, logs, strict=True):
            deadline = time.monotonic() + 90
            while True:
                assert process.poll() is None, log_file.read_text()
                try:
                    httpx.get(f"{base}/health", timeout=2)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, log_file.read_text()
                    time.sleep(0.2)
        yield bases, logs
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=20)


def _send(base: str, cookie: str | None, text: str) -> tuple[httpx.Response, str | None]:
    headers = {"Cookie": f"ww_gesprek={cookie}"} if cookie else {}
    response = httpx.post(f"{base}/api/chat", json={"message": text}, headers=headers, timeout=15)
    return response, response.cookies.get("ww_gesprek") or cookie


def test_the_31st_message_is_refused_whichever_worker_gets_it(tmp_path, redis_url):
    with ButtonRasa() as rasa, web_workers(tmp_path, rasa.root_url, redis_url) as (bases, _logs):
        for refused_by in (0, 1):
            cookie = None
            statuses = []
            for n in range(30):
                response, cookie = _send(bases[n % 2], cookie, f"bericht {n}")
                statuses.append(response.status_code)
            assert statuses == [200] * 30
            response, cookie = _send(bases[refused_by], cookie, "bericht 31")
            assert response.status_code == 429 and response.json()["error"] == "te_snel"
            assert "113" in response.json()["message"]
            other, _ = _send(bases[1 - refused_by], cookie, "bericht 32")
            assert other.status_code == 429
        assert not any(message.startswith("bericht 3") and len(message) > 9 for _, message in rasa.received)


def test_a_button_offered_by_one_worker_is_accepted_by_the_other(tmp_path, redis_url):
    with ButtonRasa() as rasa, web_workers(tmp_path, rasa.root_url, redis_url) as (bases, _logs):
        response, cookie = _send(bases[0], None, "hallo")
        assert response.json()["messages"][0]["buttons"][0]["payload"] == "/bevestigen"
        _send(bases[1], cookie, "/bevestigen")
        assert rasa.received[-1][1] == "/bevestigen"  # offered: passed on as the intent
        _send(bases[0], cookie, "/niet_aangeboden")
        assert rasa.received[-1][1] != "/niet_aangeboden"  # not offered: typed text


def test_with_redis_down_the_workers_still_answer(tmp_path, redis_session, redis_url):
    with ButtonRasa() as rasa, web_workers(tmp_path, rasa.root_url, redis_url) as (bases, logs):
        redis_session.stop()
        try:
            cookie = None
            for n, text in enumerate(["hallo", "ik wil niet meer leven", "mijn nummer is 0612345678"]):
                response, cookie = _send(bases[n % 2], cookie, text)
                assert response.status_code == 200, response.text
                assert response.json()["messages"]
            time.sleep(0.5)
        finally:
            redis_session.start()
        text = "".join(log.read_text() for log in logs)
        assert "shared_state_unavailable" in text
        for secret in ("niet meer leven", "0612345678", cookie):
            assert secret not in text
        assert len(rasa.received) == 3
