"""The resident's status lookup on the web (/mijn-aanvraag) on a real, migrated SQLite file."""

import re

import yaml
from coach_testdata import add_request, add_team, make_settings
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from bot.handoff.intake import MAX_FAILED_PER_CONVERSATION
from bot.settings import PROJECT_ROOT
from bot.web.status import create_status_app

CHAT = yaml.safe_load((PROJECT_ROOT / "actions" / "teksten_handoff.yml").read_text(encoding="utf-8"))


def _ask(client, code, contact):
    page = client.get("/mijn-aanvraag/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    response = client.post("/mijn-aanvraag/", data={"csrf": csrf, "code": code, "contact": contact})
    found = re.search(r'<p class="melding" role="status">([^<]+)</p>', response.text)
    return response.status_code, found.group(1).replace("&#39;", "'") if found else None


def test_code_and_contact_show_the_status_and_wrong_or_unknown_get_one_reply(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    _, code = add_request(settings, team, contact="0612345678", status="opgepakt")
    client = TestClient(Starlette(routes=[Mount("/mijn-aanvraag", create_status_app(settings))]))
    assert _ask(client, code.lower(), "06-12345678") == (200, CHAT["status_inwoner_opgepakt"]["text"])
    wrong = _ask(client, code, "0687654321")
    unknown = _ask(client, "WW-ZZZZZZ", "0612345678")
    assert wrong == unknown == (200, CHAT["status_controle_mislukt"]["text"])
    for _ in range(MAX_FAILED_PER_CONVERSATION):
        _ask(client, code, "0687654321")
    assert _ask(client, code, "0612345678")[1] == CHAT["handoff_controle_te_vaak"]["text"]
    # Without the CSRF token nothing is looked up.
    assert client.post("/mijn-aanvraag/", data={"code": code, "contact": "0612345678"}).status_code == 403
