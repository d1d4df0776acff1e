"""The widget's server side: widget.js, the demo host page, the chat page's
gemeente, metadata to Rasa, activity cards and the print page. Real web app
(TestClient), a Rasa stand-in at protocol level, a real SQLite catalogue."""
from __future__ import annotations

import json

import pytest
from channel_standins import RasaStandIn, channel_settings
from starlette.testclient import TestClient

from bot.cards import attach_cards
from bot.settings import PROJECT_ROOT
from bot.web.app import create_app
from sociale_kaart.activity_view import card, load_views
from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_paths

DEMO = PROJECT_ROOT / "sociale_kaart" / "demo" / "gooi_en_vechtstreek.yml"
FULL_CARD_ACTIVITY = "act-gooise-meren-koffie-inloop"  # address, access, schedule, cost, contact and a link


def _cards(ids: list[str], database_url: str) -> list[dict]:
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            views = load_views(session, ids)
        return [card(views[i]) for i in ids]
    finally:
        engine.dispose()


def _reply(database_url):
    def reply(sender, message):
        if message == "zoek":
            out = [{"recipient_id": sender, "text": "Dit heb ik voor je gevonden:"}]
            for activity_card in _cards([FULL_CARD_ACTIVITY, "act-gooise-meren-fietsgroep"], database_url):
                # As Rasa's REST channel sends a text with a custom payload: two messages.
                out.append({"recipient_id": sender, "text": activity_card["naam"]})
                out.append({"recipient_id": sender, "custom": {"activiteit": activity_card}})
            more = [{"title": "Meer", "payload": "/meer"}]
            out.append({"recipient_id": sender, "text": "Verder?", "buttons": more})
            return out
        return [{"recipient_id": sender, "text": f"echo: {message}"}]
    return reply


def _import_catalogue(url: str) -> None:
    migrate(url)
    engine = make_engine(url)
    try:
        assert import_paths(engine, [DEMO]).ok
    finally:
        engine.dispose()


@pytest.fixture
def stack(monkeypatch, tmp_path):
    database = {}
    with RasaStandIn(lambda sender, message: _reply(database["url"])(sender, message)) as rasa:
        settings = channel_settings(monkeypatch, tmp_path, rasa.url)
        database["url"] = settings.database_url  # the hand-off tables and the catalogue, as in production
        _import_catalogue(settings.database_url)
        with TestClient(create_app(settings)) as client:
            yield client, rasa


def _metadata(rasa) -> list:
    return [json.loads(body).get("metadata") for body in rasa.raw_bodies]


