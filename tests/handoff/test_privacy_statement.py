"""The privacy statement page: B1 Dutch, names what, why, how long, rights and contact."""
import re

from coach_testdata import make_settings
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.web.pages.privacy import privacy_route


def _page(settings):
    return TestClient(Starlette(routes=[privacy_route(settings)])).get("/privacy")


def test_statement_covers_what_why_how_long_rights_and_contact(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    page = _page(settings)
    assert page.status_code == 200 and 'lang="nl"' in page.text
    text = re.sub(r"<[^>]+>", " ", page.text)
    for needed in ("geen mens", "telefoonnummer", "versleuteld", "binnen twee weken", "90 dagen",
                   "30 dagen", "verwijder mijn gegevens", "referentiecode", "toestemming intrekken",
                   "Autoriteit Persoonsgegevens", "privacy@example.org"):
        assert needed in text, needed
    sentences = [s for s in re.split(r"[.!?:]\s", " ".join(text.split())) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 25  # B1: short sentences
    assert " u " not in text and " uw " not in text  # "je", not "u"


def test_retention_periods_follow_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_RETENTION_DAYS", "60")
    monkeypatch.setenv("WW_RETENTION_TRACKER_DAYS", "14")
    settings = make_settings(tmp_path, monkeypatch)  # read once, at start-up
    text = _page(settings).text
    assert "60 dagen nadat de coach" in text and "14 dagen na je laatste bericht" in text


def test_the_web_app_serves_it_and_the_inbox(tmp_path, monkeypatch):
    from bot.web.app import create_app

    settings = make_settings(tmp_path, monkeypatch)
    with TestClient(create_app(settings)) as client:
        page = client.get("/privacy")
        assert page.status_code == 200 and "Jouw rechten" in page.text
        assert client.get("/coach/inloggen").status_code == 200
