"""`welzijnswijzer team|coach|outbox|purge` as real processes on a temp database."""
import os
import re
import subprocess
import sys
from pathlib import Path

from coach_testdata import add_request, days_ago, make_settings
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot import accounts
from bot.handoff.db import session_scope
from bot.handoff.models import Coach, HandoffRequest, OutboxMessage, Team
from bot.web.inbox import create_inbox_app

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args, stdin=""):
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, input=stdin, text=True,
                            capture_output=True, env=env, timeout=120)
    return result.returncode, result.stdout + result.stderr


def test_team_and_coach_accounts_from_the_command_line(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    code, out = _cli("team", "add", "versa-welzijn", "--email", "versa@example.org",
                     "--telegram-chat-id", "-1001")
    assert code == 0 and "Welzijnscoaches Versa Welzijn" in out  # name from teams.yml
    code, out = _cli("team", "add", "versa-welzijn", "--email", "")
    assert code == 0 and "bijgewerkt" in out
    code, out = _cli("coach", "add", "Anna", "--team", "versa-welzijn", "--lead", "--password-stdin",
                     stdin="een-lang-wachtwoord\n")
    assert code == 0 and "teamleider anna aangemaakt" in out
    assert _cli("coach", "add", "anna", "--team", "versa-welzijn", "--password-stdin",
                stdin="een-lang-wachtwoord\n")[0] == 2  # exists
    assert _cli("coach", "add", "kort", "--team", "versa-welzijn", "--password-stdin", stdin="kort\n")[0] == 2
    code, out = _cli("coach", "add", "bob", "--team", "bestaat-niet", "--password-stdin",
                     stdin="een-lang-wachtwoord\n")
    assert code == 2 and "bestaat niet" in out
    with session_scope(settings.database_url) as db:
        team = db.execute(select(Team)).scalar_one()
        assert (team.email, team.telegram_chat_id) == (None, "-1001")
        coach = db.execute(select(Coach)).scalar_one()
        user = db.get(accounts.User, coach.account_id)  # the login lives in bot.accounts
        assert coach.is_lead and user.password_hash.startswith("$argon2") and coach.password_hash is None
        assert accounts.has_role(db, user, "teamleider", accounts.SCOPE_TEAM, "versa-welzijn")
    app = Starlette(routes=[Mount("/coach", create_inbox_app(settings))])
    client = TestClient(app, follow_redirects=False)
    page = client.get("/coach/inloggen")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    login = client.post("/coach/inloggen", data={
        "gebruikersnaam": "anna", "wachtwoord": "een-lang-wachtwoord", "csrf": csrf})
    assert login.status_code == 303
    assert _cli("coach", "disable", "anna")[0] == 0
    assert client.get("/coach/aanvragen").status_code == 303  # disabled: back to the login page


def test_outbox_listing_and_retry(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    _cli("team", "add", "versa-welzijn")
    with session_scope(settings.database_url) as db:
        team_id = db.execute(select(Team.id)).scalar_one()
    request_id, ref = add_request(settings, team_id)
    with session_scope(settings.database_url) as db:
        row = OutboxMessage(request_id=request_id, channel="email", payload={}, state="failed", attempts=12,
                            last_error="451 later")
        db.add(row)
        db.flush()
        outbox_id = row.id
    code, out = _cli("outbox")
    assert code == 0 and ref in out and "failed" in out and "451 later" in out and "1 failed" in out
    code, out = _cli("outbox", "--retry", str(outbox_id))
    assert code == 0
    code, out = _cli("outbox", "--state", "pending")
    assert ref in out
    assert _cli("outbox", "--retry", "9999")[0] == 2


def test_purge_command(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    _cli("team", "add", "versa-welzijn")
    with session_scope(settings.database_url) as db:
        team_id = db.execute(select(Team.id)).scalar_one()
    old_id, _ = add_request(settings, team_id, status="afgerond", closed=days_ago(100))
    monkeypatch.setenv("WW_RETENTION_DAYS", "90")
    code, out = _cli("purge")
    assert code == 0 and "contactgegevens verwijderd bij 1 aanvragen" in out
    with session_scope(settings.database_url) as db:
        assert db.get(HandoffRequest, old_id).contact_encrypted is None
