"""Notifications over a real SMTP server and a Bot API stand-in on 127.0.0.1."""
import dataclasses

import pytest
from handoff_standins import BotApiStandIn, SmtpStandIn

from bot.handoff.notify import EMAIL, TELEGRAM, DeliveryError, Notification, Notifier, render
from bot.settings import Settings

TOKEN = "123456:TEST-token"


def _settings(tmp_path, monkeypatch, **changes):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    return dataclasses.replace(Settings.from_env(), **changes)


def _notification(channel, recipient):
    return Notification(
        outbox_id=41, channel=channel, recipient=recipient, referentie="WW-7K3P-Q9",
        gemeente="Hilversum", team="Versa Welzijn", themas=["Eenzaamheid en een klein netwerk"],
        inbox_url="http://127.0.0.1:8000/coach/aanvragen/WW-7K3P-Q9",
    )


def test_text_names_reference_gemeente_theme_and_link_only():
    subject, body = render(_notification(EMAIL, "team@example.org"))
    assert "WW-7K3P-Q9" in subject and "Hilversum" in subject
    assert "Eenzaamheid en een klein netwerk" in body
    assert "http://127.0.0.1:8000/coach/aanvragen/WW-7K3P-Q9" in body
    assert "@" not in body.replace("http://", "")  # no e-mail address in the text


def test_email_arrives_with_outbox_id_as_idempotency_key(tmp_path, monkeypatch):
    with SmtpStandIn() as smtp:
        settings = _settings(tmp_path, monkeypatch, smtp_host="127.0.0.1", smtp_port=smtp.port)
        Notifier(settings).deliver(_notification(EMAIL, "team@example.org"))
        [message] = smtp.wait_for(1)
    assert message["To"] == "team@example.org"
    assert message["Message-ID"] == "<outbox-41@welzijnswijzer>"
    assert message["X-Welzijnswijzer-Outbox"] == "outbox-41"
    assert "WW-7K3P-Q9" in message.get_payload(decode=True).decode()


def test_email_temporary_failure_is_retryable(tmp_path, monkeypatch):
    with SmtpStandIn() as smtp:
        smtp.refuse = 1
        settings = _settings(tmp_path, monkeypatch, smtp_host="127.0.0.1", smtp_port=smtp.port)
        with pytest.raises(DeliveryError) as failure:
            Notifier(settings).deliver(_notification(EMAIL, "team@example.org"))
        assert not failure.value.permanent
        assert smtp.messages == []


def test_telegram_message_reaches_the_group(tmp_path, monkeypatch):
    with BotApiStandIn(TOKEN) as api:
        settings = _settings(tmp_path, monkeypatch, telegram_bot_token=TOKEN,
                             telegram_api_base_url=api.base_url)
        Notifier(settings).deliver(_notification(TELEGRAM, "-1001234"))
        [(chat_id, text)] = api.wait_for(1)
    assert chat_id == "-1001234"
    assert "WW-7K3P-Q9" in text and "Hilversum" in text


def test_telegram_server_error_is_retryable(tmp_path, monkeypatch):
    with BotApiStandIn(TOKEN) as api:
        api.fail = 1
        settings = _settings(tmp_path, monkeypatch, telegram_bot_token=TOKEN,
                             telegram_api_base_url=api.base_url)
        with pytest.raises(DeliveryError) as failure:
            Notifier(settings).deliver(_notification(TELEGRAM, "-1001234"))
        assert not failure.value.permanent
        assert api.sent == []


def test_unreachable_smtp_is_retryable(tmp_path, monkeypatch):
    settings = _settings(tmp_path, monkeypatch, smtp_host="127.0.0.1", smtp_port=1)
    with pytest.raises(DeliveryError) as failure:
        Notifier(settings).deliver(_notification(EMAIL, "team@example.org"))
    assert not failure.value.permanent
