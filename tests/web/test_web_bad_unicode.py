"""The chat API refuses text that is not valid Unicode with a clear Dutch answer,
and nothing reaches Rasa or the contact intake."""
from __future__ import annotations

import pytest
from channel_standins import RasaStandIn, channel_settings
from starlette.testclient import TestClient

from bot.channel_messages import channel_text
from bot.text_input import is_readable_text
from bot.web.app import create_app


@pytest.fixture
def setup(monkeypatch, tmp_path):
    with RasaStandIn() as rasa:
        with TestClient(create_app(channel_settings(monkeypatch, tmp_path, rasa.url))) as client:
            yield client, rasa


@pytest.mark.parametrize("body", [
    b'{"message": "\\ud800"}',                 # a lone high surrogate
    b'{"message": "hallo \\udfff daar"}',      # a lone low surrogate inside text
    b'{"message": "\\ude00\\ud83d"}',          # a pair in the wrong order
    b'{"payload": "/bevestigen\\ud800"}',      # also in a button payload
    b'{"message": "nul\\u0000byte"}',          # NUL
    b'{"message": "bel\\u0007"}',              # a control character
    b'{"message": "\\uffff"}',                 # a noncharacter
    '{"message": "caf\u00e9"}'.encode("latin-1"),  # bytes that are no UTF-8
])
def test_invalid_unicode_gets_a_dutch_answer_and_reaches_nothing(setup, body):
    client, rasa = setup
    response = client.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    expected = {"error": "ongeldige_tekens", "message": channel_text("web", "ongeldige_tekens")}
    assert response.json() == expected
    assert rasa.received == []


def test_valid_unicode_still_passes(setup):
    client, rasa = setup
    for text in ("café", "😀 🙂", "ik ben\tmoe\nheel moe", "مرحبا", "\U0001f600 pair ok"):
        assert client.post("/api/chat", json={"message": text}).status_code == 200
    assert len(rasa.received) == 5


@pytest.mark.parametrize("text, readable", [
    ("gewoon", True), ("regel\nregel", True), ("\ud800", False), ("a\x00", False), ("\x1b[31m", False),
    ("\x85", False), ("😀", True),
])
def test_is_readable_text(text, readable):
    assert is_readable_text(text) is readable
