"""Backup and restore of PostgreSQL (bot/ops/backup.py, the machine's pg_dump/pg_restore):
a populated database (demo catalogue, accounts, a team, a coach, a hand-off request with
an outbox row) and a Rasa tracker store are dumped, restored into fresh databases, and the
assistant works on the copies: the real web process shows the request in the coach inbox
(contact details decrypted), the catalogue search of the HSDS API and the matching give
the same results, and Rasa's SQLTrackerStore reads the conversation back."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import subprocess
import sys

import httpx
import pytest
from ops_support import RasaStandIn, add_coach, add_request, add_team, web_process

from bot.handoff.db import session_scope
from bot.handoff.models import OutboxMessage
from bot.settings import PROJECT_ROOT, Settings

PASSWORD = "Correct-Paard-Batterij-9"
SENDER = "backup-test-conversation"


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, *args], cwd=PROJECT_ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


async def _save_conversation(url: str) -> list[dict]:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=url, db="rasa")
    tracker = DialogueStateTracker.from_events(SENDER, [
        ActionExecuted("action_listen"),
        UserUttered("ik voel me eenzaam", {"name": "eenzaamheid", "confidence": 0.9}),
        BotUttered("Wat vervelend dat je je eenzaam voelt."),
        ActionExecuted("action_listen"),
    ])
    await store.save(tracker)
    return [e.as_dict() for e in (await store.retrieve(SENDER)).events]


async def _read_conversation(url: str) -> list[dict]:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    store = SQLTrackerStore(Domain.empty(), dialect="postgresql", host=url, db="rasa")
    tracker = await store.retrieve(SENDER)
    return [e.as_dict() for e in tracker.events] if tracker else []


def _searches(base: str) -> dict:
    found = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for term in ("wandel", "schulden", "koffie"):
            page = client.get("/api/hsds/services", params={"search": term, "per_page": 50})
            assert page.status_code == 200, page.text[:500]
            found[term] = sorted(item["id"] for item in page.json()["contents"])
    return found


def _matches(database_url: str) -> list[list[str]]:
    from sociale_kaart.db import make_engine
    from sociale_kaart.db import session_scope as kaart_session
    from sociale_kaart.matching import MatchQuery, match_activities

    engine = make_engine(database_url)
    with kaart_session(engine) as session:
        return [
            [r.activity.id for r in match_activities(session, query, limit=5)]
            for query in (MatchQuery(themes=["eenzaamheid"], gemeente_code="GM0402"),
                          MatchQuery(text="wandelen", gemeente_code="GM1942"))
        ]


def _login_and_read(base: str, reference: str) -> str:
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        page = client.get("/coach/inloggen")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        login = client.post("/coach/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD,
                                                     "csrf": csrf})
        assert login.status_code == 303, login.text[:500]
        listing = client.get("/coach/aanvragen")
        assert listing.status_code == 200 and reference in listing.text
        detail = client.get(f"/coach/aanvragen/{reference}")
        assert detail.status_code == 200
        return detail.text


@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_database_and_the_assistant_works_on_it(
    postgres, tmp_path, monkeypatch
):
    source_url, tracker_url = postgres.create_database("bron"), postgres.create_database("rasa")
    for folder in ("voor", "na"):
        (tmp_path / folder).mkdir()
    env = {"WW_VAR_DIR": str(tmp_path / "var"), "WW_DATABASE_URL": source_url, "LOG_LEVEL": "INFO"}
    run(["-m", "bot.cli", "setup-db"], env)  # migrations + demo catalogue, as a hosting party does
    monkeypatch.setenv("WW_VAR_DIR", env["WW_VAR_DIR"])  # the keys setup-db generated there
    settings = dataclasses.replace(Settings.from_env(), database_url=source_url)
    team = add_team(settings)
    add_coach(settings, team, "anna", PASSWORD)
    request_id, reference = add_request(settings, team, name="Karin Hersteltest", contact="0687654321")
    with session_scope(settings.database_url) as session:
        session.add(OutboxMessage(request_id=request_id, channel="email", kind="nieuw", payload={}))
    events = asyncio.run(_save_conversation(tracker_url))
    assert len(events) == 4
    with RasaStandIn() as rasa, web_process(tmp_path / "voor", rasa.url, WW_DATABASE_URL=source_url,
                                            WW_FERNET_KEYS=",".join(settings.fernet_keys)) as (base, _):
        searches_before = _searches(base)
    assert all(searches_before.values()), searches_before
    matches_before = _matches(source_url)
    assert all(matches_before), matches_before

    backup = tmp_path / "backup"
    dumped = json.loads(run(["-m", "bot.ops.backup", "dump", "--to", str(backup)],
                            {**env, "WW_TRACKER_STORE_URL": tracker_url}).stdout)
    assert set(dumped["databases"]) == {"welzijnswijzer", "rasa"}
    counts = dumped["databases"]["welzijnswijzer"]["counts"]
    assert counts["handoff_requests"] == 1 and counts["accounts_users"] == 1 and counts["activity"] > 10
    assert dumped["databases"]["rasa"]["counts"]["events"] == 4
    run(["-m", "bot.ops.backup", "check", "--from", str(backup)], env)

    # A fresh cluster's databases: restore, then refuse a second restore over them.
    target_url, target_tracker = postgres.create_database("herstel"), postgres.create_database("rasaherstel")
    restore = ["-m", "bot.ops.backup", "restore", "--from", str(backup), "--database-url", target_url,
               "--tracker-store-url", target_tracker]
    restored = json.loads(run(restore, env).stdout)
    assert restored["welzijnswijzer"]["counts"] == counts
    again = subprocess.run([sys.executable, *restore], cwd=PROJECT_ROOT, env={**os.environ, **env},
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 1 and "not empty" in again.stderr

    with RasaStandIn() as rasa, web_process(tmp_path / "na", rasa.url, WW_DATABASE_URL=target_url,
                                            WW_FERNET_KEYS=",".join(settings.fernet_keys)) as (base, _):
        detail = _login_and_read(base, reference)
        assert "Karin Hersteltest" in detail and "0687654321" in detail  # decrypted with the same keys
        assert _searches(base) == searches_before
        chat = httpx.post(f"{base}/api/chat", json={"message": "hoi"}, timeout=30)
        assert chat.status_code == 200
    assert _matches(target_url) == matches_before
    assert asyncio.run(_read_conversation(target_tracker)) == events


def test_the_password_is_never_on_the_command_line():
    from bot.ops.backup import Target

    target = Target.from_url("postgresql+psycopg2://ww:s3cr3t-wachtwoord@db.internal:6543/welzijnswijzer")
    assert "s3cr3t-wachtwoord" not in " ".join(target.options())
    assert target.env()["PGPASSWORD"] == "s3cr3t-wachtwoord"
    assert (target.host, target.port, target.user) == ("db.internal", 6543, "ww")
    assert target.database == "welzijnswijzer"


def test_only_postgresql_can_be_backed_up(tmp_path):
    from bot.ops.backup import BackupError, Target

    with pytest.raises(BackupError):
        Target.from_url(f"sqlite:///{tmp_path / 'x.db'}")
