"""The warm hand-off on Telegram, end to end: the real stack (trained Rasa model,
action server, hand-off database; tests/support/stack.py) with the real bridge
(`python -m bot.telegram`, at DEBUG) talking to the local Bot API stand-in.

Two residents (phone in Hilversum, e-mail in Amstelveen) type and press inline
buttons through the whole hand-off. Then: each request is stored once, for
the team of its gemeente, with readable contact details (through the coach's
casework API) and its consent record; nothing they typed is in Rasa's tracker
store or any process log; every button was a callback query. A third resident
types a crisis sentence where the bot asks for a phone number and gets 113.
"""
from __future__ import annotations

import dataclasses
import re

import pytest
from handoff.coach_testdata import add_coach
from handoff.handoff_walk import Resident, button, fill_form, leaks, rows, to_consent
from sqlalchemy import select
from support.stack import texts
from telegram_botapi_standin import BotApiStandIn, TelegramChat

from bot.channel_messages import channel_text
from bot.handoff.casework import CaseworkError, find_request, view_contact
from bot.handoff.crypto import Cipher
from bot.handoff.db import session_scope
from bot.handoff.models import Coach, ConsentRecord, ContactDraft, HandoffRequest, Team
from bot.handoff.routing import TeamRouting
from bot.handoff.store import HandoffStore
from bot.processes import process_specs
from bot.telegram.bridge import telegram_sender_id
from bot.training import ensure_model

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TOKEN = "246810:TEST-handoff-token"
REFERENCE = re.compile(r"WW-[2-9A-Z]{6}")


@dataclasses.dataclass(frozen=True)
class TelegramResident:
    chat_id: int
    resident: Resident
    place: str
    gemeente_code: str
    stored_contact: str  # as the intake normalises it
    route: str


PHONE = TelegramResident(
    7300001, Resident("Telgard Bolderkamp", "Bellen", "06-3579 2468", "Neef Berend Botermelk komt soms."),
    "Hilversum", "GM0402", "0635792468", "telefoon")
EMAIL = TelegramResident(
    7300002, Resident("Femke Fluitketel", "E-mail", "femke.fluitketel@example.org", "Liever geen telefoon."),
    "Amstelveen", "GM0362", "femke.fluitketel@example.org", "email")
RESIDENTS = [PHONE, EMAIL]
SECRETS = [PHONE.resident.name, "Bolderkamp", PHONE.resident.contact, "0635792468", "3579 2468",
           PHONE.resident.note, "Botermelk", EMAIL.resident.name, "Fluitketel", EMAIL.resident.contact,
           EMAIL.resident.note]


@pytest.fixture(scope="module")
def botapi(stack):
    """The bridge as `make run` starts it (bot.processes), next to the shared stack."""
    with BotApiStandIn(TOKEN) as stand_in:
        settings = dataclasses.replace(stack.settings, telegram_bot_token=TOKEN)
        [bridge] = [s for s in process_specs(settings, ensure_model()) if s.name == "telegram"]
        stack.start(bridge, {"TELEGRAM_BOT_TOKEN": TOKEN, "WW_TELEGRAM_API_BASE_URL": stand_in.base_url,
                             "LOG_LEVEL": "DEBUG"})
        try:
            yield stand_in
        finally:
            stack.stop("telegram")


@pytest.fixture(scope="module")
def handoffs(stack, botapi):
    """Both residents through the whole hand-off; per resident what the test needs later."""
    done = {}
    for who in RESIDENTS:
        chat = TelegramChat(botapi, who.chat_id)
        presses = (len(botapi.calls_of("answerCallbackQuery")), len(chat.calls("editMessageReplyMarkup")))
        chat.say("/start")
        consent = to_consent(chat, who.place)
        summary = fill_form(chat, who.resident, consent)
        assert who.resident.name in texts(summary)  # the resident does see their own details
        confirm = button(summary, "Ja")
        confirmed = chat.click(confirm)
        [code] = set(REFERENCE.findall(texts(confirmed)))
        again = chat.click_old(confirm)  # a second press on "Ja, versturen"
        done[who] = {"code": code, "consent": consent, "summary": summary, "again": again,
                     "answered": len(botapi.calls_of("answerCallbackQuery")) - presses[0],
                     "keyboards_removed": len(chat.calls("editMessageReplyMarkup")) - presses[1]}
    return done


