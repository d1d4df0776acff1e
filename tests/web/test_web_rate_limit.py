"""Too many chat messages get a Dutch 429 that still names the crisis lines; other
residents keep chatting. Also the sliding window itself."""
from __future__ import annotations

import time

import pytest
from channel_standins import RasaStandIn, channel_settings
from starlette.testclient import TestClient

from bot.web.app import create_app
from bot.web.rate_limit import SlidingWindow


@pytest.fixture
def app(monkeypatch, tmp_path):
    with RasaStandIn(lambda sender, message: [{"recipient_id": sender, "text": f"echo: {message}"}]) as rasa:
        settings = channel_settings(monkeypatch, tmp_path, rasa.url, WW_CHAT_MESSAGES_PER_MINUTE="3")
        yield create_app(settings), rasa


def test_a_conversation_over_the_limit_gets_a_dutch_429(app):
    web_app, rasa = app
    with TestClient(web_app) as resident, TestClient(web_app) as other_resident:
        answers = [resident.post("/api/chat", json={"message": f"bericht {n}"}) for n in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1].json()
        assert refused["error"] == "te_snel"
        assert "Wacht even" in refused["message"] and "113" in refused["message"]
        assert other_resident.post("/api/chat", json={"message": "hallo"}).status_code == 200
    assert "bericht 3" not in [m for _, m in rasa.received]


def test_sliding_window_counts_per_key_and_forgets_old_events():
    window = SlidingWindow(limit=2, window_seconds=0.2)
    assert window.allow("a") and window.allow("a")
    assert not window.allow("a")
    assert window.allow("b")
    time.sleep(0.25)
    assert window.allow("a")


def test_sliding_window_stays_bounded():
    window = SlidingWindow(limit=1, window_seconds=0.05, max_keys=10)
    for n in range(10):
        window.allow(f"k{n}")
    time.sleep(0.06)
    window.allow("new")
    assert window.count("k0") == 0 and len(window._events) <= 10
