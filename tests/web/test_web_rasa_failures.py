"""Rasa that fails quietly is never silence: an empty reply list, a failed custom
action (the marker of bot.rasa_server) and a Rasa that does not answer in time all
give the Dutch "storing" reply that names 113 and 112."""
from __future__ import annotations

import threading
import time

import pytest
from channel_standins import RasaStandIn, channel_settings
from starlette.testclient import TestClient

from bot.channel_messages import channel_text
from bot.rasa_server import STORING_MARKER
from bot.web.app import create_app

STORING = channel_text("relay", "storing")


def _texts(response) -> list[str]:
    assert response.status_code == 200
    return [m["text"] for m in response.json()["messages"]]


def _client(monkeypatch, tmp_path, rasa, **env):
    return TestClient(create_app(channel_settings(monkeypatch, tmp_path, rasa.url, **env)))


def test_storing_text_names_the_crisis_lines():
    assert "113" in STORING and "112" in STORING


def test_an_empty_reply_list_is_a_failure_not_silence(monkeypatch, tmp_path):
    with RasaStandIn(lambda sender, message: []) as rasa, _client(monkeypatch, tmp_path, rasa) as client:
        assert _texts(client.post("/api/chat", json={"message": "hallo"})) == [STORING]


def test_a_failed_custom_action_adds_the_storing_reply_once(monkeypatch, tmp_path):
    def reply(sender, message):
        return [{"recipient_id": sender, "text": "Ik zoek in Hilversum."},
                {"recipient_id": sender, "custom": dict(STORING_MARKER)},
                {"recipient_id": sender, "custom": dict(STORING_MARKER)}]

    with RasaStandIn(reply) as rasa, _client(monkeypatch, tmp_path, rasa) as client:
        texts = _texts(client.post("/api/chat", json={"message": "Hilversum"}))
        assert texts == ["Ik zoek in Hilversum.", STORING]


def test_a_hung_rasa_gets_the_storing_reply_at_the_deadline(monkeypatch, tmp_path):
    release = threading.Event()

    def reply(sender, message):
        release.wait(30)  # hangs until the test ends
        return [{"recipient_id": sender, "text": "te laat"}]

    with RasaStandIn(reply) as rasa, _client(monkeypatch, tmp_path, rasa,
                                             WW_RASA_TIMEOUT_SECONDS="1.5") as client:
        try:
            started = time.monotonic()
            texts = _texts(client.post("/api/chat", json={"message": "hallo"}))
            elapsed = time.monotonic() - started
        finally:
            release.set()
    print(f"hung Rasa answered with 'storing' after {elapsed:.1f} s (deadline 1.5 s)")
    assert texts == [STORING]
    assert elapsed < 10


@pytest.mark.parametrize("status", [500, 503])
def test_rasa_errors_still_get_the_storing_reply(monkeypatch, tmp_path, status):
    with RasaStandIn() as rasa, _client(monkeypatch, tmp_path, rasa) as client:
        rasa.status = status
        assert _texts(client.post("/api/chat", json={"message": "hallo"})) == [STORING]



def test_what_the_fallback_needs_is_loaded_when_the_app_starts(monkeypatch, tmp_path):
    """Loaded on the first failed turn, the crisis lexicon's word lists cost 1-3 s on top
    of the deadline (an 8 s deadline became an 11.2 s answer in CI); the app loads them
    while it starts, before it accepts a message."""
    from bot.nlp.spelling import common_dutch_words

    common_dutch_words.cache_clear()
    with RasaStandIn() as rasa, _client(monkeypatch, tmp_path, rasa):
        assert common_dutch_words.cache_info().currsize == 1
