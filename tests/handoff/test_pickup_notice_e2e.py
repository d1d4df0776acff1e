"""The pickup message end to end, on the real stack (trained Rasa model, action server,
web app, hand-off database; tests/support/stack.py):

- web: a resident opts in after the hand-off ("Ja, graag"); a coach of the team logs in
  to the real inbox and picks the request up; the next visit of that browser (a new
  conversation, only the pickup cookie left) shows the message once, without any
  personal data; then the resident asks "hoe staat mijn aanvraag?" with the code and the
  phone number (status in B1), and a wrong factor or an unknown code get the uniform
  reply; a resident who says "Nee" has no opt-in stored;
- Telegram: the real bridge (`python -m bot.telegram`) and the real sender
  (`python -m bot.handoff.sender`) against the Bot API stand-in; after the coach picks
  the request up, the sender sends the message to the resident's own chat. Rasa's
  tracker store never holds the chat id.
"""
from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import httpx
import pytest
from coach_testdata import add_coach
from handoff_walk import Resident, button, fill_form, rows, to_consent
from sqlalchemy import select
from support.stack import ChatClient, texts

from actions._teksten import fill
from bot.handoff import casework, pickup
from bot.handoff.db import session_scope
from bot.handoff.models import Coach, HandoffRequest, PickupNotice, Team
from bot.processes import process_specs
from bot.training import ensure_model
from bot.web.status.pickup import COOKIE_NAME

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "telegram"))
from telegram_botapi_standin import BotApiStandIn, TelegramChat, wait_until  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REFERENCE = re.compile(r"WW-[2-9A-Z]{6}")
PASSWORD = "coach-wachtwoord-voor-ophaalbericht"
TOKEN = "97531:TEST-pickup-token"
WEB = Resident("Wubbo Webbezoeker", "Bellen", "06-1122 3344", "Ik zit veel alleen thuis.")
NEE = Resident("Nelleke Neezegger", "E-mail", "nelleke.nee@example.org", "Liever overdag.")
TG = Resident("Tjitske Telegrammer", "Bellen", "06-5566 7788", "Ik wil graag wandelen.")
TG_CHAT = 730010142  # nine digits: unlikely to turn up by chance in a timestamp


def _hand_off(chat, resident: Resident) -> tuple[str, list[dict]]:
    """The whole hand-off; returns the reference code and the bot's last replies."""
    summary = fill_form(chat, resident, to_consent(chat))
    confirmed = chat.click(button(summary, "Ja"))
    [code] = set(REFERENCE.findall(texts(confirmed)))
    return code, confirmed


def _team_coach(stack, code: str, username: str) -> int:
    with session_scope(stack.settings.database_url) as session:
        team_id = session.execute(
            select(Team.id).join(HandoffRequest, HandoffRequest.team_id == Team.id)
            .where(HandoffRequest.reference_code == code)).scalar_one()
    return add_coach(stack.settings, team_id, username, PASSWORD)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _notice(stack, code: str) -> PickupNotice | None:
    with session_scope(stack.settings.database_url) as session:
        notice = session.execute(
            select(PickupNotice).join(HandoffRequest).where(HandoffRequest.reference_code == code)
        ).scalar_one_or_none()
        if notice is not None:
            session.expunge(notice)
        return notice


