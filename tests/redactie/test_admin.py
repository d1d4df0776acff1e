"""The accounts page of the back office (/redactie/accounts, beheerder): WTForms validation
with bot.accounts' Dutch messages, every role with its scope, roles given and removed,
disabling ends open sessions, CSRF on every POST, script in a field is shown as text."""

from __future__ import annotations

import re

import pytest
from test_redactie_web import PASSWORD, client_for, csrf, settings  # noqa: F401  (fixture)

from bot import accounts
from bot.handoff.db import session_scope

ADMIN_POSTS = ("", "/eva/rol", "/eva/rol-weg", "/eva/email", "/eva/wachtwoord", "/eva/uitschakelen",
               "/eva/inschakelen")


def _new(client, **fields):
    page = client.get("/redactie/accounts")
    data = {"csrf": csrf(page.text), "gebruikersnaam": "eva", "email": "", "wachtwoord": PASSWORD,
            "wachtwoord_nog_eens": PASSWORD, "rol": "redacteur", "soort": "organisation",
            "code": "org-regio-gooi", **fields}
    return client.post("/redactie/accounts", data=data)


def _grants(settings, username):
    with session_scope(settings.database_url) as db:
        user = accounts.find_user(db, username)
        return sorted((g.role, g.scope_kind, g.scope_code) for g in accounts.roles_of(db, user)), user.active, user.email


def test_only_a_beheerder_and_only_with_csrf(settings):
    anna = client_for(settings, "anna")
    assert anna.get("/redactie/accounts").status_code == 403
    assert anna.get("/redactie/accounts/beheer").status_code == 403
    token = csrf(anna.get("/redactie/").text)
    for path in ADMIN_POSTS:
        assert anna.post(f"/redactie/accounts{path}", data={"csrf": token}).status_code == 403, path
    beheer = client_for(settings, "beheer")
    assert _new(beheer).status_code == 303
    for path in ADMIN_POSTS:  # no or a wrong token: refused, nothing changes
        response = beheer.post(f"/redactie/accounts{path}", data={"csrf": "vals", "gebruikersnaam": "x"})
        assert response.status_code == 403, path
    assert _grants(settings, "eva")[1] is True
    assert client_for(settings).get("/redactie/accounts").status_code == 303  # to the login


@pytest.mark.parametrize("role,kind,code", [
    ("coach", "team", "versa"), ("teamleider", "team", "versa"), ("regiocoordinator", "region", "Gooi en Vechtstreek"),
    ("verwijzer", "organisation", "linde"), ("redacteur", "region", "Gooi en Vechtstreek"),
    ("eindredacteur", "organisation", "org-buurt-hilversum"), ("beheerder", "all", ""),
])
def test_every_role_with_its_scope(settings, role, kind, code):
    beheer = client_for(settings, "beheer")
    response = _new(beheer, rol=role, soort=kind, code=code, email="Eva@Welzijn.example")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/redactie/accounts/eva"
    assert _grants(settings, "eva") == ([(role, kind, code)], True, "eva@welzijn.example")
    assert "Het account is gemaakt." in beheer.get("/redactie/accounts/eva").text


def test_dutch_errors_and_nothing_created(settings):
    beheer = client_for(settings, "beheer")
    cases = [
        ({"rol": "coach", "soort": "organisation"}, "De rol coach hoort bij: team."),
        ({"rol": "redacteur", "code": ""}, "Geef aan voor welk(e) organisation deze rol geldt."),
        ({"wachtwoord_nog_eens": "iets-anders-dan-het-eerste"}, "De wachtwoorden zijn niet gelijk."),
        ({"wachtwoord": "kort", "wachtwoord_nog_eens": "kort"}, "minstens 12 tekens"),
        ({"email": "geen-adres"}, "Dit is geen goed e-mailadres."),
        ({"rol": "koning"}, "Kies een van de mogelijkheden."),
        ({"gebruikersnaam": "<script>alert(1)</script>"}, "Gebruikersnaam: 3 tot 80 tekens"),
        ({"gebruikersnaam": "anna"}, "Gebruiker anna bestaat al."),
    ]
    for fields, text in cases:
        response = _new(beheer, **fields)
        assert response.status_code == 422, fields
        assert text in response.text, (fields, response.text[:2000])
        assert 'aria-invalid="true"' in response.text
        assert "<script>alert(1)</script>" not in response.text
    with session_scope(settings.database_url) as db:
        assert accounts.find_user(db, "eva") is None
        assert accounts.find_user(db, "<script>alert(1)</script>") is None
    # What was typed stays in the form (not the password).
    response = _new(beheer, email="geen-adres")
    assert 'value="geen-adres"' in response.text and PASSWORD not in response.text


