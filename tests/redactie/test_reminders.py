"""Verification reminders through the outbox (bot.handoff.verification), end to end:

the real notification sender process (`python -m bot.handoff.sender`) queues the reminders
of stale entries (its periodic job) and delivers them to a local SMTP server (aiosmtpd on
127.0.0.1); the test reads the mail, follows the signed "klopt nog" link with a real HTTP
client against the back office served by uvicorn on 127.0.0.1, presses the one button and
finds the entry verified. Also: exactly-once queueing with schedulers racing, the interval
between reminders, the "geen reactie" mark after N unanswered ones in the stale queue and
the list filter, and the migration on SQLite up and down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from kaart_helpers import good_document
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot import accounts
from bot.handoff import verification
from bot.handoff.db import make_engine, migrate, session_scope
from bot.handoff.models import OutboxMessage, VerificationReminder, utcnow
from bot.settings import Settings
from sociale_kaart import editorial
from sociale_kaart.db import migrate as migrate_catalogue
from sociale_kaart.importer import import_records

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "handoff"))
from handoff_standins import SmtpStandIn  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "lang-en-geheim-wachtwoord"
KEY = "act-koffie-oost"  # checked 2026-09-14 in the fixture
GELD = "act-online-geld"  # checked 2025-01-10; owner is an e-mail address
MANTELZORG = "act-mantelzorg-regio"  # never checked, no owner


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def settings(tmp_path, monkeypatch):
    port = _port()
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("WW_DATABASE_URL", raising=False)
    monkeypatch.setenv("WW_PUBLIC_URL", f"http://127.0.0.1:{port}")
    settings = dataclasses.replace(Settings.from_env(), redactie_stale_days=30, web_port=port)
    return _prepare(settings)


def _prepare(settings):
    """Migrated tables, the test catalogue, anna (an address) owns KEY, GELD's owner is an address."""
    migrate(settings.database_url)
    migrate_catalogue(settings.database_url)
    engine = make_engine(settings.database_url)
    assert import_records(engine, good_document()).ok
    with session_scope(settings.database_url) as db:
        anna = accounts.create_user(db, "anna", PASSWORD, email="anna@welzijn.example")
        accounts.grant(db, anna, "redacteur", accounts.SCOPE_ORGANISATION, "org-buurt-hilversum")
        beheer = accounts.create_user(db, "beheer", PASSWORD)
        accounts.grant(db, beheer, "beheerder", accounts.SCOPE_ALL, None)
    editorial.set_owner(engine, KEY, "anna")
    editorial.set_owner(engine, GELD, "geld@aanbieder.example")
    return settings


