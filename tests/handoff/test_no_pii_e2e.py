"""Contact details never reach Rasa's tracker store or any log.

Two residents (phone and e-mail) go through the whole hand-off in the web chat,
with Rasa's SQL tracker store on SQLite, at INFO and at DEBUG log level. Then
the tracker database (file bytes and the events table) and every log file are
searched for the name, the phone number (as typed and normalised), the e-mail
address and the note. None may be found.

The same holds for the professional side of the loop: a verwijzer logs in to the
referrer portal (/verwijzer) of the real web app and refers a resident (planted name,
phone, e-mail and reason); a coach of the team logs in to the inbox, records the first
contact, the outcome and a feedback text that names the resident again; the verwijzer
reads the feedback. Then the same search finds none of it (the shared stack at INFO, and
a stack at DEBUG with the notification sender running).
"""
from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from coach_testdata import add_coach
from handoff_walk import Resident, button, fill_form, leaks, to_consent
from sqlalchemy import select
from support.stack import ChatClient, texts

from bot.handoff.db import session_scope
from bot.handoff.models import HandoffRequest, Team
from bot.referral import professional

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = Resident("Zwaantje Kwikstaart", "Bellen", "06-2468 1357", "Mijn buurvrouw Pietje Puk helpt soms.")
EMAIL = Resident("Olivier Oeverloper", "E-mail", "olivier.oeverloper@example.org",
                 "Bel liever niet na vijven.")
SECRETS = [PHONE.name, "Kwikstaart", PHONE.contact, "0624681357", "2468 1357", PHONE.note, "Pietje Puk",
           EMAIL.name, "Oeverloper", EMAIL.contact, EMAIL.note]


def run_flows(stack) -> None:
    for resident in (PHONE, EMAIL):
        chat = ChatClient(stack)
        try:
            summary = fill_form(chat, resident, to_consent(chat))
            assert resident.name in texts(summary)  # the resident does see their own details
            assert re.search(r"WW-[2-9A-Z]{6}", texts(chat.say(button(summary, "Ja"))))
        finally:
            chat.close()


# The professional referral and the feedback (planted, distinct from the chat's).
PRO_NAME, PRO_PHONE, PRO_EMAIL = "Gerbrand Gieterij", "06-9753 1864", "gerbrand.gieterij@example.org"
PRO_REASON = "Sinds zijn vrouw Hendrika Hoornbloem verhuisde zit hij veel alleen."
FEEDBACK = "Meneer Gieterij gaat elke dinsdag naar de wandelgroep; bel hem gerust op 06-9753 1864."
PRO_SECRETS = [PRO_NAME, "Gieterij", PRO_PHONE, "0697531864", "9753 1864", PRO_EMAIL, PRO_REASON,
               "Hoornbloem", FEEDBACK, "elke dinsdag naar de wandelgroep"]
PASSWORD = "verwijzer-en-coach-wachtwoord"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client: httpx.Client, portal: str, username: str) -> None:
    page = client.get(f"/{portal}/inloggen")
    response = client.post(f"/{portal}/inloggen", data={
        "gebruikersnaam": username, "wachtwoord": PASSWORD, "csrf": _csrf(page.text)})
    assert response.status_code == 303, response.text


def run_professional_flow(stack, tag: str) -> str:
    """A verwijzer refers, the coach records contact, outcome and feedback, the verwijzer reads it."""
    with session_scope(stack.settings.database_url) as db:
        professional.add_organisation(db, f"praktijk-{tag}", "Huisartsenpraktijk Het Anker",
                                      "huisartsenpraktijk", f"praktijk-{tag}@example.org")
        professional.add_referrer(db, f"dokter-{tag}", PASSWORD, f"praktijk-{tag}")
    with httpx.Client(base_url=stack.web_url, follow_redirects=False, timeout=60) as referrer:
        _login(referrer, "verwijzer", f"dokter-{tag}")
        page = referrer.get("/verwijzer/nieuw")
        sent = referrer.post("/verwijzer/nieuw", data={
            "csrf": _csrf(page.text),
            "formulier_id": re.search(r'name="formulier_id" value="([^"]+)"', page.text).group(1),
            "organisatie": f"praktijk-{tag}", "naam": PRO_NAME,
            "contact": PRO_PHONE if tag == "info" else PRO_EMAIL,
            "moment": "middag", "woonplaats": "Hilversum", "themas": ["eenzaamheid"], "reden": PRO_REASON,
            "toestemming": "ja"})
        assert sent.status_code == 303, sent.text
        code = sent.headers["location"].rsplit("/", 1)[1]

        with session_scope(stack.settings.database_url) as db:
            team_id = db.execute(select(Team.id).join(HandoffRequest, HandoffRequest.team_id == Team.id)
                                 .where(HandoffRequest.reference_code == code)).scalar_one()
        add_coach(stack.settings, team_id, f"coach-{tag}", PASSWORD)
        with httpx.Client(base_url=stack.web_url, follow_redirects=False, timeout=60) as coach:
            _login(coach, "coach", f"coach-{tag}")
            detail = coach.get(f"/coach/aanvragen/{code}")
            assert PRO_NAME in detail.text  # the coach does see the details
            csrf = _csrf(detail.text)
            for path, data in (
                ("contact", {"datum": date.today().isoformat(), "manier": "telefonisch"}),
                ("uitkomst", {"uitkomst": "succesvol doorverwezen", "gesprekken": "2",
                              "activiteit": "Wandelgroep Hilversum"}),
                ("terugkoppeling", {"terugkoppeling": FEEDBACK}),
            ):
                done = coach.post(f"/coach/aanvragen/{code}/{path}", data={"csrf": csrf, **data})
                assert done.status_code == 303, (path, done.text)

        feedback = referrer.get(f"/verwijzer/verwijzingen/{code}")
        assert feedback.status_code == 200 and "wandelgroep" in feedback.text  # the verwijzer reads it
    return code


def test_no_contact_details_in_tracker_or_logs_at_info(stack):
    run_flows(stack)
    run_professional_flow(stack, "info")
    assert leaks(stack, SECRETS + PRO_SECRETS) == []


# debug_stack (tests/conftest.py): the shared stack at DEBUG with the notification sender; the
# planted details here are this module's own, so the other tests on it do not matter.
def test_no_contact_details_in_tracker_or_logs_at_debug(debug_stack):
    run_flows(debug_stack)
    run_professional_flow(debug_stack, "debug")
    assert "DEBUG" in debug_stack.log_text()
    assert "sender" in debug_stack.log_text()  # the sender's log is searched too
    assert leaks(debug_stack, SECRETS + PRO_SECRETS) == []
