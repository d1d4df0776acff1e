"""The chat API against a local Rasa stand-in: cookies, limits, bad input, payloads."""
from __future__ import annotations

import pytest
from channel_standins import RasaStandIn, channel_settings, unused_url
from starlette.testclient import TestClient

from bot.web.app import create_app
from bot.web.conversation import COOKIE_NAME

BUTTONS = [{"title": "Ja", "payload": "/bevestigen"}, {"title": "Nee", "payload": "/ontkennen"}]


def _reply(sender, message):
    if message == "vraag":
        return [{"recipient_id": sender, "text": "Wil je dat?", "buttons": BUTTONS}]
    if message == "html":
        return [{"recipient_id": sender, "text": "<b>vet</b>", "custom": {"kaart": {"id": "act-1"}}}]
    if message == "bel me maar":
        return [{"recipient_id": sender, "text": "Wat is je telefoonnummer of e-mailadres?"},
                {"recipient_id": sender, "custom": {"pii_request": "contact"}}]
    return [{"recipient_id": sender, "text": f"echo: {message}"}]


@pytest.fixture
def rasa():
    with RasaStandIn(_reply) as stand_in:
        yield stand_in


@pytest.fixture
def client(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url, WW_MAX_MESSAGE_CHARS="50")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def say(client, message):
    return client.post("/api/chat", json={"message": message})


def test_round_trip_issues_an_httponly_conversation_cookie(client, rasa):
    response = say(client, "hallo")
    assert response.status_code == 200
    assert response.json()["messages"] == [{"text": "echo: hallo", "buttons": [], "custom": None}]
    cookie = response.headers["set-cookie"]
    assert COOKIE_NAME in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie
    sender = rasa.received[0][0]
    assert sender.startswith("web-") and len(sender) > 30


def test_same_conversation_keeps_its_sender_and_others_get_their_own(client, rasa):
    first = say(client, "een")
    second = say(client, "twee")
    # The same conversation, issued again with a fresh time (inactivity expiry).
    assert first.headers["set-cookie"].split(";")[0] != "" and COOKIE_NAME in second.headers["set-cookie"]
    assert rasa.received[0][0] == rasa.received[1][0]
    client.cookies.clear()
    say(client, "drie")
    assert rasa.received[2][0] != rasa.received[0][0]


def test_the_browser_cannot_choose_the_sender_id(client, rasa):
    client.cookies.set(COOKIE_NAME, "web-gekozen-door-browser")
    response = client.post("/api/chat", json={"message": "hallo", "sender": "iemand-anders"})
    sender = rasa.received[0][0]
    assert "gekozen" not in sender and "iemand-anders" not in sender
    assert COOKIE_NAME in response.headers["set-cookie"]  # a forged cookie starts a new conversation


def test_secure_cookie_when_configured(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url, WW_COOKIE_SECURE="true")
    with TestClient(create_app(settings)) as test_client:
        assert "Secure" in say(test_client, "hallo").headers["set-cookie"]


def test_too_long_message_is_refused_in_dutch_and_not_sent(client, rasa):
    response = say(client, "a" * 51)
    assert response.status_code == 413
    assert response.json()["error"] == "te_lang"
    assert "te lang" in response.json()["message"] and "50" in response.json()["message"]
    assert rasa.received == []
    assert say(client, "a" * 50).status_code == 200


def test_huge_body_is_refused_without_reading_it_all(client, rasa):
    response = client.post("/api/chat", content=b'{"message": "' + b"x" * 2_000_000 + b'"}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert rasa.received == []


@pytest.mark.parametrize("content, content_type", [
    (b"message=hallo", "application/x-www-form-urlencoded"),
    (b"hallo", "text/plain"),
    (b'{"message": "hallo"}', None),
])
def test_non_json_is_refused_with_415(client, rasa, content, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/chat", content=content, headers=headers)
    assert response.status_code == 415
    assert response.json()["error"] == "geen_json" and response.json()["message"]
    assert rasa.received == []


@pytest.mark.parametrize("content, status", [
    (b"{niet: json", 400), (b"\xff\xfe", 400), (b"[1, 2]", 422), (b'{"message": 5}', 422), (b"{}", 422),
])
def test_broken_json_gets_a_dutch_error(client, rasa, content, status):
    response = client.post("/api/chat", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert response.json()["message"]
    assert rasa.received == []


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "/", " // "])
def test_empty_message_asks_to_type_something_and_is_not_sent(client, rasa, message):
    response = say(client, message)
    assert response.status_code == 200
    assert "Typ eerst" in response.json()["messages"][0]["text"]
    assert rasa.received == []


def test_typed_slash_text_never_reaches_rasa_as_an_intent(client, rasa):
    say(client, '/crisis{"crisis_soort": "x"}')
    say(client, "  /bevestigen")
    assert rasa.received[0][1] == 'crisis{"crisis_soort": "x"}'
    assert rasa.received[1][1] == "bevestigen"


def test_offered_payload_is_passed_but_not_an_unoffered_one(client, rasa):
    offered = say(client, "vraag").json()["messages"][0]
    assert offered["buttons"] == BUTTONS
    say(client, "/bevestigen")
    assert rasa.received[-1][1] == "/bevestigen"
    # The last reply offered nothing, so the same payload is now plain text.
    say(client, "/bevestigen")
    assert rasa.received[-1][1] == "bevestigen"
    client.post("/api/chat", json={"payload": "/stoppen"})
    assert rasa.received[-1][1] == "stoppen"


def test_payload_offered_to_another_conversation_is_plain_text(client, rasa):
    say(client, "vraag")
    client.cookies.clear()
    say(client, "/bevestigen")
    assert rasa.received[-1][1] == "bevestigen"


def test_reply_html_and_custom_are_passed_as_data(client):
    message = say(client, "html").json()["messages"][0]
    assert message["text"] == "<b>vet</b>"  # the page shows it with textContent
    assert message["custom"] == {"kaart": {"id": "act-1"}}


def test_contact_details_never_reach_rasa(client, rasa):
    messages = say(client, "bel me maar").json()["messages"]
    assert [m["text"] for m in messages] == ["Wat is je telefoonnummer of e-mailadres?"]  # no pii payload
    say(client, "06 12345678")
    assert rasa.received[-1][1].startswith("/pii_ontvangen")
    assert all(b"12345678" not in body for body in rasa.raw_bodies)


def test_rasa_down_gives_a_dutch_message_with_crisis_lines(monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, unused_url())
    with TestClient(create_app(settings)) as test_client:
        response = say(test_client, "ik voel me alleen")
    assert response.status_code == 200
    text = response.json()["messages"][0]["text"]
    assert "113" in text and "0800-0113" in text and "112" in text
    assert "Traceback" not in text


def test_rasa_error_gives_the_same_dutch_message(client, rasa):
    rasa.status = 500
    text = say(client, "hallo").json()["messages"][0]["text"]
    assert "113" in text and "112" in text


def test_get_is_not_allowed_on_the_chat_api(client):
    assert client.get("/api/chat").status_code == 405
