"""/redactie through Starlette's TestClient on a real, migrated SQLite database with the
test catalogue: login, CSRF, scopes, the form with the import's messages, the workflow
with four eyes, optimistic locking, history and revert, archive, stale queue, accounts."""

from __future__ import annotations

import dataclasses
import re

import pytest
from kaart_helpers import good_document
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot import accounts
from bot.handoff.db import make_engine, migrate, session_scope
from bot.settings import Settings
from bot.web.redactie import create_editors_app
from sociale_kaart import editorial
from sociale_kaart.db import migrate as migrate_catalogue
from sociale_kaart.importer import import_records

PASSWORD = "lang-en-geheim-wachtwoord"
KEY = "act-koffie-oost"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("WW_DATABASE_URL", raising=False)
    settings = Settings.from_env()
    migrate(settings.database_url)
    migrate_catalogue(settings.database_url)
    assert import_records(make_engine(settings.database_url), good_document()).ok
    with session_scope(settings.database_url) as db:
        for name, role, kind, code in (
            ("anna", "redacteur", accounts.SCOPE_ORGANISATION, "org-buurt-hilversum"),
            ("bert", "eindredacteur", accounts.SCOPE_REGION, "Gooi en Vechtstreek"),
            ("carla", "eindredacteur", accounts.SCOPE_ORGANISATION, "org-buurt-hilversum"),
            ("dirk", "redacteur", accounts.SCOPE_ORGANISATION, "org-regio-gooi"),
            ("beheer", "beheerder", accounts.SCOPE_ALL, None),
            ("coach", "coach", accounts.SCOPE_TEAM, "versa"),
        ):
            user = accounts.create_user(db, name, PASSWORD)
            accounts.grant(db, user, role, kind, code)
    return settings


def client_for(settings, username=None) -> TestClient:
    client = TestClient(Starlette(routes=[Mount("/redactie", create_editors_app(settings))]), follow_redirects=False)
    if username:
        response = login(client, username)
        assert response.status_code == 303, response.text
    return client


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, username, password=PASSWORD):
    page = client.get("/redactie/inloggen")
    return client.post("/redactie/inloggen",
                       data={"gebruikersnaam": username, "wachtwoord": password, "csrf": csrf(page.text)})


def body(pairs) -> dict:
    result: dict[str, list[str]] = {}
    for key, value in pairs:
        result.setdefault(key, []).append(value)
    return result


