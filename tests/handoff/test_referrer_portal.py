"""The referrer portal (/verwijzer) through Starlette's TestClient on a real, migrated SQLite file."""

import re

import pytest
from coach_testdata import make_settings
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot import accounts
from bot.handoff.crypto import Cipher
from bot.handoff.db import session_scope
from bot.handoff.models import ConsentRecord, HandoffRequest, OutboxMessage
from bot.handoff.routing import TeamRouting
from bot.referral import professional

PASSWORD = "lang-en-geheim-wachtwoord"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _client(settings):
    from bot.web.verwijzer import create_referrer_app

    return TestClient(
        Starlette(routes=[Mount("/verwijzer", create_referrer_app(settings))]), follow_redirects=False
    )


def _login(client, username):
    page = client.get("/verwijzer/inloggen")
    return client.post(
        "/verwijzer/inloggen",
        data={"gebruikersnaam": username, "wachtwoord": PASSWORD, "csrf": _csrf(page.text)},
    )


@pytest.fixture
def world(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch, smtp_host="127.0.0.1")
    with session_scope(settings.database_url) as db:
        professional.add_organisation(
            db, "linde", "Huisartsenpraktijk De Linde", "huisartsenpraktijk", "linde@example.org"
        )
        professional.add_organisation(db, "fysio-oost", "Fysiotherapie Oost", "fysiotherapie")
        professional.add_referrer(db, "dr.jansen", PASSWORD, "linde")
        professional.add_referrer(db, "fysio.piet", PASSWORD, "fysio-oost")
        admin = accounts.create_user(db, "beheer1", PASSWORD)
        accounts.grant(db, admin, "beheerder", accounts.SCOPE_ALL)
    return settings


def _form(client, **changes):
    page = client.get("/verwijzer/nieuw")
    assert page.status_code == 200
    data = {
        "csrf": _csrf(page.text),
        "formulier_id": re.search(r'name="formulier_id" value="([^"]+)"', page.text).group(1),
        "organisatie": "linde",
        "naam": "Els de Vries",
        "contact": "06 12 34 56 78",
        "moment": "middag",
        "woonplaats": "Bussum",
        "themas": ["eenzaamheid"],
        "reden": "Zit sinds de verhuizing veel alleen thuis.",
        "toestemming": "ja",
    }
    data.update(changes)
    return data


def test_referral_lands_in_the_team_of_the_gemeente_with_source_practice_and_consent(world):
    settings = world
    client = _client(settings)
    assert _login(client, "dr.jansen").status_code == 303
    response = client.post("/verwijzer/nieuw", data=_form(client))
    assert response.status_code == 303
    reference = response.headers["location"].rsplit("/", 1)[1]
    with session_scope(settings.database_url) as db:
        request = db.execute(
            select(HandoffRequest).where(HandoffRequest.reference_code == reference)
        ).scalar_one()
        assert (request.source, request.referrer_org_code, request.channel) == (
            "verwijzer",
            "linde",
            "verwijzer",
        )
        assert (request.gemeente_naam, request.team_naam) == (
            "Gooise Meren",
            TeamRouting.load().route("GM1942").naam,
        )
        assert (request.contact_deadline - request.created_at).days == 14
        cipher = Cipher(settings.fernet_keys)
        assert cipher.decrypt(request.contact_encrypted) == "0612345678"
        assert request.themes == ["eenzaamheid"] and request.preferred_moment == "middag"
        consent = db.execute(select(ConsentRecord).where(ConsentRecord.request_id == request.id)).scalar_one()
        expected = professional.referrer_consent()
        assert (consent.text_version, consent.text_hash) == (expected.version, expected.sha256)
        assert [o.channel for o in db.execute(select(OutboxMessage)).scalars()] == ["email"]
    page = client.get(f"/verwijzer/verwijzingen/{reference}")
    assert (
        page.status_code == 200
        and "Ontvangen. Een welzijnscoach neemt binnen twee weken contact op." in page.text
    )