def test_web_resident_sees_at_the_next_visit_that_a_coach_picked_up(stack):
    chat = ChatClient(stack)
    try:
        code, confirmed = _hand_off(chat, WEB)
        assert "kort bericht" in texts(confirmed)  # the opt-in question follows the confirmation
        answer = chat.click(button(confirmed, "Ja, graag"))
        assert "op dit apparaat" in texts(answer), answer
        # The marker stays inside the server.
        assert all("ophaalbericht" not in str(m.get("custom") or "") for m in answer)
        token_cookie = chat.http.cookies.get(COOKIE_NAME)
        assert token_cookie
    finally:
        chat.close()
    notice = _notice(stack, code)
    assert notice.channel == "web" and notice.token_hash and notice.due_at is None

    with httpx.Client(base_url=stack.web_url, cookies={COOKIE_NAME: token_cookie}, timeout=60) as browser:
        assert browser.get("/api/chat/geschiedenis").json() == {"messages": []}  # not picked up yet

        _team_coach(stack, code, "coach-ophaal-web")
        with httpx.Client(base_url=stack.web_url, follow_redirects=False, timeout=60) as coach:
            page = coach.get("/coach/inloggen")
            assert coach.post("/coach/inloggen", data={"gebruikersnaam": "coach-ophaal-web",
                                                       "wachtwoord": PASSWORD,
                                                       "csrf": _csrf(page.text)}).status_code == 303
            detail = coach.get(f"/coach/aanvragen/{code}")
            claimed = coach.post(f"/coach/aanvragen/{code}/oppakken", data={"csrf": _csrf(detail.text)})
            assert claimed.status_code == 303

        visit = browser.get("/api/chat/geschiedenis")  # a new conversation: only the pickup cookie
        messages = visit.json()["messages"]
        assert [m["text"] for m in messages] == [pickup.notice_text()]
        for personal in (code, WEB.name, "Wubbo", WEB.contact, "Hilversum"):
            assert personal not in visit.text
        browser.cookies.set(COOKIE_NAME, token_cookie)  # even a kept cookie shows it only once
        assert browser.get("/api/chat/geschiedenis").json() == {"messages": []}
    assert _notice(stack, code).sent_at is not None

    # The same resident asks in a new chat how the request stands: code plus the phone
    # number as the second factor gives the status in B1; a wrong factor and an unknown
    # code get one uniform reply.
    for question, factor, expected in (
        (f"hoe staat mijn aanvraag {code}?", WEB.contact, fill("status_inwoner_opgepakt")),
        (f"hoe staat mijn aanvraag {code}?", "06-9999 0001", fill("status_controle_mislukt")),
        ("hoe staat mijn aanvraag WW-ZZ2345?", WEB.contact, fill("status_controle_mislukt")),
    ):
        chat = ChatClient(stack)
        try:
            asked = chat.say(question)
            assert "Ter controle" in texts(asked), asked
            assert expected in texts(chat.say(factor))
        finally:
            chat.close()


def test_no_means_no_opt_in_is_stored(stack):
    chat = ChatClient(stack)
    try:
        code, confirmed = _hand_off(chat, NEE)
        answer = chat.click(button(confirmed, "Nee"))
        assert "referentiecode" in texts(answer), answer
        assert COOKIE_NAME not in chat.http.cookies
    finally:
        chat.close()
    assert rows(stack, HandoffRequest, reference_code=code) == 1
    assert _notice(stack, code) is None


@pytest.fixture(scope="module")
def telegram(stack):
    """The bridge and the sender as `make run` starts them (bot.processes), next to the shared stack."""
    with BotApiStandIn(TOKEN) as stand_in:
        settings = dataclasses.replace(stack.settings, telegram_bot_token=TOKEN)
        specs = {s.name: s for s in process_specs(settings, ensure_model())}
        env = {"TELEGRAM_BOT_TOKEN": TOKEN, "WW_TELEGRAM_API_BASE_URL": stand_in.base_url,
               "WW_SENDER_POLL_SECONDS": "0.5", "WW_SENDER_PURGE": "false"}
        stack.start(specs["telegram"], env)
        stack.start(specs["sender"], env)
        try:
            yield stand_in
        finally:
            stack.stop("sender")
            stack.stop("telegram")


def test_telegram_resident_gets_the_message_in_their_own_chat(stack, telegram):
    chat = TelegramChat(telegram, TG_CHAT)
    chat.say("/start")
    code, confirmed = _hand_off(chat, TG)
    answer = chat.click(button(confirmed, "Ja, graag"))
    assert "Telegram" in texts(answer), answer
    notice = _notice(stack, code)
    assert notice.channel == "telegram" and notice.address_encrypted
    assert str(TG_CHAT) not in notice.address_encrypted

    sent_before = len(chat.calls("sendMessage"))
    coach_id = _team_coach(stack, code, "coach-ophaal-tg")
    with session_scope(stack.settings.database_url) as session:
        coach = session.get(Coach, coach_id)
        casework.claim(session, coach, casework.find_request(session, coach, code))  # the inbox's own call

    def arrived():
        return any(m["text"].strip() == pickup.notice_text() for m in chat.calls("sendMessage")[sent_before:])

    assert wait_until(arrived, 60), chat.calls("sendMessage")[sent_before:]
    [message] = [m for m in chat.calls("sendMessage")[sent_before:]
                 if m["text"].strip() == pickup.notice_text()]
    for personal in (code, TG.name, TG.contact):
        assert personal not in message["text"]
    events = "\n".join(str(row) for row in stack.tracker_rows())  # SQLite or PostgreSQL, as the run's back end
    assert "Ja, graag" in events or "bevestigen" in events  # the tracker is really searched
    assert str(TG_CHAT) not in events
