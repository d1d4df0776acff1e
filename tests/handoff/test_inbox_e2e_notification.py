"""Coach side through the real stack: a resident's confirmed hand-off is
notified by the sender process over SMTP (without contact details), and the
coach finds it in the inbox of the real web app, with the view audited."""
from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest
from handoff_standins import SmtpStandIn
from handoff_walk import Resident, button, fill_form, to_consent
from sqlalchemy import create_engine, select
from support.stack import ChatClient, texts

from bot.handoff.models import AuditLogEntry, OutboxMessage
from bot.settings import PROJECT_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

KEES = Resident("Kees Proefpersoon", "E-mail", "kees.proef@example.org",
                "Ik wil graag meer mensen leren kennen.")
REFERENCE = re.compile(r"WW-[2-9A-Z]{6}")
PASSWORD = "coach-wachtwoord-lang"


def _cli(stack, *args, stdin="", **env):
    result = subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT,
                            env={**stack.env, **env}, input=stdin, text=True, capture_output=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _outbox_states(stack):
    engine = create_engine(stack.settings.database_url, future=True)
    with engine.connect() as connection:
        states = connection.execute(select(OutboxMessage.state)).scalars().all()
    engine.dispose()
    return states


def _conversation_count(stack):
    return stack.tracker_conversation_count()  # Rasa's tracker store, SQLite or PostgreSQL


def test_notification_and_inbox_through_the_stack(start_stack):
    with SmtpStandIn() as smtp:
        extra = {"WW_SMTP_HOST": "127.0.0.1", "WW_SMTP_PORT": str(smtp.port), "WW_SENDER_POLL_SECONDS": "0.5"}
        with start_stack("inbox", extra_env=extra, with_sender=True) as stack:
            _cli(stack, "team", "add", "versa-welzijn", "--email", "versa-coaches@example.org")
            _cli(stack, "coach", "add", "sanne", "--team", "versa-welzijn", "--password-stdin",
                 stdin=PASSWORD + "\n")

            chat = ChatClient(stack)
            try:
                summary = fill_form(chat, KEES, to_consent(chat))
                confirmation = chat.say(button(summary, "Ja"))
            finally:
                chat.close()
            [reference] = set(REFERENCE.findall(texts(confirmation)))

            [mail] = smtp.wait_for(1, timeout=60)
            deadline = time.monotonic() + 30
            while _outbox_states(stack) != ["delivered"] and time.monotonic() < deadline:
                time.sleep(0.3)
            assert _outbox_states(stack) == ["delivered"]

            body = mail.get_payload(decode=True).decode()
            assert mail["To"] == "versa-coaches@example.org"
            assert reference in mail["Subject"] and "Hilversum" in body
            assert f"{stack.web_url}/coach/aanvragen/{reference}" in body
            for secret in (KEES.name, "Kees", KEES.contact, KEES.note):
                assert secret not in mail.as_string()

            with httpx.Client(base_url=stack.web_url, follow_redirects=False, timeout=30) as coach:
                login_page = coach.get("/coach/inloggen")
                csrf = re.search(r'name="csrf" value="([^"]+)"', login_page.text).group(1)
                logged_in = coach.post("/coach/inloggen", data={
                    "gebruikersnaam": "sanne", "wachtwoord": PASSWORD, "csrf": csrf})
                assert logged_in.status_code == 303
                listing = coach.get("/coach/aanvragen")
                assert reference in listing.text and KEES.contact not in listing.text
                detail = coach.get(f"/coach/aanvragen/{reference}")
                assert KEES.name in detail.text and KEES.contact in detail.text
                assert detail.headers["x-frame-options"] == "DENY"
                csrf = re.search(r'name="csrf" value="([^"]+)"', detail.text).group(1)
                closed = coach.post(f"/coach/aanvragen/{reference}/status",
                                    data={"csrf": csrf, "status": "afgerond"})
                assert closed.status_code == 303

                # Retention purge with zero-day periods: the closed request's details and
                # the conversation in Rasa's real tracker store both go.
                assert _conversation_count(stack) >= 1
                report = _cli(stack, "purge", WW_RETENTION_DAYS="0", WW_RETENTION_TRACKER_DAYS="0")
                assert "contactgegevens verwijderd bij 1 aanvragen" in report
                assert _conversation_count(stack) == 0
                after = coach.get(f"/coach/aanvragen/{reference}")
                assert KEES.contact not in after.text and "contactgegevens zijn verwijderd" in after.text

            engine = create_engine(stack.settings.database_url, future=True)
            with engine.connect() as connection:
                audit = connection.execute(
                    select(AuditLogEntry.actor).where(AuditLogEntry.reference_code == reference,
                                                      AuditLogEntry.action == "bekeken")).scalars().all()
            engine.dispose()
            assert audit == ["sanne", "sanne"]  # the detail page was opened twice
            # No log line of any process carries the contact details.
            logs = stack.log_text()
            assert KEES.contact not in logs and KEES.name not in logs
