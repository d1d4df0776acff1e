"""The replicated profile without starting it: the process specs for WW_REPLICAS=2, and
the relay's routing decision (sticky by sender id, failover only when the request never
arrived) against two real HTTP stand-ins of Rasa's REST channel on 127.0.0.1."""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.processes import process_env, process_specs
from bot.relay import Relay, _crisis_texts, replica_order
from bot.settings import Settings, SettingsError

pytestmark = pytest.mark.scale

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from channel_standins import RasaStandIn, unused_url  # noqa: E402


def _settings(monkeypatch, tmp_path, **env) -> Settings:
    values = {
        "WW_VAR_DIR": str(tmp_path),
        "WW_REPLICAS": "2",
        "WW_REDIS_URL": "redis://127.0.0.1:6390/0",
        "WW_TRACKER_STORE_URL": "postgresql+psycopg2://rasa@127.0.0.1:5439/rasa",
        "WW_RASA_URL": "http://127.0.0.1:15005",
        "WW_ACTION_SERVER_URL": "http://127.0.0.1:15055",
        "WW_WEB_PORT": "18000",
        "WW_PUBLIC_URL": "",
        "TELEGRAM_BOT_TOKEN": "",
        **env,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env()


def test_two_replicas_of_every_process_on_consecutive_ports(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path)
    specs = {spec.name: spec for spec in process_specs(settings, tmp_path / "model.tar.gz")}
    kinds = ("actions", "rasa", "web", "sender")
    assert sorted(specs) == sorted(f"{kind}-{k}" for kind in kinds for k in (1, 2))
    assert settings.rasa_urls == ("http://127.0.0.1:15005", "http://127.0.0.1:15006")
    for k in (1, 2):
        rasa, actions, web = specs[f"rasa-{k}"], specs[f"actions-{k}"], specs[f"web-{k}"]
        assert rasa.command[rasa.command.index("--port") + 1] == str(15004 + k)
        assert actions.command[actions.command.index("--port") + 1] == str(15054 + k)
        # Rasa replica k calls action server k; web worker k has its own port, one public address.
        assert rasa.env == {"WW_ACTION_SERVER_URL": f"http://127.0.0.1:{15054 + k}"}
        assert web.env == {"WW_WEB_PORT": str(17999 + k), "WW_PUBLIC_URL": "http://127.0.0.1:18000"}
        assert web.health_url == f"http://127.0.0.1:{17999 + k}/health"
    assert process_env(settings)["WW_REPLICAS"] == "2"


def test_one_replica_keeps_the_plain_names(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, tmp_path, WW_REPLICAS="1")
    names = [spec.name for spec in process_specs(settings, tmp_path / "model.tar.gz")]
    assert names == ["actions", "rasa", "web", "sender"]
    assert all(spec.env == {} for spec in process_specs(settings, tmp_path / "model.tar.gz"))


def test_replicas_need_redis_and_the_postgresql_tracker_store(monkeypatch, tmp_path):
    with pytest.raises(SettingsError, match="WW_REPLICAS"):
        _settings(monkeypatch, tmp_path, WW_REDIS_URL="")
    with pytest.raises(SettingsError, match="WW_REPLICAS"):
        _settings(monkeypatch, tmp_path, WW_TRACKER_STORE_URL="")


def test_replica_order_is_stable_and_spreads_conversations():
    firsts = [replica_order(f"web-{n}", 2)[0] for n in range(2000)]
    assert 900 < firsts.count(0) < 1100
    assert all(sorted(replica_order(f"web-{n}", 3)) == [0, 1, 2] for n in range(50))
    assert replica_order("web-abc", 2) == replica_order("web-abc", 2)
    assert replica_order("web-abc", 1) == [0]


def _sender_for(replica: int) -> str:
    return next(f"web-{n}" for n in range(1000) if replica_order(f"web-{n}", 2)[0] == replica)


def _relay(*urls: str) -> Relay:
    # The relay reads only these fields of Settings.
    return Relay(SimpleNamespace(rasa_urls=urls, rasa_url=urls[0], rasa_timeout_seconds=5.0))


async def _send(relay: Relay, sender: str, text: str) -> list[dict]:
    try:
        return await relay.send(sender, text, "web")
    finally:
        await relay.aclose()


def test_a_conversation_always_goes_to_its_own_replica():
    with RasaStandIn() as first, RasaStandIn() as second:
        for replica, own, other in ((0, first, second), (1, second, first)):
            sender = _sender_for(replica)
            for text in ("hoi", "ik voel me eenzaam", "Bussum"):
                asyncio.run(_send(_relay(first.url, second.url), sender, text))
            assert [s for s, _ in own.received].count(sender) == 3
            assert sender not in [s for s, _ in other.received]


def test_an_unreachable_replica_fails_over_to_the_next(caplog):
    caplog.set_level(logging.WARNING, logger="bot.relay")
    with RasaStandIn() as second:
        sender = _sender_for(0)
        replies = asyncio.run(_send(_relay(unused_url(), second.url), sender, "hoi"))
    assert replies[0]["text"] == "echo: hoi" and second.received == [(sender, "hoi")]
    assert "rasa replica 1 unreachable" in caplog.text and "hoi" not in caplog.text.replace(sender, "")


def test_a_replica_that_fails_after_the_request_arrived_is_not_retried_elsewhere():
    with RasaStandIn() as first, RasaStandIn() as second:
        first.status = 500
        sender = _sender_for(0)
        replies = asyncio.run(_send(_relay(first.url, second.url), sender, "hoi"))
    assert first.received == [(sender, "hoi")] and second.received == []  # not handled twice
    assert replies == Relay.storing_messages()


def test_without_any_rasa_a_crisis_message_still_gets_the_crisis_reply():
    relay = _relay(unused_url(), unused_url())
    replies = asyncio.run(_send(relay, _sender_for(1), "ik wil niet meer leven"))
    assert [r["text"] for r in replies] == [_crisis_texts()["zelfdoding"]]
    relay = _relay(unused_url(), unused_url())
    assert asyncio.run(_send(relay, _sender_for(1), "ik zoek een breiclub")) == Relay.storing_messages()


def test_the_supervisor_gives_each_replica_its_own_variables(tmp_path):
    import io
    import threading
    import time

    from bot.processes import ProcessSpec
    from bot.supervisor import Supervisor

    code = ("import os, time; print('port', os.environ['WW_WEB_PORT'], os.environ['WW_SHARED']);"
            " time.sleep(30)")
    specs = [ProcessSpec(f"web-{k}", [sys.executable, "-c", code], None, {"WW_WEB_PORT": str(18000 + k - 1)})
             for k in (1, 2)]
    out = io.StringIO()
    supervisor = Supervisor(specs, {**os.environ, "WW_SHARED": "gedeeld", "WW_WEB_PORT": "1"}, str(tmp_path),
                            out=out, stop_timeout=5)
    thread = threading.Thread(target=supervisor.run, kwargs={"poll_seconds": 0.05})
    thread.start()
    deadline = time.monotonic() + 30
    while out.getvalue().count("port ") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    supervisor.request_stop()
    thread.join(30)
    text = out.getvalue()
    assert "web-1 | port 18000 gedeeld" in text and "web-2 | port 18001 gedeeld" in text, text
