"""A coach flags an activity from the inbox (request detail page): it lands in the editors'
queue (sociale_kaart.signals) with the coach's name and a masked note, nothing of the request.
Real migrated SQLite database, Starlette's TestClient."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from kaart_helpers import good_document
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "handoff"))
from coach_testdata import add_coach, add_request, add_team, make_settings  # noqa: E402

from bot.handoff.db import make_engine, session_scope  # noqa: E402
from bot.handoff.models import HandoffRequest  # noqa: E402
from bot.web.inbox import create_inbox_app  # noqa: E402
from sociale_kaart import signals  # noqa: E402
from sociale_kaart.db import migrate as migrate_catalogue  # noqa: E402
from sociale_kaart.importer import import_records  # noqa: E402

PASSWORD = "lang-en-geheim-wachtwoord"
SHOWN = ["act-koffie-oost", "act-mantelzorg-regio"]


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture
def world(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    migrate_catalogue(settings.database_url)
    engine = make_engine(settings.database_url)
    assert import_records(engine, good_document()).ok
    team = add_team(settings)
    add_coach(settings, team, "anna", PASSWORD)
    request_id, reference = add_request(settings, team, name="Karin Testpersoon", contact="0612345678")
    with session_scope(settings.database_url) as db:
        db.get(HandoffRequest, request_id).activities_shown = SHOWN
    client = TestClient(
        Starlette(routes=[Mount("/coach", create_inbox_app(settings))]), follow_redirects=False
    )
    page = client.get("/coach/inloggen")
    client.post(
        "/coach/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD, "csrf": _csrf(page.text)}
    )
    yield client, engine, reference
    engine.dispose()


def stored(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(signals.SIGNAL)).mappings()]


def test_a_coach_flags_a_shown_activity_with_a_masked_note(world):
    client, engine, reference = world
    page = client.get(f"/coach/aanvragen/{reference}")
    assert "Klopt een activiteit niet?" in page.text and 'value="act-mantelzorg-regio"' in page.text
    answer = client.post(
        f"/coach/aanvragen/{reference}/melding",
        data={
            "csrf": _csrf(page.text),
            "activiteit": "act-mantelzorg-regio",
            "reden": "contact",
            "melding_notitie": "Nieuw nummer is 06-12345678, zegt Karin",
        },
    )
    assert answer.status_code == 303
    assert "De redactie van de sociale kaart kijkt" in client.get(answer.headers["location"]).text
    [row] = stored(engine)
    assert (row["activity_id"], row["reden"], row["bron"], row["melder"]) == (
        "act-mantelzorg-regio",
        "contact",
        "coach",
        "anna",
    )
    assert "12345678" not in row["notitie"] and "[telefoonnummer]" in row["notitie"]
    assert reference not in str(row.values())


@pytest.mark.parametrize(
    "form, message",
    [
        (
            {"activiteit": "act-online-geld", "reden": "gestopt"},
            "Kies een activiteit die de inwoner te zien kreeg.",
        ),  # not shown
        ({"activiteit": "act-koffie-oost", "reden": "<script>"}, "Kies wat er niet klopt."),
    ],
)
def test_a_wrong_form_gets_a_dutch_answer_and_stores_nothing(world, form, message):
    client, engine, reference = world
    page = client.get(f"/coach/aanvragen/{reference}")
    answer = client.post(f"/coach/aanvragen/{reference}/melding", data={"csrf": _csrf(page.text), **form})
    assert answer.status_code == 400 and message in answer.text
    assert "<script>" not in answer.text
    assert stored(engine) == []


def test_without_csrf_nothing_is_flagged(world):
    client, engine, reference = world
    answer = client.post(
        f"/coach/aanvragen/{reference}/melding", data={"activiteit": SHOWN[0], "reden": "gestopt"}
    )
    assert answer.status_code == 403 and stored(engine) == []
