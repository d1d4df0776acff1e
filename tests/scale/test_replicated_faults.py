"""The replicated profile (WW_REPLICAS=2: 2 Rasa servers, 2 action servers, 2 web
workers, 2 notification senders) on real PostgreSQL + Redis, with its faults.

One stack for the whole module (it takes minutes to start on 2 cores); the tests
run in file order and the last one kills a Rasa replica. Every wait is bounded.

Decisions tested here (docs/deployment.md, "Replicas"):
- a conversation goes to one Rasa replica, by a hash of its sender id, from every web
  worker (bot.relay.replica_order), and to the next replica only when its own cannot
  be reached: Rasa's RedisLockStore is not safe between servers (Rasa issue #9213);
- the web workers share rate limits and offered buttons through Redis, sessions
  through the database;
- a fault is honest: the resident gets the Dutch "storing" reply (naming 113/112) or
  the crisis reply, never a false confirmation, and /health goes red when Rasa's
  tracker store fails.
"""
from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import uuid

import httpx
import psycopg2
import pytest
from handoff.handoff_standins import SmtpStandIn
from handoff.handoff_walk import Resident, button, fill_form, to_consent
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from support.replicas import WorkerChat, replicated_stack
from support.stack import texts

from bot.channel_messages import channel_text
from bot.handoff.models import HandoffRequest, OutboxMessage
from bot.relay import _crisis_texts, replica_order
from bot.settings import PROJECT_ROOT
from bot.web.conversation import COOKIE_NAME, SENDER_PREFIX

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.scale]

REFERENCE = re.compile(r"WW-[2-9A-Z]{6}")
STORING = channel_text("relay", "storing")[:40]
GOOISE_MEREN_PLACES = ("Bussum", "Naarden", "Muiden", "Muiderberg")
JOOST = Resident("Joost Herstart", "E-mail", "joost.herstart@example.org", "Ik wil graag mensen ontmoeten.")


@pytest.fixture(scope="module")
def smtp():
    with SmtpStandIn() as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def stack(tmp_path_factory, postgres, redis_session, smtp):
    extra = {"WW_SMTP_HOST": "127.0.0.1", "WW_SMTP_PORT": str(smtp.port), "WW_SENDER_POLL_SECONDS": "0.5",
             "WW_OUTBOX_BASE_DELAY_SECONDS": "1", "WW_OUTBOX_MAX_DELAY_SECONDS": "2",
             # Concurrent turns of one conversation queue on its lock; on this loaded 2-core machine
             # the last one can wait longer than the default 9 s (then the resident would get the
             # "storing" reply and Rasa may drop the cancelled turn).
             "WW_RASA_TIMEOUT_SECONDS": "30"}
    if redis_session.process is None or redis_session.process.poll() is not None:
        redis_session.start()
    workdir = tmp_path_factory.mktemp("replicas")
    with replicated_stack(workdir, postgres, redis_session, extra_env=extra) as running:
        yield running


@pytest.fixture
def chat(stack):
    client = WorkerChat(stack)
    yield client
    client.close()


def _scalar(url: str, sql: str, **params):
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def _sender_id(chat: WorkerChat) -> str:
    cookie = chat.cookies.get(COOKIE_NAME) or chat.workers[0].cookies.get(COOKIE_NAME)
    return SENDER_PREFIX + cookie.split(".")[0]


def _user_texts(stack, sender_id: str) -> list[str]:
    engine = create_engine(stack.settings.tracker_store_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                {"s": sender_id},
            ).scalars().all()
    finally:
        engine.dispose()
    import json

    return [json.loads(row).get("text") for row in rows]


def _action_count(stack, sender_id: str, action: str) -> int:
    return _scalar(
        stack.settings.tracker_store_url,
        "SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'action' AND action_name = :a",
        s=sender_id, a=action,
    )


