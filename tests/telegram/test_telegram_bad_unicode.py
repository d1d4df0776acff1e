"""Telegram text that is not valid Unicode (a lone surrogate, a control character)
gets a clear Dutch reply and never reaches Rasa."""
from __future__ import annotations

import pytest
from telegram_botapi_standin import BotApiStandIn
from test_telegram_bridge import CHAT_ID, TOKEN, _settings, running_bridge
from web.channel_standins import RasaStandIn

from bot.channel_messages import channel_text


@pytest.fixture
def rasa():
    with RasaStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def botapi():
    with BotApiStandIn(TOKEN) as stand_in:
        yield stand_in


def test_unreadable_text_gets_a_dutch_reply_and_is_not_relayed(monkeypatch, tmp_path, botapi, rasa):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        # JSON of the Bot API carries the surrogate as "\ud800", as Telegram could.
        botapi.queue(botapi.text_update(CHAT_ID, "hallo \ud800 daar"))
        botapi.queue(botapi.text_update(CHAT_ID, "nul\x00byte"))
        botapi.queue(botapi.text_update(CHAT_ID, "gewoon hallo"))
        sent = botapi.wait_for("sendMessage", 3)
    expected = channel_text("telegram", "ongeldige_tekens")
    assert [m["text"] for m in sent[:2]] == [expected, expected]
    assert sent[2]["text"] == "echo: gewoon hallo"
    assert [message for _, message in rasa.received] == ["gewoon hallo"]
