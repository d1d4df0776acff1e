"""/health against stand-ins that are up or down; the chat page and its headers."""
from __future__ import annotations

import dataclasses
import re

import pytest
from channel_standins import RasaStandIn, channel_settings, unused_url
from starlette.testclient import TestClient

from bot.web.app import create_app


@pytest.fixture
def rasa():
    with RasaStandIn() as stand_in:
        yield stand_in


def _health(settings):
    with TestClient(create_app(settings)) as client:
        return client.get("/health")


def test_health_is_200_when_rasa_and_action_server_are_up(rasa, monkeypatch, tmp_path):
    response = _health(channel_settings(monkeypatch, tmp_path, rasa.url, action_server_url=rasa.url))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "rasa": True, "action_server": True}


def test_health_is_503_when_the_action_server_is_down(rasa, monkeypatch, tmp_path):
    response = _health(channel_settings(monkeypatch, tmp_path, rasa.url, action_server_url=unused_url()))
    assert response.status_code == 503
    assert response.json()["rasa"] is True and response.json()["action_server"] is False


def test_health_is_503_when_rasa_is_down(rasa, monkeypatch, tmp_path):
    response = _health(channel_settings(monkeypatch, tmp_path, unused_url(), action_server_url=rasa.url))
    assert response.status_code == 503
    assert response.json()["rasa"] is False and response.json()["action_server"] is True


def test_health_wants_rasa_itself_not_any_web_server(monkeypatch, tmp_path):
    # The action server stand-in answers "/" with Rasa's hello; an URL that 404s on "/" is not Rasa.
    with RasaStandIn() as other:
        other_url = other.url + "/ergens"
        response = _health(channel_settings(monkeypatch, tmp_path, other_url, action_server_url=other.url))
    assert response.json()["rasa"] is False


@pytest.fixture
def client(rasa, monkeypatch, tmp_path):
    with TestClient(create_app(channel_settings(monkeypatch, tmp_path, rasa.url))) as test_client:
        yield test_client


def test_chat_page_is_accessible_dutch_html_without_inline_script(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    html = page.text
    assert '<html lang="nl">' in html
    assert 'aria-live="polite"' in html
    assert re.search(r'<label for="bericht">', html) and 'id="bericht"' in html
    assert 'href="privacy"' in html
    assert "113" in html and "112" in html
    assert "digitale assistent, geen mens" in html
    # Only external scripts: the CSP forbids inline ones.
    assert re.findall(r"<script[^>]*>([^<]*)</script>", html) == [""]
    assert client.get("/static/chat.js").status_code == 200
    assert client.get("/static/chat.css").status_code == 200


def test_privacy_page_and_coach_inbox_are_part_of_the_app(client):
    privacy = client.get("/privacy")
    assert privacy.status_code == 200 and "text/html" in privacy.headers["content-type"]
    assert "frame-ancestors" in privacy.headers["content-security-policy"]
    coach = client.get("/coach/inloggen")
    assert coach.status_code == 200
    assert "frame-ancestors 'none'" in coach.headers["content-security-policy"]


def test_page_script_shows_bot_text_as_text_only(client):
    script = client.get("/static/chat.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # Without configured sites only our own pages (the demo host page) may embed the chat.
    assert csp.endswith("frame-ancestors 'self'")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert client.post("/api/chat", json={"message": "x"}).headers[
        "content-security-policy"].endswith("frame-ancestors 'self'")
    assert "frame-ancestors 'none'" in client.get("/coach/inloggen").headers["content-security-policy"]


def test_frame_ancestors_is_configurable_for_embedding(rasa, monkeypatch, tmp_path):
    base = channel_settings(monkeypatch, tmp_path, rasa.url)
    settings = dataclasses.replace(base, frame_ancestors="https://www.gemeente.example.nl")
    with TestClient(create_app(settings)) as client:
        headers = client.get("/").headers
        coach = client.get("/coach/").headers
    assert "frame-ancestors 'self' https://www.gemeente.example.nl" in headers["content-security-policy"]
    assert "x-frame-options" not in headers
    assert "frame-ancestors 'none'" in coach["content-security-policy"]


def test_frame_ancestors_from_environment(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url, WW_FRAME_ANCESTORS="https://a.example.nl")
    with TestClient(create_app(settings)) as client:
        assert "frame-ancestors 'self' https://a.example.nl" in client.get("/").headers["content-security-policy"]