@pytest.mark.parametrize(
    "reason,words",
    [
        ("Heeft een depressie en slikt sertraline 50 mg.", ["depressie", "sertraline", "50 mg"]),
        ("Diabetes, gebruikt 2x per dag insuline", ["diabetes", "insuline", "2x per dag"]),
    ],
)
def test_medical_data_is_flagged_and_nothing_is_stored(world, reason, words):
    settings = world
    client = _client(settings)
    _login(client, "dr.jansen")
    response = client.post("/verwijzer/nieuw", data=_form(client, reden=reason))
    assert response.status_code == 400
    assert "Dit lijken medische gegevens" in response.text and "Els de Vries" in response.text
    for word in words:
        assert f"&#34;{word}&#34;" in response.text or f'"{word}"' in response.text
    with session_scope(settings.database_url) as db:
        assert db.execute(select(HandoffRequest)).first() is None


def test_missing_fields_consent_and_ambiguous_place_are_explained(world):
    client = _client(world)
    _login(client, "dr.jansen")
    response = client.post(
        "/verwijzer/nieuw",
        data=_form(
            client, naam="", contact="12", moment="", woonplaats="Bloemendaal aan Zee", toestemming=""
        ),
    )
    assert response.status_code == 400
    for text in (
        "Vul de naam van de inwoner in",
        "Nederlands telefoonnummer of een e-mailadres",
        "Kies wanneer",
        "Deze woonplaats kennen we niet",
        "Bevestig dat de inwoner toestemming",
    ):
        assert text in response.text


def test_double_submit_gives_one_referral_and_csrf_is_required(world):
    settings = world
    client = _client(settings)
    _login(client, "dr.jansen")
    data = _form(client)
    first = client.post("/verwijzer/nieuw", data=data)
    second = client.post("/verwijzer/nieuw", data=data)
    assert first.headers["location"] == second.headers["location"]
    assert client.post("/verwijzer/nieuw", data={**_form(client), "csrf": "vals"}).status_code == 403
    with session_scope(settings.database_url) as db:
        assert len(db.execute(select(HandoffRequest)).all()) == 1


def test_other_practice_sees_nothing(world):
    settings = world
    client = _client(settings)
    _login(client, "dr.jansen")
    reference = client.post("/verwijzer/nieuw", data=_form(client)).headers["location"].rsplit("/", 1)[1]
    other = _client(settings)
    _login(other, "fysio.piet")
    assert other.get(f"/verwijzer/verwijzingen/{reference}").status_code == 404
    listing = other.get("/verwijzer/verwijzingen")
    assert listing.status_code == 200 and reference not in listing.text
    # A referrer cannot refer on behalf of a practice that is not theirs.
    assert other.post("/verwijzer/nieuw", data=_form(other, organisatie="linde")).status_code == 403
    assert _client(settings).get("/verwijzer/verwijzingen").status_code == 303  # not logged in


def test_beheerder_adds_an_organisation_and_a_referrer_who_can_log_in(world):
    settings = world
    client = _client(settings)
    _login(client, "beheer1")
    page = client.get("/verwijzer/beheer")
    assert page.status_code == 200
    response = client.post(
        "/verwijzer/beheer",
        data={
            "csrf": _csrf(page.text),
            "actie": "organisatie",
            "code": "wijkteam-noord",
            "naam": "Sociaal wijkteam Noord",
            "soort": "sociaal_wijkteam",
        },
    )
    assert response.status_code == 303
    page = client.get("/verwijzer/beheer")
    response = client.post(
        "/verwijzer/beheer",
        data={
            "csrf": _csrf(page.text),
            "actie": "verwijzer",
            "gebruikersnaam": "wijk.sanne",
            "wachtwoord": PASSWORD,
            "organisatie": "wijkteam-noord",
        },
    )
    assert response.status_code == 303
    assert _login(_client(settings), "wijk.sanne").status_code == 303
    referrer = _client(settings)
    _login(referrer, "dr.jansen")
    assert referrer.get("/verwijzer/beheer").status_code == 403  # a verwijzer is no beheerder