def test_roles_email_password_disable_and_enable(settings):
    beheer = client_for(settings, "beheer")
    assert _new(beheer).status_code == 303
    eva = client_for(settings, "eva")
    assert eva.get("/redactie/activiteit/act-mantelzorg-regio").status_code == 200
    page = beheer.get("/redactie/accounts/eva")
    token = csrf(page.text)
    # Give a second role; a wrong scope is refused in Dutch.
    assert beheer.post("/redactie/accounts/eva/rol", data={
        "csrf": token, "rol": "eindredacteur", "soort": "region", "code": "Gooi en Vechtstreek"}).status_code == 303
    bad = beheer.post("/redactie/accounts/eva/rol", data={"csrf": token, "rol": "beheerder", "soort": "team",
                                                          "code": "x"})
    assert bad.status_code == 422 and "De rol beheerder hoort bij: all." in bad.text
    grants = _grants(settings, "eva")[0]
    assert grants == [("eindredacteur", "region", "Gooi en Vechtstreek"), ("redacteur", "organisation", "org-regio-gooi")]
    # E-mail address.
    assert beheer.post("/redactie/accounts/eva/email", data={"csrf": token, "email": "eva@welzijn.example"}
                       ).status_code == 303
    assert _grants(settings, "eva")[2] == "eva@welzijn.example"
    assert beheer.post("/redactie/accounts/eva/email", data={"csrf": token, "email": "x@"}).status_code == 422
    # Remove a role: eva's open session ends (rights are never kept by an open page).
    page = beheer.get("/redactie/accounts/eva").text
    grant_ids = re.findall(r'name="grant" value="(\d+)"', page)
    assert len(grant_ids) == 2
    assert beheer.post("/redactie/accounts/eva/rol-weg", data={"csrf": token, "grant": grant_ids[0]}
                       ).status_code == 303
    assert len(_grants(settings, "eva")[0]) == 1
    assert eva.get("/redactie/").status_code == 303  # logged out
    eva = client_for(settings, "eva")
    # Disable: the open session ends and a new login fails; enable again.
    assert beheer.post("/redactie/accounts/eva/uitschakelen", data={"csrf": token}).status_code == 303
    assert _grants(settings, "eva")[1] is False
    assert eva.get("/redactie/").status_code == 303
    from test_redactie_web import login

    assert login(client_for(settings), "eva").status_code != 303
    assert beheer.post("/redactie/accounts/eva/inschakelen", data={"csrf": token}).status_code == 303
    client_for(settings, "eva")  # logs in again
    # A new password, typed twice.
    new = "een-nieuw-lang-wachtwoord"
    assert beheer.post("/redactie/accounts/eva/wachtwoord", data={
        "csrf": token, "wachtwoord": new, "wachtwoord_nog_eens": "anders"}).status_code == 422
    assert beheer.post("/redactie/accounts/eva/wachtwoord", data={
        "csrf": token, "wachtwoord": new, "wachtwoord_nog_eens": new}).status_code == 303
    assert login(client_for(settings), "eva", new).status_code == 303


def test_a_beheerder_cannot_lock_themselves_out(settings):
    beheer = client_for(settings, "beheer")
    page = beheer.get("/redactie/accounts/beheer")
    token = csrf(page.text)
    assert "Je eigen account kun je niet uitschakelen." in page.text
    assert beheer.post("/redactie/accounts/beheer/uitschakelen", data={"csrf": token}).status_code == 409
    grant = re.search(r'name="grant" value="(\d+)"', page.text).group(1)
    refused = beheer.post("/redactie/accounts/beheer/rol-weg", data={"csrf": token, "grant": grant})
    assert refused.status_code == 409 and "Vraag een andere beheerder." in refused.text
    assert _grants(settings, "beheer")[:2] == ([("beheerder", "all", "")], True)
    assert beheer.get("/redactie/accounts/niemand").status_code == 404
