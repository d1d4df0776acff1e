"""The real `python -m bot.run` (make run) on free ports with its own var dir:

- a hung (SIGSTOP) action server gets the honest "storing" reply within 10 s;
- a killed (SIGKILL) action server gets it too, and the supervisor starts it
  again, after which the chat answers normally;
- a killed web app is started again;
- SIGTERM to bot.run stops every process.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from support.stack import STARTUP_TIMEOUT_S, make_settings, setup_database

from bot.channel_messages import channel_text
from bot.processes import process_env
from bot.settings import PROJECT_ROOT
from bot.training import ensure_model

pytestmark = pytest.mark.e2e

STORING = channel_text("relay", "storing")
STARTED = re.compile(r"started (\w+) \(pid (\d+)\)")


class SupervisedStack:
    def __init__(self, workdir, extra_env: dict[str, str] | None = None):
        self.settings, overrides = make_settings(workdir, extra_env)
        self.env = {**process_env(self.settings), **overrides}
        self.log_file = workdir / "bot_run.log"
        setup_database(self.env)
        # Trained (or waited for) before the start-up clock runs; bot.run uses this one
        # even if another change to data/ lands meanwhile.
        # WW_TEST_MODEL names an already trained model (to skip a retrain while data/ changes).
        model = Path(os.environ["WW_TEST_MODEL"]) if os.environ.get("WW_TEST_MODEL") else ensure_model()
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.run", "--model", str(model)], cwd=PROJECT_ROOT, env=self.env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def pids(self, name: str) -> list[int]:
        return [int(pid) for found, pid in STARTED.findall(self.log()) if found == name]

    def wait_for(self, check, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"bot.run stopped:\n{self.log()[-4000:]}"
            try:
                result = check()
            except httpx.HTTPError:
                result = None
            if result:
                return result
            time.sleep(0.5)
        raise AssertionError(f"{what} not within {timeout:.0f} s:\n{self.log()[-4000:]}")

    def healthy(self) -> bool:
        return httpx.get(f"{self.settings.public_url}/health", timeout=5).status_code == 200


@contextmanager
def supervised(workdir, extra_env: dict[str, str] | None = None):
    stack = SupervisedStack(workdir, extra_env)
    try:
        stack.wait_for(stack.healthy, STARTUP_TIMEOUT_S, "a healthy assistant")
        yield stack
    finally:
        if stack.process.poll() is None:
            stack.process.send_signal(signal.SIGTERM)
            try:
                stack.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(stack.process.pid, signal.SIGKILL)
                stack.process.wait(timeout=5)
        for name in ("actions", "rasa", "web", "sender"):
            for pid in stack.pids(name):  # whatever bot.run started must be gone
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


@pytest.fixture(scope="module")
def assistant(tmp_path_factory, stack_backend):
    # On this run's back end (WW_TEST_BACKEND): SQLite files, or fresh PostgreSQL databases + Redis.
    with supervised(tmp_path_factory.mktemp("supervised"), stack_backend.stack_env()) as stack:
        yield stack


def _say(client: httpx.Client, text: str) -> tuple[str, float]:
    started = time.monotonic()
    response = client.post("/api/chat", json={"message": text})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    return "\n".join(m.get("text") or "" for m in response.json()["messages"]), elapsed


def _resident(stack) -> httpx.Client:
    return httpx.Client(base_url=stack.settings.public_url, timeout=60)


def _answers_normally(stack) -> bool:
    with _resident(stack) as client:
        reply, _ = _say(client, "ik voel me eenzaam")
        return bool(reply) and STORING not in reply


def test_a_hung_action_server_gets_the_storing_reply_within_10_s(assistant):
    assistant.wait_for(lambda: _answers_normally(assistant), 120, "a normal answer")
    actions = assistant.pids("actions")[-1]
    os.kill(actions, signal.SIGSTOP)
    try:
        with _resident(assistant) as client:
            reply, elapsed = _say(client, "ik voel me eenzaam")
    finally:
        os.kill(actions, signal.SIGCONT)
    print(f"\nSIGSTOP action server: storing reply after {elapsed:.1f} s")
    assert STORING in reply and "113" in reply and "112" in reply
    assert elapsed < 10
    # Woken up again, the same action server answers as before.
    assistant.wait_for(lambda: _answers_normally(assistant), 60, "a normal answer after SIGCONT")


def test_a_killed_action_server_gets_the_storing_reply_and_is_restarted(assistant):
    assistant.wait_for(lambda: _answers_normally(assistant), 120, "a normal answer")
    before = assistant.pids("actions")
    os.killpg(before[-1], signal.SIGKILL)
    with _resident(assistant) as client:
        reply, elapsed = _say(client, "ik voel me eenzaam")
    print(f"\nSIGKILL action server: storing reply after {elapsed:.1f} s")
    assert STORING in reply and elapsed < 10
    assistant.wait_for(lambda: len(assistant.pids("actions")) > len(before), 60, "a restarted action server")
    assert re.search(rf"actions \(pid {before[-1]}\) stopped with exit code -9", assistant.log())
    restarted = time.monotonic()
    assistant.wait_for(lambda: _answers_normally(assistant), STARTUP_TIMEOUT_S,
                       "a normal answer after restart")
    print(f"chat answered normally {time.monotonic() - restarted:.0f} s after the restart")


def test_a_killed_web_app_is_restarted(assistant):
    before = assistant.pids("web")
    os.killpg(before[-1], signal.SIGKILL)
    assistant.wait_for(lambda: len(assistant.pids("web")) > len(before), 60, "a restarted web app")
    assistant.wait_for(assistant.healthy, 120, "a healthy web app after restart")
    with _resident(assistant) as client:
        reply, _ = _say(client, "Hoi")
        assert reply and STORING not in reply


def test_sigterm_stops_every_process(tmp_path_factory, assistant):
    # Runs last: stops the module's assistant and checks that nothing lingers.
    children = {name: assistant.pids(name)[-1] for name in ("actions", "rasa", "web", "sender")}
    assistant.process.send_signal(signal.SIGTERM)
    assert assistant.process.wait(timeout=30) == 0
    for name, pid in children.items():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        assert f"started {name}" in assistant.log()
    assert "stopping" in assistant.log()
