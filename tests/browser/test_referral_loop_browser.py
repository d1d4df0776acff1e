"""The Welzijn op Recept loop in a real browser (Debian's chromium via Playwright) against
the real web app served by uvicorn on 127.0.0.1, with a real migrated SQLite database:

a verwijzer logs in and refers a resident -> a coach of the right team sees it, records
the first contact and the outcome, writes feedback -> the verwijzer sees the feedback;
a verwijzer of another practice and a coach of another team see nothing of it. axe-core
finds no WCAG 2.1 A/AA violation on the referrer pages and the figures page. No contact
detail or feedback text appears in any log record of the web app (DEBUG) or in the outbox.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import socket
import threading
import time

import pytest
from browser_support import PASSWORD, axe_violations, log_in
from sqlalchemy import select

from bot import accounts
from bot.handoff.db import migrate, session_scope
from bot.handoff.models import AuditLogEntry, Coach, HandoffRequest, OutboxMessage, Team
from bot.referral import professional
from bot.settings import Settings

NAME, PHONE, FEEDBACK = "Els Vermeulen", "06 11 22 33 44", "Mevrouw doet nu mee met de wandelgroep."


class LogCatcher(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage() + " " + str(record.args or ""))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("loop")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("WW_VAR_DIR", str(var))
    monkey.delenv("WW_DATABASE_URL", raising=False)
    monkey.delenv("WW_REDIS_URL", raising=False)
    settings = dataclasses.replace(Settings.from_env(), smtp_host="127.0.0.1")
    migrate(settings.database_url)
    with session_scope(settings.database_url) as db:
        for code, naam, coach in (
            ("versa-welzijn", "Welzijnscoaches Versa Welzijn", "anna"),
            ("meerwaarde", "Welzijnscoaches MeerWaarde", "bram"),
        ):
            team = Team(code=code, naam=naam)
            db.add(team)
            db.flush()
            user = accounts.create_user(db, coach, PASSWORD)
            accounts.grant(db, user, "coach", accounts.SCOPE_TEAM, code)
            db.add(Coach(username=coach, account_id=user.id, team_id=team.id))
        lead = accounts.create_user(db, "lead.versa", PASSWORD)
        accounts.grant(db, lead, "teamleider", accounts.SCOPE_TEAM, "versa-welzijn")
        professional.add_organisation(
            db, "linde", "Huisartsenpraktijk De Linde", "huisartsenpraktijk", "praktijk@example.org"
        )
        professional.add_organisation(db, "fysio-oost", "Fysiotherapie Oost", "fysiotherapie")
        professional.add_referrer(db, "dr.jansen", PASSWORD, "linde")
        professional.add_referrer(db, "fysio.piet", PASSWORD, "fysio-oost")

    import uvicorn

    from bot.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    catcher = LogCatcher()
    logging.getLogger().addHandler(catcher)
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    # An earlier in-process uvicorn with its default dictConfig leaves its loggers
    # unpropagated (and dictConfig may disable loggers): undo that while this module runs,
    # so every record of the web app reaches the catcher whatever ran before.
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    saved = [(logger, logger.propagate, logger.disabled) for logger in loggers]
    for logger in loggers:
        logger.propagate, logger.disabled = True, False
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=port,
            log_level="debug",
            access_log=True,
            log_config=None,
            ws="none",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started
    yield settings, f"http://127.0.0.1:{port}", catcher
    server.should_exit = True
    thread.join(timeout=20)
    logging.getLogger().removeHandler(catcher)
    logging.getLogger().setLevel(old_level)
    for logger, propagate, disabled in saved:
        logger.propagate, logger.disabled = propagate, disabled
    monkey.undo()


def test_the_loop_from_referral_to_feedback(site, new_page):
    settings, base, catcher = site
    # 1. The verwijzer refers; the medical-data check stops a diagnosis first.
    gp = new_page()
    log_in(gp, base, "verwijzer", "dr.jansen")
    gp.get_by_role("link", name="Nieuwe verwijzing", exact=True).click()
    assert axe_violations(gp) == []
    gp.get_by_label("Naam van de inwoner").fill(NAME)
    gp.get_by_label("Telefoonnummer of e-mailadres van de inwoner").fill(PHONE)
    gp.get_by_label("'s Middags").check()
    gp.get_by_label("Woonplaats of gemeente van de inwoner").fill("Bussum")
    gp.get_by_label("Eenzaamheid en een klein netwerk").check()
    gp.get_by_label("Waarom verwijs je de inwoner?").fill("Heeft een depressie en gebruikt oxazepam.")
    gp.get_by_label("Ja, dit klopt").check()
    gp.get_by_role("button", name="Verwijzing versturen").click()
    assert "Dit lijken medische gegevens" in gp.content() and "oxazepam" in gp.content()
    assert axe_violations(gp) == []  # the form with its warnings
    gp.get_by_label("Waarom verwijs je de inwoner?").fill("Zit sinds de verhuizing veel alleen thuis.")
    gp.get_by_label("Ja, dit klopt").check()
    gp.get_by_role("button", name="Verwijzing versturen").click()
    gp.wait_for_url(re.compile(r"/verwijzer/verwijzingen/WW-"))
    reference = gp.url.rsplit("/", 1)[1]
    assert "De verwijzing is verstuurd" in gp.content()
    assert axe_violations(gp) == []

    # 2. A coach of the team of Gooise Meren (Bussum) sees it, records contact, outcome, feedback.
    coach = new_page()
    log_in(coach, base, "coach", "anna")
    row = coach.get_by_role("row").filter(has_text=reference)
    assert "verwijzer: linde" in row.inner_text()
    coach.get_by_role("link", name=reference).click()
    assert "Huisartsenpraktijk De Linde" in coach.content() and NAME in coach.content()
    coach.get_by_label("Telefonisch").check()
    coach.get_by_role("button", name="Eerste contact opslaan").click()
    assert "Het eerste contact is vastgelegd." in coach.content()
    coach.get_by_label("Aantal gesprekken").fill("2")
    coach.get_by_label("Gekozen activiteit").fill("Wandelgroep De Stap")
    coach.get_by_label("Uitkomst", exact=True).select_option("succesvol doorverwezen")
    coach.get_by_role("button", name="Uitkomst opslaan").click()
    assert "De uitkomst is vastgelegd." in coach.content()
    coach.get_by_label("Terugkoppeling", exact=True).fill(FEEDBACK)
    coach.get_by_role("button", name="Terugkoppeling opslaan").click()
    assert "De terugkoppeling is opgeslagen." in coach.content()

    # 3. The verwijzer sees status, outcome and feedback.
    gp.goto(f"{base}/verwijzer/verwijzingen/{reference}")
    text = gp.content()
    assert FEEDBACK in text and "succesvol doorverwezen" in text and "Afgerond." in text
    assert axe_violations(gp) == []
    gp.goto(f"{base}/verwijzer/verwijzingen")
    assert reference in gp.content()
    assert axe_violations(gp) == []

    # 4. Another practice and a coach of another team see nothing of it.
    other = new_page()
    log_in(other, base, "verwijzer", "fysio.piet")
    assert reference not in other.content()
    other.goto(f"{base}/verwijzer/verwijzingen/{reference}")
    assert "niet van jouw praktijk" in other.content() and FEEDBACK not in other.content()
    bram = new_page()
    log_in(bram, base, "coach", "bram")
    assert reference not in bram.content()
    bram.goto(f"{base}/coach/aanvragen/{reference}")
    assert "hoort niet bij jouw team" in bram.content() and NAME not in bram.content()

    # 5. The figures page of the team lead: accessible, and small numbers suppressed.
    lead = new_page()
    log_in(lead, base, "cijfers", "lead.versa")
    assert "&lt;5" in lead.content() or "<5" in lead.inner_text("main")
    assert axe_violations(lead) == []

    # 6. No contact detail and no feedback text in any log record or outbox payload.
    secrets = (NAME, "Vermeulen", "0611223344", PHONE, FEEDBACK, "verhuizing")
    logged = "\n".join(catcher.lines)
    assert logged  # the server did log (requests at DEBUG)
    for secret in secrets:
        assert secret not in logged, secret
    with session_scope(settings.database_url) as db:
        request = db.execute(
            select(HandoffRequest).where(HandoffRequest.reference_code == reference)
        ).scalar_one()
        assert request.source == "verwijzer" and request.team.code == "versa-welzijn"
        payloads = " ".join(str(o.payload) for o in db.execute(select(OutboxMessage)).scalars())
        audit = " ".join(
            f"{a.actor} {a.action} {a.detail}" for a in db.execute(select(AuditLogEntry)).scalars()
        )
        assert "terugkoppeling" in payloads and "praktijk@example.org" in payloads
        for secret in secrets:
            assert secret not in payloads and secret not in audit, secret
