"""The figures page /cijfers on a real, migrated SQLite file: "<5", scopes, SVG, CSV."""

import re

import pytest
from coach_testdata import add_request, add_team, days_ago, make_settings
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot import accounts
from bot.handoff.db import session_scope
from bot.handoff.models import HandoffRequest, ReferrerOrganisation

PASSWORD = "lang-en-geheim-wachtwoord"


def _csrf(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _client(settings, username):
    from bot.web.cijfers import create_figures_app

    client = TestClient(
        Starlette(routes=[Mount("/cijfers", create_figures_app(settings))]), follow_redirects=False
    )
    page = client.get("/cijfers/inloggen")
    client.post(
        "/cijfers/inloggen",
        data={"gebruikersnaam": username, "wachtwoord": PASSWORD, "csrf": _csrf(page.text)},
    )
    return client


def _user(settings, name, role, kind, code):
    with session_scope(settings.database_url) as db:
        accounts.grant(db, accounts.create_user(db, name, PASSWORD), role, kind, code)


@pytest.fixture
def world(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    versa = add_team(settings)  # Gooi en Vechtstreek
    meer = add_team(settings, code="meerwaarde", naam="Welzijnscoaches MeerWaarde")
    for _ in range(7):  # 7 chat requests in Hilversum, 5 successful
        add_request(settings, versa, outcome="succesvol doorverwezen", first_contact=days_ago(0))
    for _ in range(2):
        add_request(settings, versa, created=days_ago(20))  # overdue
    ids = [
        add_request(
            settings,
            meer,
            gemeente=("GM0394", "Haarlemmermeer"),
            themes=("geldzorgen",),
            team_naam="Welzijnscoaches MeerWaarde",
            outcome="succesvol doorverwezen",
            first_contact=days_ago(0),
        )[0]
        for _ in range(6)
    ]
    with session_scope(settings.database_url) as db:
        db.add(ReferrerOrganisation(code="linde", naam="De Linde", soort="huisartsenpraktijk"))
        for request_id in ids[:3]:
            request = db.get(HandoffRequest, request_id)
            request.source, request.referrer_org_code = "verwijzer", "linde"
    _user(settings, "lead.versa", "teamleider", accounts.SCOPE_TEAM, "versa-welzijn")
    _user(settings, "regio.hlm", "regiocoordinator", accounts.SCOPE_REGION, "Haarlemmermeer")
    _user(settings, "verwijzer1", "verwijzer", accounts.SCOPE_ORGANISATION, "linde")
    return settings


def test_teamleider_sees_own_team_with_small_numbers_suppressed(world):
    page = _client(world, "lead.versa").get("/cijfers/")
    assert page.status_code == 200
    text = page.text
    assert "Hilversum" in text and "Haarlemmermeer</th>" not in text  # other team's gemeente not shown
    assert re.search(r"Te laat \(geen contact binnen twee weken\)</dt><dd>&lt;5</dd>", text)  # 2 overdue
    assert re.search(r"Verwijzingen en aanvragen</dt><dd>9</dd>", text)
    svg = text.split("<svg", 1)[1].split("</svg>")[0]
    assert "<script" not in text and not re.search(r'(src|href)="https?://', text)  # no CDN
    assert "&lt;5" in svg and "<5" not in svg  # the chart suppresses too, and stays valid markup
    assert "Voor dit team of deze regio staat geen doel" in text  # Gooi has no target in the seeds


def test_regiocoordinator_sees_the_region_and_its_target(world):
    client = _client(world, "regio.hlm")
    text = client.get("/cijfers/").text
    assert "Haarlemmermeer" in text and "Hilversum" not in text
    assert re.search(
        r"<th scope=\"row\">Haarlemmermeer</th><td>2026</td><td>479</td><td>6</td><td>1.3%</td>", text
    )
    # By source: 3 via a huisarts, 3 chat -> both "<5".
    assert re.search(r"<td>&lt;5</td><td>&lt;5</td><td>0</td>", text)
    csv = client.get("/cijfers/cijfers.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert (
        "per gemeente,Haarlemmermeer,,6" in csv.text
        and "huisarts,<5" in csv.text
        and "Hilversum" not in csv.text
    )


def test_other_roles_and_anonymous_users_see_no_figures(world):
    assert _client(world, "verwijzer1").get("/cijfers/").status_code == 303  # login refused for this role
    assert _client(world, "niemand").get("/cijfers/cijfers.csv").status_code == 303
