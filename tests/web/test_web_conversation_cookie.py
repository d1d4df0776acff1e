"""The conversation cookie: it ends after inactivity (browser and server), and it
is SameSite=None; Secure when the chat may be embedded in another site."""
from __future__ import annotations

import time

import pytest
from channel_standins import RasaStandIn, channel_settings
from itsdangerous import TimestampSigner
from starlette.testclient import TestClient

from bot.web.app import create_app
from bot.web.conversation import COOKIE_NAME, COOKIE_SALT, embedding_configured


@pytest.fixture
def rasa():
    with RasaStandIn() as stand_in:
        yield stand_in


def _say(client, text):
    response = client.post("/api/chat", json={"message": text})
    assert response.status_code == 200
    return response


def _attributes(set_cookie: str) -> dict[str, str]:
    parts = [part.strip() for part in set_cookie.split(";")]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts[1:]}


def test_cookie_has_an_inactivity_max_age_and_is_renewed_on_every_answer(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url, WW_CONVERSATION_IDLE_MINUTES="20")
    with TestClient(create_app(settings)) as client:
        first = _say(client, "een")
        assert _attributes(first.headers["set-cookie"])["max-age"] == str(20 * 60)
        second = _say(client, "twee")
        assert COOKIE_NAME in second.headers["set-cookie"]
        assert rasa.received[0][0] == rasa.received[1][0]


def test_server_refuses_an_expired_conversation_even_if_the_browser_kept_it(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url, WW_CONVERSATION_IDLE_MINUTES="1")
    with TestClient(create_app(settings)) as client:
        _say(client, "mijn zorg")
        old_cookie = client.cookies[COOKIE_NAME]
        # The same signed token, stamped two minutes ago: what a shared PC's browser still holds.
        token = TimestampSigner(settings.secret_key, salt=COOKIE_SALT).unsign(old_cookie).decode()

        class TwoMinutesAgo(TimestampSigner):
            def get_timestamp(self):
                return int(time.time()) - 120

        stale = TwoMinutesAgo(settings.secret_key, salt=COOKIE_SALT).sign(token).decode()
        client.cookies.clear()
        client.cookies.set(COOKIE_NAME, stale)
        _say(client, "hallo")
        assert rasa.received[1][0] != rasa.received[0][0], "an expired conversation starts anew"
        # A fresh cookie of the same conversation still works.
        client.cookies.clear()
        client.cookies.set(COOKIE_NAME, old_cookie)
        _say(client, "verder")
        assert rasa.received[2][0] == rasa.received[0][0]


def test_embedding_makes_the_cookie_samesite_none_and_secure(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url,
                                WW_FRAME_ANCESTORS="https://www.hilversum.nl https://www.gooisemeren.nl")
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        attributes = _attributes(_say(client, "hallo").headers["set-cookie"])
        assert attributes["samesite"].lower() == "none" and "secure" in attributes
        assert "httponly" in attributes


def test_without_embedding_the_cookie_stays_lax(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url)
    with TestClient(create_app(settings)) as client:
        attributes = _attributes(_say(client, "hallo").headers["set-cookie"])
        assert attributes["samesite"].lower() == "lax" and "secure" not in attributes


@pytest.mark.parametrize("value, embedded", [
    ("'none'", False), ("", False), ("'self'", False),
    ("https://www.hilversum.nl", True), ("'self' https://www.huizen.nl", True),
])
def test_embedding_is_configured_only_when_other_sites_are_named(value, embedded):
    assert embedding_configured(value) is embedded