def _wait(predicate, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def _health(stack, worker: int) -> httpx.Response:
    return httpx.get(f"{stack.worker_url(worker)}/health", timeout=20)


def _set_connections(database_url: str, allow: bool) -> None:
    """Let a PostgreSQL database refuse new connections (and drop the open ones), or not."""
    parsed = make_url(database_url)
    connection = psycopg2.connect(host=parsed.host, port=parsed.port, user=parsed.username, dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{parsed.database}" ALLOW_CONNECTIONS {str(allow).lower()}')
            if not allow:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                               (parsed.database,))
    finally:
        connection.close()


# -- the profile ------------------------------------------------------------------------------


def test_every_process_runs_twice_and_both_workers_are_healthy(stack):
    names = sorted(stack.processes)
    assert names == sorted(f"{kind}-{k}" for kind in ("actions", "rasa", "web", "sender") for k in (1, 2))
    assert all(process.poll() is None for process in stack.processes.values())
    assert len(set(stack.settings.rasa_urls)) == 2 and len(set(stack.settings.action_server_urls)) == 2
    for worker in (1, 2):
        response = _health(stack, worker)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "ok" and body["tracker_store"] is True
        assert body["replicas"] == [{"rasa": True, "tracker_store": True, "action_server": True}] * 2
    for url in stack.settings.rasa_urls:  # Rasa's own health check (readiness probe)
        report = httpx.get(f"{url}/ww/health", timeout=20).json()
        assert report["status"] == "ok" and report["model"] and report["tracker_store"]["ok"]


def test_the_31st_message_in_a_minute_is_refused_whichever_worker_receives_it(stack, chat):
    # Empty messages count for the limit but never reach Rasa: quick, and only the limit is tested.
    for number in range(30):
        response = chat.post(1 + number % 2, "")
        assert response.status_code == 200, (number, response.text)
    for worker in (1, 2):
        refused = chat.post(worker, "Hoi")
        assert refused.status_code == 429, worker
        assert refused.json()["error"] == "te_snel" and "113" in refused.json()["message"]


def test_concurrent_turns_of_one_conversation_through_both_workers_lose_and_double_nothing(stack, chat):
    token = uuid.uuid4().hex[:6]
    chat.say(1, "Hoi")
    sender_id = _sender_id(chat)
    before_listen = _action_count(stack, sender_id, "action_listen")
    messages = [f"ik heb een vraag over {word} {token}" for word in ("fietsen", "koken", "wandelen", "zingen")]
    replies: dict[str, int] = {}

    def send(index: int, message: str) -> None:
        replies[message] = chat.post(1 + index % 2, message).status_code

    threads = [threading.Thread(target=send, args=(i, m)) for i, m in enumerate(messages)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert replies == {message: 200 for message in messages}
    # A turn that waited for the lock longer than the relay's deadline still ends in Rasa.
    _wait(lambda: _action_count(stack, sender_id, "action_listen") - before_listen >= len(messages), 90)
    typed = _user_texts(stack, sender_id)
    for message in messages:
        assert typed.count(message) == 1, (message, typed)  # none lost, none doubled
    # Each turn ran to its end once: one action_listen per user message.
    assert _action_count(stack, sender_id, "action_listen") - before_listen == len(messages)
    # Both workers routed the conversation to the same replica, so no failover happened.
    assert "rasa replica" not in stack.log_of("web-1") + stack.log_of("web-2")


def _cli(stack, *args, stdin: str = "") -> None:
    result = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, env=stack.env,
                            input=stdin, text=True, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def team(stack):
    _cli(stack, "team", "add", "versa-welzijn", "--email", "versa-replica@example.org")
    return "versa-welzijn"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_a_coach_session_made_on_one_worker_holds_on_the_other_and_logout_ends_it_on_both(stack, team):
    password = "coach-wachtwoord-replica"
    _cli(stack, "coach", "add", "rianne", "--team", team, "--password-stdin", stdin=password + "\n")
    one = httpx.Client(base_url=stack.worker_url(1), timeout=30)
    two = httpx.Client(base_url=stack.worker_url(2), timeout=30)
    try:
        page = one.get("/coach/inloggen")
        login = one.post("/coach/inloggen", data={
            "gebruikersnaam": "rianne", "wachtwoord": password, "csrf": _csrf(page.text)})
        assert login.status_code == 303, login.text[:300]
        two.cookies.update(one.cookies)
        inbox = two.get("/coach/aanvragen")  # the session row is in the shared database
        assert inbox.status_code == 200
        assert two.post("/coach/uitloggen", data={"csrf": _csrf(inbox.text)}).status_code == 303
        assert one.get("/coach/aanvragen").status_code == 303  # revoked for every worker
    finally:
        one.close()
        two.close()


# -- faults ----------------------------------------------------------------------------------


def test_postgresql_restart_during_the_confirmation_loses_nothing_and_confirms_once(
    stack, chat, postgres, smtp, team
):

    class OnWorker:  # the hand-off walk on worker 1, the confirmation on both
        def say(self, message):
            return chat.say(1, message)

        click = say

    summary = fill_form(OnWorker(), JOOST, to_consent(OnWorker()))
    yes = button(summary, "Ja")
    url = stack.settings.database_url
    count = select(func.count()).select_from(HandoffRequest)

    postgres.stop()
    try:
        during = chat.post(2, yes)
    finally:
        postgres.start()
    assert during.status_code == 200
    said = texts(during.json()["messages"])
    assert not REFERENCE.search(said), said  # nothing falsely confirmed ...
    assert STORING in said and "113" in said  # ... but the honest "storing" reply
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            assert connection.execute(count).scalar_one() == 0  # 0 stored while it was down

        confirmed = texts(chat.say(1, yes))  # the same button, pressed again
        [reference] = set(REFERENCE.findall(confirmed))
        with engine.connect() as connection:
            assert connection.execute(count).scalar_one() == 1  # 0 lost, stored once
            assert connection.execute(
                select(func.count()).select_from(HandoffRequest).where(HandoffRequest.reference_code == reference)
            ).scalar_one() == 1
        smtp.wait_for(1, timeout=90)
        time.sleep(5)  # two senders polling every 0.5 s: a second delivery would have happened by now
        ours = [m for m in smtp.received if reference in (m["Subject"] or "")]
        assert len(ours) == 1, [m["Subject"] for m in smtp.received]  # delivered exactly once

        def delivered():
            with engine.connect() as connection:
                return connection.execute(select(OutboxMessage.state)).scalars().all() == ["delivered"]

        assert _wait(delivered, 30)
    finally:
        engine.dispose()


def test_a_failing_tracker_store_turns_health_red_and_is_logged_without_text(stack, chat):
    secret = "ik verzamel graag Kwispelstaart postzegels"
    chat.say(1, "Hoi")
    _set_connections(stack.settings.tracker_store_url, allow=False)
    try:
        reply = chat.post(1, secret)
        assert reply.status_code == 200
        assert texts(reply.json()["messages"])  # the resident gets an answer (the honest "storing" reply)
        for worker in (1, 2):
            health = _health(stack, worker)
            assert health.status_code == 503, health.text
            assert health.json()["tracker_store"] is False
        reports = [httpx.get(f"{url}/ww/health", timeout=20) for url in stack.settings.rasa_urls]
        assert all(r.status_code == 503 and r.json()["tracker_store"]["ok"] is False for r in reports)
    finally:
        _set_connections(stack.settings.tracker_store_url, allow=True)
    rasa_logs = stack.log_of("rasa-1") + stack.log_of("rasa-2")
    assert "tracker store SQLTrackerStore failed on" in rasa_logs
    assert "Kwispelstaart" not in stack.log_text()
    # Back: the next turns are saved and health turns green again.
    for worker in (1, 2):
        chat.say(worker, "Hoi")

    def green():
        return all(_health(stack, worker).status_code == 200 for worker in (1, 2))

    assert _wait(green, 60, step=2)


def test_with_redis_down_the_crisis_reply_and_the_chat_still_answer(stack, chat, redis_session):
    chat.say(1, "Hoi")
    redis_session.stop()
    try:
        for worker in (1, 2):
            crisis = chat.post(worker, "ik wil niet meer leven")
            assert crisis.status_code == 200
            # The crisis reply itself (domain.yml's words), even though Rasa cannot lock the turn.
            assert texts(crisis.json()["messages"]) in _crisis_texts().values()
            assert "113" in texts(crisis.json()["messages"])
            plain = chat.post(worker, "ik voel me eenzaam")
            assert plain.status_code == 200 and texts(plain.json()["messages"])
    finally:
        redis_session.start()
    logs = stack.log_text()
    assert "shared_state_unavailable" in logs  # rate limiting degraded, and logged
    assert "niet meer leven" not in logs
    # The lock store failed honestly (no silent in-memory lock): Rasa refused those turns.
    rasa_logs = stack.log_of("rasa-1") + stack.log_of("rasa-2")
    assert "LockError" in rasa_logs

    def normal():
        return "digitale assistent" in texts(chat.say(1, "Hoi")).lower()

    assert _wait(normal, 60, step=2), "no normal answer after Redis came back"


def test_killing_the_conversations_rasa_replica_the_other_answers_with_history_intact(stack, chat):
    chat.say(1, "Hoi")
    sender_id = _sender_id(chat)
    own = replica_order(sender_id, 2)[0] + 1
    reply = texts(chat.say(2, "ik voel me eenzaam")).lower()
    assert "waar woon je" in reply or "welke plaats" in reply or "in welke gemeente" in reply, reply

    stack.kill(f"rasa-{own}")  # mid-conversation: the form waits for the place
    messages = chat.say(1, "Bussum")
    if any(m.get("buttons") for m in messages) and not any(p in texts(messages) for p in GOOISE_MEREN_PLACES):
        messages = chat.say(2, "weet ik niet")
    # The other replica read the conversation from PostgreSQL: it continues the form.
    assert any(place in texts(messages) for place in GOOISE_MEREN_PLACES), texts(messages)
    assert f"rasa replica {own} unreachable" in stack.log_of("web-1")
    typed = _user_texts(stack, sender_id)
    # No turn lost or doubled:
    assert typed.count("ik voel me eenzaam") == 1 and typed.count("Bussum") == 1, typed
    said = [m["text"] for m in chat.history(2) if m["from"] == "user"]
    assert said.count("ik voel me eenzaam") == 1 and said.count("Bussum") == 1, said
    # /health stays green: the surviving replica serves every conversation.
    health = _health(stack, 1).json()
    assert health["status"] == "ok" and [r["rasa"] for r in health["replicas"]].count(False) == 1
