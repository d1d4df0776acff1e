"""The Telegram bridge end to end: a local Bot API stand-in, a local Rasa
stand-in, and the real bridge (PTB application) in a background thread."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
from telegram_botapi_standin import BotApiStandIn
from web.channel_standins import RasaStandIn, channel_settings, free_port, unused_url

from bot.telegram.bridge import telegram_sender_id, webhook_secret_token
from bot.telegram.service import run_bridge

TOKEN = "123456:TEST-token"
CHAT_ID = 424242
LONG_PAYLOAD = '/kies_activiteit{"activiteit_id": "act-hilversum-koffieochtend-oost-dinsdagochtend"}'
BUTTONS = [{"title": "Ja", "payload": "/bevestigen"}, {"title": "Koffieochtend", "payload": LONG_PAYLOAD}]


def _reply(sender, message):
    if message == "vraag":
        return [{"recipient_id": sender, "text": "Wil je dat?", "buttons": BUTTONS}]
    if message == "lang":
        long_text = ("Een lange regel.\n" * 400).strip()
        return [{"recipient_id": sender, "text": long_text, "buttons": BUTTONS[:1]}]
    if message == "traag":
        time.sleep(1.0)  # Rasa takes its time; the resident sends a sticker meanwhile
    if message == "bel me maar":
        return [{"recipient_id": sender, "text": "Wat is je telefoonnummer of e-mailadres?"},
                {"recipient_id": sender, "custom": {"pii_request": "contact"}}]
    return [{"recipient_id": sender, "text": f"echo: {message}"}]


@pytest.fixture
def rasa():
    with RasaStandIn(_reply) as stand_in:
        yield stand_in


@pytest.fixture
def botapi():
    with BotApiStandIn(TOKEN) as stand_in:
        yield stand_in


def _settings(monkeypatch, tmp_path, botapi, rasa_url, **env):
    return channel_settings(monkeypatch, tmp_path, rasa_url, TELEGRAM_BOT_TOKEN=TOKEN,
                            WW_TELEGRAM_API_BASE_URL=botapi.base_url, **env)


@contextmanager
def running_bridge(settings):
    started, errors, holder = threading.Event(), [], {}

    async def main():
        holder["loop"], holder["stop"] = asyncio.get_running_loop(), asyncio.Event()
        started.set()
        await run_bridge(settings, holder["stop"])

    def target():
        try:
            asyncio.run(main())
        except BaseException as problem:  # noqa: BLE001 - reported by the test
            errors.append(problem)
            started.set()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    assert started.wait(15)
    try:
        yield
    finally:
        if thread.is_alive():
            holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(30)
        assert not thread.is_alive(), "bridge did not stop"
        assert not errors, errors


def test_message_round_trip_with_hmac_sender_id(monkeypatch, tmp_path, botapi, rasa):
    settings = _settings(monkeypatch, tmp_path, botapi, rasa.url)
    with running_bridge(settings):
        botapi.queue(botapi.text_update(CHAT_ID, "ik voel me alleen"))
        sent = botapi.wait_for("sendMessage", 1)
    assert [(int(m["chat_id"]), m["text"]) for m in sent] == [(CHAT_ID, "echo: ik voel me alleen")]
    assert botapi.calls_of("deleteWebhook"), "polling mode starts by removing any webhook"
    sender, message = rasa.received[0]
    assert sender == telegram_sender_id(settings.secret_key, CHAT_ID)
    assert sender != telegram_sender_id("another-secret", CHAT_ID)
    assert all(str(CHAT_ID) not in body.decode() for body in rasa.raw_bodies)


def test_buttons_become_inline_keyboard_and_callback_is_relayed(monkeypatch, tmp_path, botapi, rasa):
    settings = _settings(monkeypatch, tmp_path, botapi, rasa.url)
    with running_bridge(settings):
        botapi.queue(botapi.text_update(CHAT_ID, "vraag"))
        question = botapi.wait_for("sendMessage", 1)[0]
        keyboard = question["reply_markup"]["inline_keyboard"]
        assert [row[0]["text"] for row in keyboard] == ["Ja", "Koffieochtend"]
        keys = [row[0]["callback_data"] for row in keyboard]
        assert all(len(key.encode()) <= 64 for key in keys) and LONG_PAYLOAD not in keys

        botapi.queue(botapi.callback_update(CHAT_ID, keys[1], message_id=int(question.get("message_id", 1))))
        sent = botapi.wait_for("sendMessage", 2)
        assert botapi.wait_for("answerCallbackQuery", 1)
        assert botapi.wait_for("editMessageReplyMarkup", 1)
        assert rasa.received[-1] == (telegram_sender_id(settings.secret_key, CHAT_ID), LONG_PAYLOAD)
        assert sent[1]["text"] == f"echo: {LONG_PAYLOAD}"

        # The same button again (already used) and forged callback data are not relayed.
        botapi.queue(botapi.callback_update(CHAT_ID, keys[0]))
        botapi.queue(botapi.callback_update(CHAT_ID, "/crisis"))
        sent = botapi.wait_for("sendMessage", 4)
        assert botapi.wait_for("answerCallbackQuery", 3)
    assert len(rasa.received) == 2
    assert "eerdere vraag" in sent[2]["text"] and "eerdere vraag" in sent[3]["text"]


def test_start_greets_and_typed_commands_are_plain_text(monkeypatch, tmp_path, botapi, rasa):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.text_update(CHAT_ID, "/start"))
        botapi.wait_for("sendMessage", 1)
        botapi.queue(botapi.text_update(CHAT_ID, '/bevestigen{"plaats": "Hilversum"}'))
        botapi.wait_for("sendMessage", 2)
    assert [message for _, message in rasa.received] == ["/begroeten", 'bevestigen{"plaats": "Hilversum"}']


def test_non_text_gets_a_dutch_reply_and_is_not_relayed(monkeypatch, tmp_path, botapi, rasa):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.sticker_update(CHAT_ID))
        sent = botapi.wait_for("sendMessage", 1)
    assert "alleen tekst" in sent[0]["text"]
    assert rasa.received == []


def test_replies_in_one_chat_keep_the_order_of_the_updates(monkeypatch, tmp_path, botapi, rasa):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.text_update(CHAT_ID, "traag"))
        assert botapi.wait_for("sendChatAction", 1)  # the text's turn has started
        botapi.queue(botapi.sticker_update(CHAT_ID))
        sent = botapi.wait_for("sendMessage", 2)
    assert sent[0]["text"] == "echo: traag" and "alleen tekst" in sent[1]["text"]


def test_group_chats_and_too_long_messages_do_not_reach_rasa(monkeypatch, tmp_path, botapi, rasa):
    settings = _settings(monkeypatch, tmp_path, botapi, rasa.url, WW_MAX_MESSAGE_CHARS="20")
    with running_bridge(settings):
        botapi.queue(botapi.group_text_update(-1001, "hallo allemaal"))
        botapi.queue(botapi.text_update(CHAT_ID, "x" * 21))
        sent = botapi.wait_for("sendMessage", 1)
    assert [int(m["chat_id"]) for m in sent] == [CHAT_ID]
    assert "te lang" in sent[0]["text"] and "20" in sent[0]["text"]
    assert rasa.received == []


def test_rasa_down_gives_the_crisis_numbers(monkeypatch, tmp_path, botapi):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, unused_url())):
        botapi.queue(botapi.text_update(CHAT_ID, "hallo"))
        sent = botapi.wait_for("sendMessage", 1)
    assert "113" in sent[0]["text"] and "0800-0113" in sent[0]["text"] and "112" in sent[0]["text"]


def _wait_until_listening(url: str) -> None:
    for _ in range(100):
        try:
            httpx.get(url, timeout=0.5)
            return
        except httpx.TransportError:
            threading.Event().wait(0.1)
    raise TimeoutError(url)


def test_webhook_mode_checks_the_secret_token(monkeypatch, tmp_path, botapi, rasa):
    port = free_port()
    public = "https://bot.example.nl/telegram/hook"
    settings = _settings(monkeypatch, tmp_path, botapi, rasa.url, WW_TELEGRAM_WEBHOOK_URL=public,
                         WW_TELEGRAM_WEBHOOK_LISTEN=f"127.0.0.1:{port}")
    secret = webhook_secret_token(settings.secret_key)
    local = f"http://127.0.0.1:{port}/telegram/hook"
    with running_bridge(settings):
        _wait_until_listening(local)
        registered = botapi.wait_for("setWebhook", 1)[0]
        assert registered["url"] == public and registered["secret_token"] == secret

        update = botapi.text_update(CHAT_ID, "via webhook")
        wrong = httpx.post(local, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "fout"})
        missing = httpx.post(local, json=update)
        assert (wrong.status_code, missing.status_code) == (403, 403)
        good = httpx.post(local, content=json.dumps(update),
                          headers={"X-Telegram-Bot-Api-Secret-Token": secret,
                                   "Content-Type": "application/json"})
        assert good.status_code == 200
        sent = botapi.wait_for("sendMessage", 1)
    assert rasa.received == [(telegram_sender_id(settings.secret_key, CHAT_ID), "via webhook")]
    assert sent[0]["text"] == "echo: via webhook"
    assert not botapi.calls_of("getUpdates")


def test_contact_details_go_to_the_intake_not_to_rasa(monkeypatch, tmp_path, botapi, rasa):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.text_update(CHAT_ID, "bel me maar"))
        asked = botapi.wait_for("sendMessage", 1)
        botapi.queue(botapi.text_update(CHAT_ID, "jolanda@example.org"))
        botapi.wait_for("sendMessage", 2)
    assert [m["text"] for m in asked] == ["Wat is je telefoonnummer of e-mailadres?"]
    assert rasa.received[-1][1].startswith("/pii_ontvangen")
    assert all(b"jolanda" not in body for body in rasa.raw_bodies)


def test_long_reply_is_split_and_the_keyboard_sits_on_the_last_part(monkeypatch, tmp_path, botapi, rasa):
    with running_bridge(_settings(monkeypatch, tmp_path, botapi, rasa.url)):
        botapi.queue(botapi.text_update(CHAT_ID, "lang"))
        sent = botapi.wait_for("sendMessage", 2)
    assert len(sent) == 2 and all(len(m["text"]) <= 4096 for m in sent)
    assert "\n".join(m["text"] for m in sent) == ("Een lange regel.\n" * 400).strip()
    assert "reply_markup" not in sent[0] and sent[1]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Ja"
