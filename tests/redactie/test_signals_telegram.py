""" "Klopt dit niet?" on Telegram: the real bridge against the Bot API stand-in; a card gets
the button, the resident picks a reason, and only that code lands in the database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from kaart_helpers import good_document
from sqlalchemy import select

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS), str(TESTS / "telegram")]
from telegram_botapi_standin import BotApiStandIn  # noqa: E402
from test_telegram_bridge import CHAT_ID, TOKEN, _settings, running_bridge  # noqa: E402
from web.channel_standins import RasaStandIn  # noqa: E402

from bot.handoff.db import make_engine  # noqa: E402
from sociale_kaart import signals  # noqa: E402
from sociale_kaart.db import migrate as migrate_catalogue  # noqa: E402
from sociale_kaart.importer import import_records  # noqa: E402

KEY = "act-koffie-oost"


@pytest.fixture
def botapi():
    with BotApiStandIn(TOKEN) as stand_in:
        yield stand_in


def _reply(sender, message):
    return [
        {"recipient_id": sender, "text": "Koffie"},
        {"recipient_id": sender, "custom": {"activiteit": {"id": KEY, "naam": "Koffie-ochtend Oost"}}},
    ]


def _report_button(message: dict) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    return next(row[0]["callback_data"] for row in rows if row[0]["text"] == "Klopt dit niet?")


def test_a_card_can_be_reported_on_telegram(monkeypatch, tmp_path, botapi):
    with RasaStandIn(_reply) as rasa:
        settings = _settings(monkeypatch, tmp_path, botapi, rasa.url)
        migrate_catalogue(settings.database_url)
        engine = make_engine(settings.database_url)
        assert import_records(engine, good_document()).ok
        with running_bridge(settings):
            botapi.queue(botapi.text_update(CHAT_ID, "zoek"))
            card = botapi.wait_for("sendMessage", 1)[0]
            data = _report_button(card)
            assert len(data.encode()) <= 64 and KEY not in data
            botapi.queue(botapi.callback_update(CHAT_ID, data))
            question = botapi.wait_for("sendMessage", 2)[1]
            assert question["text"] == "Wat klopt er niet?"
            choices = {
                row[0]["text"]: row[0]["callback_data"] for row in question["reply_markup"]["inline_keyboard"]
            }
            assert list(choices)[:2] == ["Het is gestopt", "Andere tijd of plaats"] and "Toch niet" in choices
            botapi.queue(botapi.callback_update(CHAT_ID, choices["Andere tijd of plaats"], message_id=7))
            thanks = botapi.wait_for("sendMessage", 3)[2]
            assert thanks["text"].startswith("Dank je!")
            # Twice the same activity: thanked, not stored again; a forged key: a kind "no longer works".
            botapi.queue(botapi.callback_update(CHAT_ID, choices["Het is gestopt"], message_id=7))
            assert botapi.wait_for("sendMessage", 4)[3]["text"] == "Dit heb je al gemeld. Dank je!"
            botapi.queue(botapi.callback_update(CHAT_ID, "k:verzonnen:gestopt"))
            assert "werkt niet meer" in botapi.wait_for("sendMessage", 5)[4]["text"]
        assert len(rasa.received) == 1  # only "zoek": the reports never reached Rasa
        with engine.connect() as connection:
            rows = [dict(r) for r in connection.execute(select(signals.SIGNAL)).mappings()]
        engine.dispose()
    assert [(r["activity_id"], r["reden"], r["bron"], r["melder"], r["notitie"]) for r in rows] == [
        (KEY, "tijd_plaats", "telegram", None, None)
    ]