def form_of(html: str, action: str) -> list:
    """The values a browser would post from the form with this action (inputs, selects, checkboxes)."""
    start = html.index(f'action="{action}"')
    body = html[start: html.index("</form>", start)]
    data: list[tuple[str, str]] = []
    for tag in re.findall(r"<input[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        data.append((name.group(1), _unescape(value.group(1) if value else "")))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        data.append((name, _unescape(chosen.group(1)) if chosen else ""))
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        data.append((name, _unescape(text)))
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def replace(data, name, value):
    return [(k, value if k == name else v) for k, v in data]


def live(settings, key=KEY):
    with make_engine(settings.database_url).connect() as connection:
        return editorial.published_record(connection, key)


def test_pages_need_a_login_and_an_editor_role(settings):
    client = client_for(settings)
    for path in ("/redactie/", f"/redactie/activiteit/{KEY}", "/redactie/verouderd", "/redactie/accounts"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/redactie/inloggen"
    assert login(client, "coach").status_code == 401
    assert login(client, "anna", "fout").status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in login(client, "anna", "fout").text


def test_every_post_needs_the_csrf_token(settings):
    client = client_for(settings, "anna")
    page = client.get(f"/redactie/activiteit/{KEY}")
    data = [(k, v) for k, v in form_of(page.text, f"/redactie/activiteit/{KEY}") if k != "csrf"]
    response = client.post(f"/redactie/activiteit/{KEY}", data=body(data))
    assert response.status_code == 403 and "verlopen" in response.text
    response = client.post(f"/redactie/activiteit/{KEY}/gecontroleerd", data={"csrf": "vals"})
    assert response.status_code == 403


def test_list_filters_and_scopes(settings):
    anna = client_for(settings, "anna")
    page = anna.get("/redactie/")
    assert page.status_code == 200 and "Koffieochtend in de buurtkamer" in page.text
    assert "Mantelzorg" not in page.text.split("kop-resultaat", 1)[1]  # other organisation
    assert anna.get("/redactie/activiteit/act-mantelzorg-regio").status_code == 403
    beheer = client_for(settings, "beheer")
    everything = beheer.get("/redactie/")
    assert "3 activiteiten" in everything.text
    assert "1 activiteit<" in beheer.get("/redactie/", params={"zoek": "koffie"}).text
    assert "1 activiteit<" in beheer.get("/redactie/", params={"gemeente": "GM0402"}).text
    assert "0 activiteiten" in beheer.get("/redactie/", params={"thema": "bestaat-niet"}).text
    assert "3 activiteiten" in beheer.get("/redactie/", params={"dagen": "1", "sorteer": "gecontroleerd"}).text


def test_edit_submit_publish_with_four_eyes_and_revert(settings):
    anna = client_for(settings, "anna")
    page = anna.get(f"/redactie/activiteit/{KEY}")
    assert page.status_code == 200
    assert "Elke dinsdag" in page.text  # the description in the form
    assert "Inwoners lezen:" in page.text and "dinsdag" in page.text  # the generated schedule line
    data = replace(form_of(page.text, f"/redactie/activiteit/{KEY}"), "naam", "Koffie-uurtje in de buurtkamer")
    saved = anna.post(f"/redactie/activiteit/{KEY}", data=body(data))
    assert saved.status_code == 303, saved.text
    assert live(settings)["naam"] == "Koffieochtend in de buurtkamer"  # a concept is not published
    page = anna.get(f"/redactie/activiteit/{KEY}")
    assert "Opgeslagen als concept" in page.text
    submitted = anna.post(f"/redactie/activiteit/{KEY}/indienen",
                          data=body(form_of(page.text, f"/redactie/activiteit/{KEY}/indienen")))
    assert submitted.status_code == 303
    # anna is no eindredacteur; carla is, but of the same organisation: she publishes.
    assert "Publiceren" not in anna.get(f"/redactie/activiteit/{KEY}").text
    carla = client_for(settings, "carla")
    page = carla.get(f"/redactie/activiteit/{KEY}")
    published = carla.post(f"/redactie/activiteit/{KEY}/publiceren",
                           data=body(form_of(page.text, f"/redactie/activiteit/{KEY}/publiceren")))
    assert published.status_code == 303
    assert live(settings)["naam"] == "Koffie-uurtje in de buurtkamer"
    history = carla.get(f"/redactie/activiteit/{KEY}/versies")
    assert "<del>Koffieochtend in de buurtkamer</del>" in history.text
    assert "<ins>Koffie-uurtje in de buurtkamer</ins>" in history.text
    revert_form = [(k, v) for k, v in form_of(history.text, f"/redactie/activiteit/{KEY}/terugzetten")]
    assert dict(revert_form)["naar"] == "0"
    assert carla.post(f"/redactie/activiteit/{KEY}/terugzetten", data=body(revert_form)).status_code == 303
    page = carla.get(f"/redactie/activiteit/{KEY}")
    carla.post(f"/redactie/activiteit/{KEY}/indienen", data=body(form_of(page.text, f"/redactie/activiteit/{KEY}/indienen")))
    # carla wrote the revert: she may not publish it herself.
    page = carla.get(f"/redactie/activiteit/{KEY}")
    refused = carla.post(f"/redactie/activiteit/{KEY}/publiceren",
                         data=body(form_of(page.text, f"/redactie/activiteit/{KEY}/publiceren")))
    assert refused.status_code == 409 and "andere eindredacteur" in refused.text
    bert = client_for(settings, "bert")  # eindredacteur of the region the activity is offered in
    page = bert.get(f"/redactie/activiteit/{KEY}")
    assert bert.post(f"/redactie/activiteit/{KEY}/publiceren",
                     data=body(form_of(page.text, f"/redactie/activiteit/{KEY}/publiceren"))).status_code == 303
    assert live(settings)["naam"] == "Koffieochtend in de buurtkamer"


def test_invalid_input_shows_the_import_messages_and_keeps_what_was_typed(settings):
    anna = client_for(settings, "anna")
    page = anna.get(f"/redactie/activiteit/{KEY}")
    data = form_of(page.text, f"/redactie/activiteit/{KEY}")
    data = replace(data, "contact.email", "geen-mailadres")
    data = replace(data, "naam", "<script>alert(1)</script>")
    data = replace(data, "locaties.0.postcode", "12")
    response = anna.post(f"/redactie/activiteit/{KEY}", data=body(data))
    assert response.status_code == 422
    assert "geen geldig e-mailadres" in response.text
    assert "zonder HTML-code" in response.text
    assert "geen Nederlandse postcode" in response.text
    assert "<script>alert(1)</script>" not in response.text  # escaped, kept in the field
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert 'aria-invalid="true"' in response.text
    # The summary names the field and links to it.
    assert re.search(r'<li><a href="#veld-naam">Naam</a>: [^<]*zonder HTML-code', response.text), response.text
    with make_engine(settings.database_url).connect() as connection:
        assert editorial.latest_number(connection, KEY) == 0


def test_two_editors_at_once_the_second_is_told_and_loses_nothing(settings):
    anna, carla = client_for(settings, "anna"), client_for(settings, "carla")
    page_a = anna.get(f"/redactie/activiteit/{KEY}")
    page_c = carla.get(f"/redactie/activiteit/{KEY}")
    data_a = replace(form_of(page_a.text, f"/redactie/activiteit/{KEY}"), "naam", "Naam van Anna")
    data_c = replace(form_of(page_c.text, f"/redactie/activiteit/{KEY}"), "naam", "Naam van Carla")
    assert anna.post(f"/redactie/activiteit/{KEY}", data=body(data_a)).status_code == 303
    second = carla.post(f"/redactie/activiteit/{KEY}", data=body(data_c))
    assert second.status_code == 409
    assert "Iemand anders heeft dit gewijzigd" in second.text
    assert 'value="Naam van Carla"' in second.text  # her text is still in the form


def test_create_duplicate_archive_verify_and_stale_queue(settings):
    settings = dataclasses.replace(settings, redactie_stale_days=30)  # the fixture was checked 2026-09-14
    anna = client_for(settings, "anna")
    page = anna.get("/redactie/nieuw", params={"van": KEY})
    data = form_of(page.text, "/redactie/nieuw")
    assert dict(data)["id"] == f"{KEY}-kopie"
    assert anna.post("/redactie/nieuw", data=body(data)).status_code == 303
    assert live(settings, f"{KEY}-kopie") is None
    assert "Nieuw, nog niet gepubliceerd" in anna.get("/redactie/").text
    again = anna.post("/redactie/nieuw", data=body(data))
    assert again.status_code == 409 and "Er is al een activiteit" in again.text

    assert "Koffieochtend" in anna.get("/redactie/verouderd").text
    page = anna.get(f"/redactie/activiteit/{KEY}")
    anna.post(f"/redactie/activiteit/{KEY}/gecontroleerd", data={"csrf": csrf(page.text)})
    assert "Koffieochtend" not in anna.get("/redactie/verouderd").text
    assert live(settings)["laatst_gecontroleerd"]["door"] == "anna"

    page = anna.get(f"/redactie/activiteit/{KEY}")
    data = form_of(page.text, f"/redactie/activiteit/{KEY}/archiveren")
    no_reason = anna.post(f"/redactie/activiteit/{KEY}/archiveren", data=body(data))
    assert no_reason.status_code == 409 and "waarom" in no_reason.text
    data = replace(data, "reden", "De groep is gestopt.")
    assert anna.post(f"/redactie/activiteit/{KEY}/archiveren", data=body(data)).status_code == 303
    assert live(settings)["status"] == "beeindigd"


def test_accounts_page_for_a_beheerder_only(settings):
    assert client_for(settings, "anna").get("/redactie/accounts").status_code == 403
    beheer = client_for(settings, "beheer")
    page = beheer.get("/redactie/accounts")
    assert page.status_code == 200 and "anna" in page.text
    created = beheer.post("/redactie/accounts", data={
        "csrf": csrf(page.text), "gebruikersnaam": "eva", "wachtwoord": PASSWORD, "wachtwoord_nog_eens": PASSWORD,
        "rol": "redacteur", "soort": "organisation", "code": "org-regio-gooi"})
    assert created.status_code == 303
    eva = client_for(settings, "eva")
    assert eva.get("/redactie/activiteit/act-mantelzorg-regio").status_code == 200
    bad = beheer.post("/redactie/accounts", data={
        "csrf": csrf(page.text), "gebruikersnaam": "fien", "wachtwoord": "kort", "wachtwoord_nog_eens": "kort",
        "rol": "redacteur", "soort": "organisation", "code": "org-regio-gooi"})
    assert bad.status_code == 422


def _yaml(document) -> bytes:
    import yaml

    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


def upload(client, content: bytes, name="kaart.yml"):
    page = client.get("/redactie/importeren")
    assert page.status_code == 200
    return client.post("/redactie/importeren", data={"csrf": csrf(page.text)},
                       files={"bestand": (name, content, "application/octet-stream")})


def test_import_in_the_browser_dry_run_then_apply_with_versions(settings):
    assert client_for(settings, "anna").get("/redactie/importeren").status_code == 403
    beheer = client_for(settings, "beheer")
    document = good_document()
    document["activiteiten"][0]["naam"] = "Koffie via het bestand"
    extra = dict(document["activiteiten"][0], id="act-nieuw-uit-bestand", naam="Nieuw uit het bestand")
    document["activiteiten"].append(extra)
    preview = upload(beheer, _yaml(document), "test.yml")
    assert preview.status_code == 200, preview.text
    assert "Koffie via het bestand" in preview.text and "Nieuw uit het bestand" in preview.text
    assert live(settings)["naam"] == "Koffieochtend in de buurtkamer"  # a dry run writes nothing
    assert live(settings, "act-nieuw-uit-bestand") is None
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    applied = beheer.post("/redactie/importeren/toepassen", data={"csrf": csrf(preview.text), "token": token})
    assert applied.status_code == 200 and "Ingelezen." in applied.text
    assert live(settings)["naam"] == "Koffie via het bestand"
    assert live(settings, "act-nieuw-uit-bestand")["naam"] == "Nieuw uit het bestand"
    history = beheer.get(f"/redactie/activiteit/{KEY}/versies")
    assert "<ins>Koffie via het bestand</ins>" in history.text and "Ingelezen uit een bestand." in history.text
    again = beheer.post("/redactie/importeren/toepassen", data={"csrf": csrf(preview.text), "token": token})
    assert again.status_code == 400  # the staged file is used once


def test_bad_uploads_lose_nothing(settings):
    beheer = client_for(settings, "beheer")
    broken = upload(beheer, b"activiteiten: [\n  - id: x\n    naam: 'open", "kapot.yml")
    assert broken.status_code == 422 and "geen geldige YAML" in broken.text
    document = good_document()
    document["activiteiten"][0]["naam"] = "<script>alert(1)</script>"
    document["activiteiten"][1]["naam"] = "Mag wel, maar de ander niet"
    scripted = upload(beheer, _yaml(document), "script.yml")
    assert scripted.status_code == 422 and "zonder HTML-code" in scripted.text
    assert "<script>alert(1)</script>" not in scripted.text
    assert live(settings, "act-mantelzorg-regio")["naam"] != "Mag wel, maar de ander niet"  # no partial import
    small = dataclasses.replace(settings, import_max_bytes=100)
    huge = upload(client_for(small, "beheer"), b"#" * 5000, "groot.yml")
    assert huge.status_code == 422 and "te groot" in huge.text
    unknown = upload(beheer, b"x", "kaart.exe")
    assert unknown.status_code == 422 and ".yml, .yaml, .csv of" in unknown.text


def test_signed_klopt_nog_link_marks_the_entry_verified_once(settings):
    from bot.web.redactie import reminders

    checked = live(settings)["laatst_gecontroleerd"]["datum"]
    token = reminders.make_token(settings.secret_key, KEY, checked.isoformat())
    client = client_for(settings)  # no login: the signed link is enough
    page = client.get(f"/redactie/klopt-nog/{token}")
    assert page.status_code == 200 and "Ja, het klopt nog" in page.text
    assert live(settings)["laatst_gecontroleerd"]["datum"] == checked  # opening marks nothing
    done = client.post(f"/redactie/klopt-nog/{token}", data={"csrf": csrf(page.text)})
    assert done.status_code == 200 and "nog klopt" in done.text
    assert live(settings)["laatst_gecontroleerd"]["datum"] > checked
    assert client.get(f"/redactie/klopt-nog/{token}").status_code == 410  # used once
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(f"/redactie/klopt-nog/{forged}").status_code == 410
    other = reminders.make_token("een-andere-sleutel-van-voldoende-lengte", KEY, checked.isoformat())
    assert client.get(f"/redactie/klopt-nog/{other}").status_code == 410
    assert reminders.read_token(settings.secret_key, token, max_age_days=-1) is None  # expired