def test_widget_script_carries_the_dutch_texts_and_no_markup(stack):
    client, _ = stack
    script = client.get("/widget.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "Chat met de Welzijnswijzer" in script.text
    assert "innerHTML" not in script.text and "{{" not in script.text
    assert client.get("/static/widget.css").status_code == 200


def test_demo_page_embeds_the_widget_with_its_gemeente(stack):
    client, _ = stack
    page = client.get("/demo/gemeente")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert 'src="/widget.js" data-gemeente="GM0402"' in page.text
    assert "frame-ancestors 'self'" in client.get("/?ingebed=1").headers["content-security-policy"]


@pytest.mark.parametrize(
    "code, expected", [("GM0402", "GM0402"), ("GM9999", ""), ('"><script>', ""), ("", "")]
)
def test_chat_page_takes_only_a_known_gemeente(stack, code, expected):
    client, _ = stack
    html = client.get("/", params={"gemeente": code}).text
    assert f'data-gemeente="{expected}"' in html
    assert "<script>" not in html.replace('<script src="static/chat.js" defer></script>', "")


def test_gemeente_goes_to_rasa_as_metadata_only_when_known(stack):
    client, rasa = stack
    client.post("/api/chat", json={"message": "hallo", "gemeente": "GM0402"})
    client.post("/api/chat", json={"message": "hallo", "gemeente": "GM0000"})
    client.post("/api/chat", json={"message": "hallo"})
    # Typed text stays text: no intent, whatever the gemeente.
    client.post("/api/chat", json={"message": '/plaats_noemen{"plaats": "Laren"}', "gemeente": "GM0402"})
    assert _metadata(rasa) == [{"gemeente_code": "GM0402"}, None, None, {"gemeente_code": "GM0402"}]
    assert [message for _, message in rasa.received][-1] == 'plaats_noemen{"plaats": "Laren"}'
    assert len({sender for sender, _ in rasa.received}) == 1  # the same conversation throughout


def test_the_widget_start_sends_the_gemeente_intent_only_with_a_known_gemeente(stack):
    client, rasa = stack
    assert client.post("/api/chat/start", json={"gemeente": "GM9999"}).json() == {"messages": []}
    assert client.post("/api/chat/start", content=b"geen json").json() == {"messages": []}
    assert rasa.received == []
    started = client.post("/api/chat/start", json={"gemeente": "GM0402"}).json()["messages"]
    assert started == [{"text": "echo: /gemeente_van_site", "buttons": [], "custom": None}]
    assert _metadata(rasa) == [{"gemeente_code": "GM0402"}]


def test_cards_reach_the_browser_joined_to_their_text(stack):
    client, _ = stack
    messages = client.post("/api/chat", json={"message": "zoek"}).json()["messages"]
    cards = [m["card"] for m in messages if m.get("card")]
    assert [c["naam"] for c in cards] == ["Koffie-inloop Bussum", "Fietsclub De Trappers"]
    assert len(messages) == 4  # intro, two cards (text fallback kept inside), the question
    full = cards[0]
    assert full["waar"] == "Buurthuis De Hoeksteen, Wilgenkade 89" and full["woonplaats"] == "Bussum"
    assert full["toegankelijkheid"].startswith("Rolstoeltoegankelijk")
    assert full["wanneer"] == "elke dinsdag 9:30–11:30" and full["kosten"] == "€ 1,00 per keer"
    assert full["meedoen"].startswith("Je kunt gewoon langskomen.")
    assert "koffie-inloop@" in full["contact"] and "Kijk op" not in full["contact"]
    assert full["link"] == "https://dorpshart-gooise-meren.example.org/koffie-inloop-bussum"
    assert full["beschrijving"] == "Even de deur uit en een praatje maken."


def test_print_page_lists_the_activities_and_nothing_else(stack):
    client, _ = stack
    ids = f"{FULL_CARD_ACTIVITY},bestaat-niet,act-gooise-meren-fietsgroep"
    page = client.get("/print", params={"ids": ids})
    assert page.status_code == 200
    html = page.text
    assert html.count('<li class="kaart">') == 2
    assert "Koffie-inloop Bussum" in html and "Fietsclub De Trappers" in html
    assert "Rolstoeltoegankelijk" in html and "Wilgenkade 89" in html
    assert "geen gegevens van jou" in html
    empty = client.get("/print").text
    assert "geen activiteiten op deze lijst" in empty


def test_clearing_gives_a_new_conversation(stack):
    client, rasa = stack
    client.post("/api/chat", json={"message": "een"})
    client.post("/api/chat/wissen", json={})
    client.post("/api/chat", json={"message": "twee"})
    senders = [sender for sender, _ in rasa.received]
    assert len(senders) == 2 and senders[0] != senders[1]


def test_attach_cards_keeps_a_card_without_text_and_drops_bad_links():
    replies = [{"custom": {"activiteit": {"naam": "A", "link": "javascript:alert(1)"}}},
               {"text": "x", "buttons": [{"title": "t", "payload": "/p"}]},
               {"custom": {"activiteit": {"naam": "B", "link": "https://b.example.org"}}}]
    out = attach_cards(replies)
    assert [m.get("card", {}).get("naam") for m in out] == ["A", None, "B"]
    assert "link" not in out[0]["card"] and out[2]["card"]["link"] == "https://b.example.org"
