""" "Klopt dit niet?" in the web chat: POST /api/chat/melding of the real web app (TestClient),
Rasa a stand-in at the HTTP level, a real migrated SQLite database with the test catalogue.
Only a reason code reaches the database; Rasa never sees a report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from kaart_helpers import good_document
from sqlalchemy import select
from starlette.testclient import TestClient

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
from web.channel_standins import RasaStandIn, channel_settings  # noqa: E402

from bot.handoff.db import make_engine  # noqa: E402
from sociale_kaart import signals  # noqa: E402
from sociale_kaart.db import migrate as migrate_catalogue  # noqa: E402
from sociale_kaart.importer import import_records  # noqa: E402

SHOWN = ["act-koffie-oost", "act-mantelzorg-regio", "act-online-geld"]


def _cards(sender, message):
    out = [{"recipient_id": sender, "text": "Dit heb ik voor je gevonden:"}]
    for key in SHOWN:
        out += [
            {"recipient_id": sender, "text": key},
            {"recipient_id": sender, "custom": {"activiteit": {"id": key, "naam": key}}},
        ]
    return out


@pytest.fixture
def web(monkeypatch, tmp_path):
    from bot.web.app import create_app

    with RasaStandIn(_cards) as rasa:
        settings = channel_settings(monkeypatch, tmp_path, rasa.url)
        migrate_catalogue(settings.database_url)
        engine = make_engine(settings.database_url)
        assert import_records(engine, good_document()).ok
        with TestClient(create_app(settings)) as client:
            yield client, engine, rasa
        engine.dispose()


def stored(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(signals.SIGNAL)).mappings()]


def test_a_shown_activity_can_be_reported_once_with_a_reason_only(web):
    client, engine, rasa = web
    messages = client.post("/api/chat", json={"message": "zoek iets"}).json()["messages"]
    assert [m["card"]["id"] for m in messages if m.get("card")] == SHOWN
    before = len(rasa.received)
    answer = client.post("/api/chat/melding", json={"activiteit": SHOWN[0], "reden": "gestopt"})
    assert answer.status_code == 200 and answer.json()["message"].startswith("Dank je!")
    again = client.post("/api/chat/melding", json={"activiteit": SHOWN[0], "reden": "contact"})
    assert again.status_code == 200 and again.json()["ok"] == "al_gemeld"
    assert len(rasa.received) == before  # Rasa never sees a report
    rows = stored(engine)
    assert [(r["activity_id"], r["reden"], r["bron"], r["melder"], r["notitie"]) for r in rows] == [
        (SHOWN[0], "gestopt", "web", None, None)
    ]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"activiteit": "act-koffie-oost", "reden": "mijn nummer is 0612345678"}, 422),  # no free text, ever
        ({"activiteit": "act-koffie-oost"}, 422),
        ({"activiteit": ["act-koffie-oost"], "reden": "gestopt"}, 422),
        ({"activiteit": "act-niet-getoond", "reden": "gestopt"}, 403),  # not shown to this conversation
    ],
)
def test_what_does_not_fit_is_refused_and_nothing_is_stored(web, body, status):
    client, engine, _rasa = web
    client.post("/api/chat", json={"message": "zoek iets"})
    answer = client.post("/api/chat/melding", json=body)
    assert answer.status_code == status and answer.json()["message"]
    assert stored(engine) == []


def test_no_conversation_no_report_and_a_big_body_is_refused(web):
    client, engine, _rasa = web
    assert (
        client.post("/api/chat/melding", json={"activiteit": SHOWN[0], "reden": "gestopt"}).status_code == 403
    )
    client.post("/api/chat", json={"message": "zoek iets"})
    big = client.post(
        "/api/chat/melding",
        content=b'{"activiteit": "' + b"x" * 5000 + b'", "reden": "gestopt"}',
        headers={"content-type": "application/json"},
    )
    assert big.status_code == 422
    assert stored(engine) == []


def test_reports_per_conversation_are_limited(web, monkeypatch):
    client, engine, _rasa = web
    monkeypatch.setattr("bot.web.chat.REPORTS_PER_CONVERSATION_HOUR", 2)
    client.post("/api/chat", json={"message": "zoek iets"})
    codes = [
        client.post("/api/chat/melding", json={"activiteit": key, "reden": "anders"}).status_code
        for key in SHOWN
    ]
    assert codes == [200, 200, 429]
    assert len(stored(engine)) == 2


def test_the_chat_page_carries_the_report_texts(web):
    client, _engine, _rasa = web
    page = client.get("/").text
    assert "Klopt dit niet?" in page and "Andere tijd of plaats" in page
