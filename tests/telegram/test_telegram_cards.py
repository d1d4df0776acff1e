"""Activity cards on Telegram: one formatted message per activity (its web page as
a link button under it), then the next-step buttons. The real bridge against the
Bot API stand-in; the cards are built from the real demo catalogue."""
from __future__ import annotations

from pathlib import Path

import pytest
from telegram_botapi_standin import BotApiStandIn
from test_telegram_bridge import CHAT_ID, TOKEN, _settings, running_bridge
from web.channel_standins import RasaStandIn

from bot.settings import PROJECT_ROOT
from sociale_kaart.activity_view import card, load_views
from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_paths

DEMO = PROJECT_ROOT / "sociale_kaart" / "demo" / "gooi_en_vechtstreek.yml"
IDS = ["act-gooise-meren-koffie-inloop", "act-gooise-meren-fietsgroep"]
NEXT = [{"title": "Meer laten zien", "payload": "/meer"}, {"title": "Iets anders zoeken", "payload": "/iets_anders"}]


def _demo_cards(tmp_path: Path) -> list[dict]:
    url = f"sqlite:///{tmp_path / 'kaart.db'}"
    migrate(url)
    engine = make_engine(url)
    try:
        assert import_paths(engine, [DEMO]).ok
        with session_scope(engine) as session:
            views = load_views(session, IDS)
        return [card(views[i]) for i in IDS]
    finally:
        engine.dispose()


@pytest.fixture
def botapi():
    with BotApiStandIn(TOKEN) as stand_in:
        yield stand_in


def test_each_activity_is_a_formatted_message_with_its_buttons(monkeypatch, tmp_path, botapi):
    cards = _demo_cards(tmp_path)

    def reply(sender, message):
        out = [{"recipient_id": sender, "text": "Dit heb ik voor je gevonden:"}]
        for activity in cards:  # as Rasa's REST channel sends text + custom: two messages
            out += [{"recipient_id": sender, "text": activity["naam"]},
                    {"recipient_id": sender, "custom": {"activiteit": activity}}]
        return out + [{"recipient_id": sender, "text": "Wat wil je nu?", "buttons": NEXT}]

    with RasaStandIn(reply) as rasa, running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.text_update(CHAT_ID, "zoek"))
        sent = botapi.wait_for("sendMessage", 4)

    intro, first, second, question = sent
    assert intro["text"] == "Dit heb ik voor je gevonden:"
    for message in (first, second):
        assert message["parse_mode"] == "HTML"
    lines = first["text"].split("\n")
    assert lines[0] == "<b>Koffie-inloop Bussum</b>"
    assert lines[1] == "Even de deur uit en een praatje maken."
    assert "<b>Waar:</b> Buurthuis De Hoeksteen, Wilgenkade 89, Bussum" in lines
    assert any(line.startswith("<b>Toegankelijk:</b> Rolstoeltoegankelijk") for line in lines)
    assert "<b>Wanneer:</b> elke dinsdag 9:30–11:30" in lines
    assert "<b>Kosten:</b> € 1,00 per keer" in lines
    assert any(line.startswith("<b>Meedoen:</b> Je kunt gewoon langskomen.") for line in lines)
    assert any(line.startswith("<b>Contact:</b> Mail naar koffie-inloop@") for line in lines)
    link, report = first["reply_markup"]["inline_keyboard"]
    assert link == [{"text": "Meer informatie",
                     "url": "https://dorpshart-gooise-meren.example.org/koffie-inloop-bussum"}]
    # "Klopt dit niet?" under every card with an id (tests/redactie/test_signals_telegram.py).
    assert report[0]["text"] == "Klopt dit niet?" and report[0]["callback_data"].startswith("k:")
    assert second["text"].startswith("<b>Fietsclub De Trappers</b>")
    # The next steps stay buttons under the last message, with short callback keys.
    keyboard = question["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in keyboard] == ["Meer laten zien", "Iets anders zoeken"]
    assert all("callback_data" in row[0] and "/" not in row[0]["callback_data"] for row in keyboard)


def test_card_text_is_escaped_for_telegram_html(monkeypatch, tmp_path, botapi):
    odd = {"naam": "<b>Koor & zo</b>", "beschrijving": "Zingen <i>samen</i>.", "kosten": "Gratis"}

    def reply(sender, message):
        return [{"recipient_id": sender, "text": odd["naam"], "custom": {"activiteit": odd}}]

    with RasaStandIn(reply) as rasa, running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.text_update(CHAT_ID, "zoek"))
        sent = botapi.wait_for("sendMessage", 1)
    assert sent[0]["text"] == ("<b>&lt;b&gt;Koor &amp; zo&lt;/b&gt;</b>\nZingen &lt;i&gt;samen&lt;/i&gt;.\n"
                               "<b>Kosten:</b> Gratis")
    assert "reply_markup" not in sent[0] or not sent[0]["reply_markup"]
