"""Coach inbox through Starlette's TestClient on a real, migrated SQLite database."""
import re

import pytest
from coach_testdata import add_coach, add_request, add_team, days_ago, make_settings
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot.handoff.db import session_scope
from bot.handoff.models import AuditLogEntry, HandoffRequest, InternalNote, OutboxMessage, utcnow
from bot.web.inbox import create_inbox_app

PASSWORD = "lang-en-geheim-wachtwoord"


def _client(settings):
    app = Starlette(routes=[Mount("/coach", create_inbox_app(settings))])
    return TestClient(app, follow_redirects=False)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, username, password=PASSWORD):
    page = client.get("/coach/inloggen")
    return client.post("/coach/inloggen", data={
        "gebruikersnaam": username, "wachtwoord": password, "csrf": _csrf(page.text)})


@pytest.fixture
def world(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    versa = add_team(settings)
    other = add_team(settings, code="meerwaarde", naam="Welzijnscoaches MeerWaarde")
    add_coach(settings, versa, "anna", PASSWORD)
    add_coach(settings, versa, "lead", PASSWORD, is_lead=True)
    add_coach(settings, other, "bram", PASSWORD)
    fresh = add_request(settings, versa, name="Karin Testpersoon", contact="0612345678",
                        note="graag na 10 uur")
    late = add_request(settings, versa, created=days_ago(20), gemeente=("GM1942", "Gooise Meren"))
    foreign = add_request(settings, other, gemeente=("GM0394", "Haarlemmermeer"),
                          team_naam="Welzijnscoaches MeerWaarde")
    return settings, {"fresh": fresh, "late": late, "foreign": foreign}


def test_login_sets_a_safe_session_cookie(world):
    settings, _ = world
    client = _client(settings)
    response = _login(client, "anna")
    assert response.status_code == 303 and response.headers["location"] == "/coach/aanvragen"
    cookie = response.headers["set-cookie"].lower()
    assert "ww_coach=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "path=/coach" in cookie and "secure" not in cookie


def test_cookie_is_secure_when_configured(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch, cookie_secure=True)
    add_coach(settings, add_team(settings), "anna", PASSWORD)
    client = TestClient(Starlette(routes=[Mount("/coach", create_inbox_app(settings))]),
                        base_url="https://testserver", follow_redirects=False)
    response = _login(client, "anna")
    assert response.status_code == 303 and "secure" in response.headers["set-cookie"].lower()


def test_wrong_password_is_refused_in_dutch(world):
    settings, _ = world
    response = _login(_client(settings), "anna", "fout")
    assert response.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in response.text


def test_pages_need_a_login(world):
    settings, refs = world
    client = _client(settings)
    for path in ("/coach/aanvragen", f"/coach/aanvragen/{refs['fresh'][1]}", "/coach/statistiek"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/coach/inloggen"


def test_login_is_rate_limited_per_account(world):
    settings, _ = world
    client = _client(settings)
    for _ in range(5):
        assert _login(client, "anna", "fout").status_code == 401
    blocked = _login(client, "anna")  # even the right password waits now
    assert blocked.status_code == 429 and "Te veel mislukte pogingen" in blocked.text
    assert _login(client, "lead").status_code == 303  # other accounts still work


def test_login_is_rate_limited_per_ip(world):
    settings, _ = world
    client = _client(settings)
    for number in range(20):
        assert _login(client, f"onbekend{number}", "fout").status_code == 401
    assert _login(client, "lead").status_code == 429


def test_every_post_needs_the_csrf_token(world):
    settings, refs = world
    client = _client(settings)
    page = client.get("/coach/inloggen")
    no_token = client.post("/coach/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD})
    assert no_token.status_code == 403 and "verlopen" in no_token.text
    assert _csrf(page.text)
    _login(client, "anna")
    ref = refs["fresh"][1]
    for action, data in (("oppakken", {}), ("status", {"status": "afgerond"}), ("notitie", {"tekst": "x"})):
        response = client.post(f"/coach/aanvragen/{ref}/{action}", data={**data, "csrf": "vervalst"})
        assert response.status_code == 403
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, refs["fresh"][0])
        assert request.status == "nieuw" and request.assigned_coach_id is None
        assert db.execute(select(InternalNote)).first() is None


def test_list_shows_own_team_only_and_marks_overdue(world):
    settings, refs = world
    client = _client(settings)
    _login(client, "anna")
    page = client.get("/coach/aanvragen")
    assert page.status_code == 200
    assert refs["fresh"][1] in page.text and refs["late"][1] in page.text
    assert refs["foreign"][1] not in page.text
    late_row = re.search(rf'<tr class="te-laat">\s*<td><a [^>]*>{refs["late"][1]}</a>', page.text)
    assert late_row, "the overdue request is highlighted"
    assert page.text.index(refs["late"][1]) < page.text.index(refs["fresh"][1])  # overdue first
    assert "Karin" not in page.text and "0612345678" not in page.text  # no contact details in the list
    assert page.headers["cache-control"] == "no-store"
    filtered = client.get("/coach/aanvragen", params={"status": "afgerond"})
    assert refs["fresh"][1] not in filtered.text


def test_other_teams_request_is_not_found(world):
    settings, refs = world
    client = _client(settings)
    _login(client, "anna")
    response = client.get(f"/coach/aanvragen/{refs['foreign'][1]}")
    assert response.status_code == 404 and "hoort niet bij jouw team" in response.text
    csrf = _csrf(response.text)
    response = client.post(f"/coach/aanvragen/{refs['foreign'][1]}/oppakken", data={"csrf": csrf})
    assert response.status_code == 404


def test_detail_shows_decrypted_details_and_is_audited(world):
    settings, refs = world
    client = _client(settings)
    _login(client, "anna")
    page = client.get(f"/coach/aanvragen/{refs['fresh'][1]}")
    assert page.status_code == 200
    assert "Karin Testpersoon" in page.text and "0612345678" in page.text and "graag na 10 uur" in page.text
    with session_scope(settings.database_url) as db:
        [entry] = db.execute(select(AuditLogEntry).where(AuditLogEntry.action == "bekeken")).scalars().all()
        assert (entry.actor, entry.reference_code) == ("anna", refs["fresh"][1])
        assert entry.request_id == refs["fresh"][0]
        assert (utcnow() - entry.at).total_seconds() < 60


def test_claim_status_and_note(world):
    settings, refs = world
    client = _client(settings)
    _login(client, "anna")
    request_id, ref = refs["fresh"]
    csrf = _csrf(client.get(f"/coach/aanvragen/{ref}").text)
    assert client.post(f"/coach/aanvragen/{ref}/oppakken", data={"csrf": csrf}).status_code == 303
    assert "Je hebt de aanvraag opgepakt." in client.get(f"/coach/aanvragen/{ref}").text
    status = f"/coach/aanvragen/{ref}/status"
    assert client.post(status, data={"csrf": csrf, "status": "in contact"}).status_code == 303
    assert client.post(f"/coach/aanvragen/{ref}/notitie",
                       data={"csrf": csrf, "tekst": "Gebeld, afspraak dinsdag"}).status_code == 303
    page = client.get(f"/coach/aanvragen/{ref}")
    assert "Gebeld, afspraak dinsdag" in page.text and "succesvol doorverwezen" in page.text
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, request_id)
        assert request.status == "in contact" and request.outcome == "succesvol doorverwezen"
        assert request.assigned_coach.username == "anna" and request.first_contact_at is not None
        assert [h.status for h in request.history] == ["nieuw", "opgepakt", "in contact"]
        [note] = db.execute(select(InternalNote)).scalars().all()
        assert "Gebeld" not in note.text_encrypted  # encrypted at rest
    assert client.post(status, data={"csrf": csrf, "status": "afgerond"}).status_code == 303
    with session_scope(settings.database_url) as db:
        request = db.get(HandoffRequest, request_id)
        assert request.closed_at is not None and request.outcome == "succesvol doorverwezen"


def test_bad_input_gets_a_dutch_answer_and_keeps_the_text(world):
    settings, refs = world
    client = _client(settings)
    _login(client, "anna")
    ref = refs["fresh"][1]
    csrf = _csrf(client.get(f"/coach/aanvragen/{ref}").text)
    empty = client.post(f"/coach/aanvragen/{ref}/notitie", data={"csrf": csrf, "tekst": "   "})
    assert empty.status_code == 400 and "De notitie is leeg" in empty.text
    long_text = "<script>alert(1)</script>" + "x" * 2100
    too_long = client.post(f"/coach/aanvragen/{ref}/notitie", data={"csrf": csrf, "tekst": long_text})
    assert too_long.status_code == 400 and "te lang" in too_long.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in too_long.text  # kept, escaped
    bad_status = client.post(f"/coach/aanvragen/{ref}/status",
                             data={"csrf": csrf, "status": "'; DROP TABLE x"})
    assert bad_status.status_code == 400 and "Kies een status" in bad_status.text
    with session_scope(settings.database_url) as db:
        assert db.execute(select(InternalNote)).first() is None
        assert db.get(HandoffRequest, refs["fresh"][0]).status == "nieuw"


def test_statistics_and_deliveries_are_for_team_leads(world):
    settings, refs = world
    with session_scope(settings.database_url) as db:
        db.add(OutboxMessage(request_id=refs["fresh"][0], channel="email", payload={}, state="failed",
                             attempts=12, last_error="451 later"))
    member = _client(settings)
    _login(member, "anna")
    assert member.get("/coach/statistiek").status_code == 403
    assert member.get("/coach/verzending").status_code == 403
    lead = _client(settings)
    _login(lead, "lead")
    stats = lead.get("/coach/statistiek")
    assert stats.status_code == 200 and "Eenzaamheid" in stats.text
    assert "Karin" not in stats.text and "0612345678" not in stats.text
    deliveries = lead.get("/coach/verzending")
    assert "mislukt, gestopt" in deliveries.text and "451 later" in deliveries.text
    outbox_id = re.search(r"/coach/verzending/(\d+)/opnieuw", deliveries.text).group(1)
    again = lead.post(f"/coach/verzending/{outbox_id}/opnieuw", data={"csrf": _csrf(deliveries.text)})
    assert again.status_code == 303
    with session_scope(settings.database_url) as db:
        assert db.get(OutboxMessage, int(outbox_id)).state == "pending"


def test_logout_ends_the_session(world):
    settings, _ = world
    client = _client(settings)
    _login(client, "anna")
    page = client.get("/coach/aanvragen")
    assert client.post("/coach/uitloggen", data={"csrf": _csrf(page.text)}).status_code == 303
    assert client.get("/coach/aanvragen").status_code == 303


def test_times_are_shown_in_dutch_local_time():
    from datetime import datetime

    from bot.web.inbox.app import local

    assert local(datetime(2026, 11, 22, 12, 0), "%H:%M") == "13:00"  # winter time
    assert local(datetime(2026, 7, 1, 12, 0), "%H:%M") == "14:00"  # summer time
