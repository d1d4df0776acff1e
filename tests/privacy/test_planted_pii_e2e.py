"""Planted contact details never reach Rasa, whenever they are typed, on both channels.

The real stack at DEBUG (trained Rasa model with its SQL tracker store on
SQLite, action server, web app; tests/support/stack.py) and the real Telegram
bridge against the Bot API stand-in. On each channel a resident types a name,
phone numbers, an e-mail address, an IBAN, a BSN and street addresses

- at the greeting,
- inside a worry,
- mid-search, as the answer to the place question,
- in a crisis message,
- mid-form, where the hand-off asks for the phone number (a crisis sentence,
  which the intake passes on to the dialogue).

The bot says that it does not keep such details and offers the hand-off, but
still handles the worry, still asks for and understands the place, and still
gives the crisis line. Then Rasa's tracker database (file bytes and events) and
every process log are searched for every planted value: 0 hits.
"""
from __future__ import annotations

import dataclasses

import pytest
from handoff.handoff_walk import button, leaks, to_consent
from support.stack import ChatClient, texts
from telegram_botapi_standin import BotApiStandIn, TelegramChat

from bot.channel_messages import channel_text
from bot.processes import process_specs
from bot.training import ensure_model

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TOKEN = "271828:TEST-planted-pii-token"
NOTICE = channel_text("relay", "contactgegeven", soort="§").split("§")[0]
FORM_NAME = "Proefje Kwastenbinder"


@dataclasses.dataclass(frozen=True)
class Planted:
    """Details of one resident; every value is unique to this test."""

    name: str
    surname: str
    phone: str
    phone_digits: str
    email: str
    iban: str
    bsn: str
    street: str
    crisis_name: str
    form_street: str

    def secrets(self) -> list[str]:
        return [self.name, self.surname, self.phone, self.phone_digits, self.phone_digits[2:], self.email,
                self.email.split("@")[0], self.iban, self.iban.replace(" ", ""), self.bsn,
                self.street, self.street.split()[0], self.crisis_name, self.form_street,
                self.form_street.split()[0], FORM_NAME, FORM_NAME.split()[1]]


WEB = Planted("Wilhelmina Zeepsop", "Zeepsop", "06-1357 9753", "0613579753", "w.zeepsop@voorbeeld.nl",
              "NL02 ABNA 0123 4567 89", "111222333", "Klaproosstraat 17", "Gijsbert Vlonderhout",
              "Kievitlaan 88")
TELEGRAM = Planted("Hendrika Wolkenkrabber", "Wolkenkrabber", "+31 6 2468 0246", "0624680246",
                   "h.wolkenkrabber@voorbeeld.nl", "NL39 RABO 0300 0652 64", "123456782",
                   "Zonnebloemweg 23b", "Evert Slootgraver", "Meidoornhof 41")


def walk(chat, planted: Planted) -> dict[str, list[dict]]:
    """The resident's conversation; returns the bot's messages per moment."""
    seen = {}
    if isinstance(chat, TelegramChat):
        chat.say("/start")
    seen["greeting"] = chat.say(f"Hallo, ik ben {planted.name}. Mijn nummer is {planted.phone}")
    seen["worry"] = chat.say(f"ik voel me zo eenzaam de laatste tijd. Mail me op {planted.email}")
    seen["place"] = chat.say(f"ik woon op de {planted.street} in Hilversum, mijn bsn is {planted.bsn}")
    seen["crisis"] = chat.say(f"ik wil niet meer leven. mijn naam is {planted.crisis_name}, "
                              f"mijn iban is {planted.iban}")
    # A fresh start of the hand-off, up to the question for the phone number.
    consent = to_consent(chat)
    asked_name = chat.click(button(consent, "Ja"))
    assert "noemt" in texts(asked_name), asked_name
    asked_route = chat.say(FORM_NAME)  # the name the form asked for: the intake keeps it
    asked_number = chat.click(button(asked_route, "Bellen"))
    assert "telefoonnummer" in texts(asked_number), asked_number
    seen["form"] = chat.say(f"ik wil niet meer leven, ik woon op de {planted.form_street}")
    return seen


def check_answers(seen: dict[str, list[dict]]) -> None:
    # Outside a hand-off the bot says it does not keep the detail, with the hand-off button.
    for moment in ("greeting", "worry", "place"):
        assert NOTICE in texts(seen[moment]), (moment, seen[moment])
        assert any(b for m in seen[moment] for b in m.get("buttons") or []), seen[moment]
    # ... and still handles the rest: the worry leads to the place question, the
    # place answer is understood (no place question again), the crisis gets 113.
    assert "In welke plaats woon je?" in texts(seen["worry"]), seen["worry"]
    assert "In welke plaats woon je?" not in texts(seen["place"]), seen["place"]
    for moment in ("crisis", "form"):
        assert "113" in texts(seen[moment]), (moment, seen[moment])
        assert NOTICE not in texts(seen[moment]), seen[moment]


# debug_stack (tests/conftest.py): the shared stack at DEBUG (Rasa then logs every message it receives).


@pytest.fixture(scope="module")
def botapi(debug_stack):
    with BotApiStandIn(TOKEN) as stand_in:
        settings = dataclasses.replace(debug_stack.settings, telegram_bot_token=TOKEN)
        [bridge] = [s for s in process_specs(settings, ensure_model()) if s.name == "telegram"]
        debug_stack.start(bridge, {"TELEGRAM_BOT_TOKEN": TOKEN, "WW_TELEGRAM_API_BASE_URL": stand_in.base_url,
                                   "LOG_LEVEL": "DEBUG"})
        try:
            yield stand_in
        finally:
            debug_stack.stop("telegram")


def test_details_planted_on_the_web_reach_neither_tracker_nor_logs(debug_stack):
    chat = ChatClient(debug_stack)
    try:
        seen = walk(chat, WEB)
    finally:
        chat.close()
    check_answers(seen)
    assert "DEBUG" in debug_stack.log_text()
    assert leaks(debug_stack, WEB.secrets()) == []


def test_details_planted_on_telegram_reach_neither_tracker_nor_logs(debug_stack, botapi):
    seen = walk(TelegramChat(botapi, 7400001), TELEGRAM)
    check_answers(seen)
    logs = debug_stack.log_text()
    assert "via telegram" in logs  # the bridge's log is part of the search
    assert leaks(debug_stack, [*TELEGRAM.secrets(), TOKEN]) == []