def _digest(stack, chat_id: int) -> str:
    store = HandoffStore.from_settings(stack.settings)
    return store.sender_hash(telegram_sender_id(stack.settings.secret_key, chat_id))


def _coach(stack, team_code: str, username: str) -> int:
    """A coach account in the team (the team row exists once a request was routed to it)."""
    with session_scope(stack.settings.database_url) as session:
        team_id = session.execute(select(Team.id).where(Team.code == team_code)).scalar_one()
    return add_coach(stack.settings, team_id, username, "wachtwoord-voor-tests")


@pytest.mark.parametrize("who", RESIDENTS, ids=["telefoon", "email"])
def test_request_is_stored_once_for_the_team_of_the_gemeente(stack, handoffs, who):
    code = handoffs[who]["code"]
    team_code = TeamRouting.load().route(who.gemeente_code).code
    assert rows(stack, HandoffRequest, sender_hash=_digest(stack, who.chat_id)) == 1
    assert rows(stack, HandoffRequest, reference_code=code) == 1
    # The second press on "Ja, versturen" got the bridge's own answer and stored nothing more.
    assert handoffs[who]["again"] == channel_text("telegram", "oude_knop")

    coach_id = _coach(stack, team_code, f"coach-tg-{who.chat_id}")
    cipher = Cipher(stack.settings.fernet_keys)
    with session_scope(stack.settings.database_url) as session:
        coach = session.get(Coach, coach_id)
        request = find_request(session, coach, code)  # scoped to the coach's team
        view = view_contact(session, cipher, coach, request)
        stored = (request.channel, request.gemeente_code, request.contact_route, request.preferred_moment)
        request_id = request.id
    assert stored == ("telegram", who.gemeente_code, who.route, "ochtend")
    assert (view.name, view.contact, view.note) == (who.resident.name, who.stored_contact, who.resident.note)
    assert rows(stack, ConsentRecord, request_id=request_id, channel="telegram") == 1


def test_a_coach_of_another_team_does_not_find_the_request(stack, handoffs):
    assert TeamRouting.load().route(EMAIL.gemeente_code).code != "versa-welzijn"
    coach_id = _coach(stack, "versa-welzijn", "coach-tg-versa")
    with session_scope(stack.settings.database_url) as session, pytest.raises(CaseworkError):
        find_request(session, session.get(Coach, coach_id), handoffs[EMAIL]["code"])


def test_contact_details_typed_on_telegram_reach_neither_tracker_nor_logs(stack, handoffs):
    logs = stack.log_text()
    assert "telegram bridge polling" in logs and "via telegram" in logs  # the bridge's logs are searched
    assert leaks(stack, SECRETS) == []


def test_buttons_are_inline_keyboards_answered_as_callback_queries(handoffs):
    for who in RESIDENTS:
        for step in ("consent", "summary"):
            keys = [b["payload"] for m in handoffs[who][step] for b in m["buttons"]]
            # Callback data is a short key, never the Rasa payload itself.
            assert keys and all(len(k.encode()) <= 64 and not k.startswith("/") for k in keys), keys
        # Presses: consent "Ja", route, moment, "Ja, versturen" (each removes its keyboard),
        # and the second, old press on "Ja, versturen" (answered, nothing else).
        assert (handoffs[who]["answered"], handoffs[who]["keyboards_removed"]) == (5, 4)


def _draft(stack, chat_id: int) -> ContactDraft:
    with session_scope(stack.settings.database_url) as session:
        draft = session.execute(
            select(ContactDraft).where(ContactDraft.sender_hash == _digest(stack, chat_id))).scalar_one()
        session.expunge(draft)
    return draft


def test_crisis_while_giving_the_phone_number_gets_113(stack, botapi):
    chat = TelegramChat(botapi, 7300003)
    chat.say("/start")
    consent = to_consent(chat)
    chat.click(button(consent, "Ja"))
    asked_route = chat.say("Cris Proef")
    asked_number = chat.click(button(asked_route, "Bellen"))
    assert "telefoonnummer" in texts(asked_number), asked_number
    assert _draft(stack, chat.chat_id).expected_field == "contact"  # the intake waits for the number
    crisis = chat.say("ik wil niet meer leven")
    assert "113" in texts(crisis), crisis
    assert _draft(stack, chat.chat_id).contact_encrypted is None  # the sentence went to Rasa, not the draft