@pytest.fixture
def web(settings):
    """The back office (/redactie) served by uvicorn on 127.0.0.1 at settings.public_url."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from bot.web.redactie import create_editors_app

    app = Starlette(routes=[Mount("/redactie", create_editors_app(settings))])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=settings.web_port, log_config=None,
                                           log_level="warning", ws="none"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield settings.public_url
    server.should_exit = True
    thread.join(timeout=20)


def _checked_on(settings, key):
    from sociale_kaart.models import Activity

    with make_engine(settings.database_url).connect() as connection:
        return connection.execute(
            select(Activity.__table__.c.laatst_gecontroleerd_op).where(Activity.__table__.c.id == key)
        ).scalar()


def _policy(settings, **changes):
    return dataclasses.replace(verification.ReminderPolicy.from_settings(settings), **changes)


def test_reminder_mail_round_trip_through_the_sender_process(settings, web, tmp_path):
    with SmtpStandIn() as smtp:
        environment = {
            **os.environ, "WW_VAR_DIR": str(tmp_path / "var"), "WW_PUBLIC_URL": settings.public_url,
            "WW_SMTP_HOST": "127.0.0.1", "WW_SMTP_PORT": str(smtp.port), "WW_REDACTIE_STALE_DAYS": "30",
            "WW_SENDER_POLL_SECONDS": "0.2", "WW_SENDER_PURGE": "false", "RASA_TELEMETRY_ENABLED": "false",
        }
        environment.pop("WW_DATABASE_URL", None)
        log = open(tmp_path / "sender.log", "w")
        sender = subprocess.Popen([sys.executable, "-m", "bot.handoff.sender"], cwd=ROOT, env=environment,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            messages = smtp.wait_for(2, timeout=60)
        finally:
            sender.terminate()
            sender.wait(20)
    assert sender.returncode == 0
    # Two owners with an address; the entry without owner gets no mail (and is not lost: queue).
    assert sorted(m["To"] for m in messages) == ["anna@welzijn.example", "geld@aanbieder.example"]
    mail = next(m for m in messages if m["To"] == "anna@welzijn.example")
    assert mail["Subject"] == "Klopt dit nog? Koffieochtend in de buurtkamer"
    assert mail["X-Welzijnswijzer-Outbox"].startswith("outbox-")
    text = mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8")
    assert "14-09-2026" in text or "2026-09-14" in text
    link = re.search(re.escape(settings.public_url) + r"/redactie/klopt-nog/[A-Za-z0-9_.\-]+", text).group(0)
    edit = re.search(re.escape(settings.public_url) + r"/redactie/activiteit/" + KEY, text)
    assert edit is not None
    with session_scope(settings.database_url) as db:
        rows = db.execute(select(OutboxMessage).where(OutboxMessage.kind == verification.KIND)).scalars().all()
        assert sorted(r.state for r in rows) == ["delivered", "delivered"]
        assert all(r.request_id is None for r in rows)
        assert db.execute(select(VerificationReminder)).scalars().all().__len__() == 2

    with httpx.Client(follow_redirects=False, timeout=10) as client:
        # Opening the link changes nothing (a mail scanner follows links): one POST button.
        page = client.get(link)
        assert page.status_code == 200
        assert page.text.count("<button") == 1 and "Ja, het klopt nog" in page.text
        assert _checked_on(settings, KEY) == dt.date(2026, 9, 14)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        done = client.post(link, data={"csrf": csrf})
        assert done.status_code == 200 and "nog klopt" in done.text
        assert _checked_on(settings, KEY) == dt.date.today()
        # Used once: the new verification date makes the link stale.
        assert client.get(link).status_code == 410
        assert client.post(link, data={"csrf": csrf}).status_code == 410
        # The edit link asks for a login first.
        assert client.get(edit.group(0)).status_code == 303
    # Verified today: no longer stale, so no further reminder for it.
    report = verification.queue_due(make_engine(settings.database_url), _policy(settings))
    assert report.queued == 0


def test_interval_and_mark_after_n_unanswered_reminders(settings):
    engine = make_engine(settings.database_url)
    policy = _policy(settings, interval_days=7, max_reminders=2)
    start = utcnow() - dt.timedelta(days=40)
    first = verification.queue_due(engine, policy, now=start)
    assert (first.queued, first.no_address) == (2, 1)
    again = verification.queue_due(engine, policy, now=start + dt.timedelta(days=1))
    assert (again.queued, again.waiting) == (0, 2)
    second = verification.queue_due(engine, policy, now=start + dt.timedelta(days=8))
    assert second.queued == 2
    after = verification.queue_due(engine, policy, now=start + dt.timedelta(days=30))
    assert (after.queued, after.marked) == (0, 2)
    with engine.connect() as connection:
        # Just after the last one it is not yet "unanswered": the owner gets interval_days.
        assert verification.marked_ids(connection, policy, now=start + dt.timedelta(days=9)) == set()
        assert verification.marked_ids(connection, policy) == {KEY, GELD}
        numbers = connection.execute(
            select(VerificationReminder.number).where(VerificationReminder.activity_id == KEY)
        ).scalars().all()
    assert sorted(numbers) == [1, 2]

    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    from bot.web.redactie import create_editors_app

    marked_settings = dataclasses.replace(settings, redactie_reminder_max=2)
    client = TestClient(Starlette(routes=[Mount("/redactie", create_editors_app(marked_settings))]),
                        follow_redirects=False)
    page = client.get("/redactie/inloggen")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert client.post("/redactie/inloggen", data={"gebruikersnaam": "beheer", "wachtwoord": PASSWORD,
                                                   "csrf": csrf}).status_code == 303
    stale = client.get("/redactie/verouderd").text
    assert stale.count("geen reactie</strong>") == 2
    listed = client.get("/redactie/?herinnering=geen_reactie").text
    assert "Koffieochtend in de buurtkamer" in listed and "Mantelzorg" not in listed
    # The owner answers (verified): the mark is gone, a new round would start from 1.
    editorial.verify(engine, KEY, "anna")
    with engine.connect() as connection:
        assert verification.marked_ids(connection, policy) == {GELD}
    assert "Koffieochtend in de buurtkamer" not in client.get("/redactie/?herinnering=geen_reactie").text


@pytest.fixture
def postgres_settings(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("WW_DATABASE_URL", postgres_url)
    return _prepare(dataclasses.replace(Settings.from_env(), redactie_stale_days=30))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_racing_schedulers_queue_each_reminder_once(request, database):
    settings = request.getfixturevalue("settings" if database == "sqlite" else "postgres_settings")
    engine = make_engine(settings.database_url)
    policy = _policy(settings)
    now = utcnow()
    reports, barrier = [], threading.Barrier(4)

    def run():
        barrier.wait()
        reports.append(verification.queue_due(engine, policy, now=now))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(r.queued for r in reports) == 2
    from bot.handoff import outbox

    with session_scope(settings.database_url) as db:
        # The operator's outbox listing shows them; a coach team's listing does not.
        lines = outbox.overview(db)
        assert sorted(line.referentie for line in lines) == [verification.KIND] * 2
        assert outbox.overview(db, team_id=1) == []
    with session_scope(settings.database_url) as db:
        assert len(db.execute(select(OutboxMessage).where(OutboxMessage.kind == verification.KIND)).all()) == 2
        # The database itself refuses a second copy of the same reminder.
        db.add(VerificationReminder(activity_id=KEY, checked_on="2026-09-14", number=1))
        with pytest.raises(IntegrityError):
            db.flush()
        db.rollback()


def test_no_address_no_mail_and_a_forged_token_is_refused(settings):
    engine = make_engine(settings.database_url)
    with session_scope(settings.database_url) as db:
        accounts.set_email(db, accounts.find_user(db, "anna"), None)
    report = verification.queue_due(engine, _policy(settings))
    assert (report.queued, report.no_address) == (1, 2)  # only the owner that is an address
    assert verification.read_token(settings.secret_key, "niet-ondertekend") is None
    token = verification.make_token(settings.secret_key, KEY, "2026-09-14")
    assert verification.read_token(settings.secret_key, token) == {"a": KEY, "c": "2026-09-14"}
    assert verification.read_token("een-andere-sleutel-van-voldoende-lengte", token) is None


def test_migration_down_and_up_on_sqlite(settings):
    from bot.handoff.db import alembic_config
    from alembic import command

    engine = make_engine(settings.database_url)
    assert verification.queue_due(engine, _policy(settings)).queued == 2
    command.downgrade(alembic_config(settings.database_url), "0003_referral_loop")
    command.upgrade(alembic_config(settings.database_url), "head")
    with session_scope(settings.database_url) as db:
        # The downgrade removed the rows that have no request (request_id is NOT NULL there).
        assert db.execute(select(OutboxMessage)).all() == []


def test_the_command_queues_once(settings, tmp_path):
    """`welzijnswijzer herinneringen` (for cron, or with WW_REDACTIE_REMINDERS=false)."""
    environment = {**os.environ, "WW_VAR_DIR": str(tmp_path / "var"), "WW_REDACTIE_STALE_DAYS": "30",
                   "RASA_TELEMETRY_ENABLED": "false"}
    environment.pop("WW_DATABASE_URL", None)
    command = [sys.executable, "-m", "bot.cli", "herinneringen"]
    first = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "verstuurd: 2, geen adres: 1" in first.stdout
    again = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert "verstuurd: 0" in again.stdout and "wachten: 2" in again.stdout
