"""The coach inbox must not freeze the chat: while slow argon2 logins are in
flight in the real web app (`python -m bot.web`), /health and the chat API answer.

An ordering check, not a benchmark: the logins use a deliberately slow argon2 hash
(seconds per check), and the chat's answer must arrive before the first login's.
With the password check on the event loop, the chat would wait behind them.
"""
from __future__ import annotations

import re
import sys
import threading
import time
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from channel_standins import RasaStandIn, web_process

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "handoff"))
from coach_testdata import add_coach, add_team  # noqa: E402

from bot.handoff.db import migrate  # noqa: E402

LOGINS = 6
SLOW = PasswordHasher(time_cost=8, memory_cost=65536, parallelism=1)


class _Settings:
    def __init__(self, url):
        self.database_url = url


def _login(base: str, username: str, done: dict) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        page = client.get("/coach/inloggen")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        ready.wait()
        response = client.post("/coach/inloggen", data={
            "gebruikersnaam": username, "wachtwoord": "niet-het-goede-wachtwoord", "csrf": csrf})
        done[username] = (time.monotonic(), response.status_code)


ready = threading.Event()


def test_chat_and_health_answer_while_slow_logins_run(tmp_path):
    url = f"sqlite:///{tmp_path / 'inbox.db'}"
    migrate(url)
    team = add_team(_Settings(url))
    for number in range(LOGINS):
        add_coach(_Settings(url), team, f"coach{number}", "het-goede-wachtwoord", hasher=SLOW)
    with RasaStandIn() as rasa, web_process(tmp_path, rasa.url, WW_DATABASE_URL=url) as (base, _log):
        done: dict[str, tuple[float, int]] = {}
        threads = [threading.Thread(target=_login, args=(base, f"coach{n}", done)) for n in range(LOGINS)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # every login page is loaded
        ready.set()
        time.sleep(0.3)  # the logins are on their way
        with httpx.Client(base_url=base, timeout=120) as resident:
            chat = resident.post("/api/chat", json={"message": "hallo"})
            chat_done = time.monotonic()
            health = resident.get("/health")
            health_done = time.monotonic()
        for thread in threads:
            thread.join(timeout=300)
    assert chat.status_code == 200 and chat.json()["messages"][0]["text"] == "echo: hallo"
    assert health.status_code == 200
    assert len(done) == LOGINS and all(status == 401 for _, status in done.values())
    first_login = min(moment for moment, _ in done.values())
    print(f"\nchat answered {first_login - chat_done:.1f} s before the first of {LOGINS} slow logins")
    assert chat_done < first_login and health_done < first_login
