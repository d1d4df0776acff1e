"""Coach sessions are server-side (bot.accounts): after logout, disabling the
account, a new password or a removed role, the same cookie replayed is refused.
Real migrated SQLite file, the inbox app through Starlette's TestClient, and the
real `welzijnswijzer` CLI for the operator's side."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "handoff"))
from coach_testdata import add_coach, add_team, make_settings  # noqa: E402

from bot import accounts  # noqa: E402
from bot.handoff.db import session_scope  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402
from bot.web.inbox import create_inbox_app  # noqa: E402

PASSWORD = "lang-en-geheim-wachtwoord"


def _client(settings) -> TestClient:
    return TestClient(Starlette(routes=[Mount("/coach", create_inbox_app(settings))]), follow_redirects=False)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, username="anna", password=PASSWORD):
    page = client.get("/coach/inloggen")
    return client.post("/coach/inloggen", data={
        "gebruikersnaam": username, "wachtwoord": password, "csrf": _csrf(page.text)})


def _logged_in(client) -> bool:
    return client.get("/coach/aanvragen").status_code == 200


def _replay(settings, cookie: str) -> bool:
    """A fresh browser that presents a copied cookie: does it get the inbox?"""
    other = _client(settings)
    other.cookies.set("ww_coach", cookie, path="/coach")
    return _logged_in(other)


def _cli(*args, stdin=""):
    result = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, input=stdin,
                            text=True, capture_output=True, env={**os.environ}, timeout=120)
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def settings(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    add_coach(settings, team, "anna", PASSWORD)
    add_coach(settings, team, "lead", PASSWORD, is_lead=True)
    return settings


def test_a_replayed_cookie_after_logout_is_refused(settings):
    client = _client(settings)
    assert _login(client).status_code == 303 and _logged_in(client)
    cookie = client.cookies["ww_coach"]
    assert _replay(settings, cookie), "the copy works while the session lives"
    page = client.get("/coach/aanvragen")
    logout = client.post("/coach/uitloggen", data={"csrf": _csrf(page.text)})
    assert logout.status_code == 303 and logout.headers["location"] == "/coach/inloggen"
    assert not _replay(settings, cookie), "a cookie from before the logout no longer logs in"
    with session_scope(settings.database_url) as db:
        rows = db.execute(select(accounts.LoginSession)).scalars().all()
        assert [row.revoke_reason for row in rows] == ["uitgelogd"]


@pytest.mark.parametrize("command", [
    ("coach", "disable", "anna"),
    ("account", "disable", "anna"),
    ("account", "password", "anna", "--password-stdin"),
    ("account", "role", "anna", "coach", "--team", "versa-welzijn", "--weg"),
])
def test_disabling_a_new_password_or_a_removed_role_ends_the_open_session(settings, command):
    client = _client(settings)
    _login(client)
    cookie = client.cookies["ww_coach"]
    code, out = _cli(*command, stdin="een-nieuw-lang-wachtwoord\n")
    assert code == 0, out
    assert not _logged_in(client) and not _replay(settings, cookie)
    if command[1] == "password":
        assert _login(_client(settings)).status_code == 401
        assert _login(_client(settings), password="een-nieuw-lang-wachtwoord").status_code == 303
    else:
        assert _login(_client(settings)).status_code == 401


def test_an_unused_session_ends_after_the_idle_limit(settings):
    client = _client(settings)
    _login(client)
    with session_scope(settings.database_url) as db:  # the coach left the browser open for 2 hours
        row = db.execute(select(accounts.LoginSession)).scalar_one()
        row.last_seen_at -= timedelta(hours=2)
    assert not _logged_in(client)


def test_team_leader_pages_follow_the_role(settings):
    lead = _client(settings)
    _login(lead, "lead")
    assert lead.get("/coach/statistiek").status_code == 200
    coach = _client(settings)
    _login(coach)
    assert coach.get("/coach/statistiek").status_code == 403


def test_account_cli_creates_users_with_roles(settings):
    code, out = _cli("account", "add", "redactie.gooi", "--rol", "redacteur",
                     "--regio", "gooi-en-vechtstreek",
                     "--password-stdin", stdin="een-lang-redactie-wachtwoord\n")
    assert code == 0 and "redactie.gooi" in out
    code, out = _cli("account", "role", "redactie.gooi", "coach", "--regio", "gooi")
    assert code == 2 and "hoort bij" in out  # a coach is scoped to a team, in Dutch
    code, out = _cli("account", "add", "kort", "--password-stdin", stdin="kort\n")
    assert code == 2 and "minstens 12 tekens" in out
    code, out = _cli("account", "list")
    assert code == 0 and "redacteur@region:gooi-en-vechtstreek" in out
    assert "coach@team:versa-welzijn" in out and "teamleider@team:versa-welzijn" in out
    with session_scope(settings.database_url) as db:
        user = accounts.find_user(db, "redactie.gooi")
        assert accounts.has_role(db, user, "redacteur", accounts.SCOPE_REGION, "gooi-en-vechtstreek")
    # An account without a coach role cannot use the coach inbox.
    assert _login(_client(settings), "redactie.gooi", "een-lang-redactie-wachtwoord").status_code == 401
