"""The relay masks every typed message before Rasa (web chat against a local Rasa
stand-in, with the real contact intake and hand-off database): what Rasa
receives, the notice with the hand-off button, and the exceptions (the intake's
own answers, button payloads, a crisis, a running hand-off)."""
from __future__ import annotations

import logging

import pytest
from starlette.testclient import TestClient
from web.channel_standins import RasaStandIn, channel_settings

from bot.channel_messages import channel_text
from bot.relay import HANDOFF_PAYLOAD
from bot.web.app import create_app

NOTICE_START = channel_text("relay", "contactgegeven", soort="§").split("§")[0]


def _reply(sender, message):
    if message == "/vraag_persoon":
        return [{"recipient_id": sender, "text": "Hoe wil je dat de coach contact met je opneemt?"},
                {"recipient_id": sender, "custom": {"pii_request": "contact"}}]
    return [{"recipient_id": sender, "text": f"echo: {message}"}]


@pytest.fixture
def rasa():
    with RasaStandIn(_reply) as stand_in:
        yield stand_in


@pytest.fixture
def client(rasa, monkeypatch, tmp_path):
    settings = channel_settings(monkeypatch, tmp_path, rasa.url)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def say(client, message) -> list[dict]:
    response = client.post("/api/chat", json={"message": message})
    assert response.status_code == 200
    return response.json()["messages"]


def test_rasa_gets_placeholders_and_the_resident_gets_the_notice_and_handoff_button(client, rasa, caplog):
    caplog.set_level(logging.DEBUG)
    messages = say(client, "Ik ben Fatima de Vries, ik voel me eenzaam. "
                           "Bel me op 06-12345678 of fatima@example.org")
    [(_sender, received)] = rasa.received
    assert received == "Ik ben [naam], ik voel me eenzaam. Bel me op [telefoonnummer] of [e-mailadres]"
    notice, answer = messages
    assert notice["text"].startswith(NOTICE_START)
    assert "een naam" in notice["text"] and "een telefoonnummer" in notice["text"]
    assert notice["buttons"] == [{"title": channel_text("relay", "contactgegeven_knop"),
                                  "payload": HANDOFF_PAYLOAD}]
    assert answer["text"] == f"echo: {received}"  # the worry itself still reaches Rasa
    for secret in ("Fatima", "Vries", "12345678", "fatima@example.org"):
        assert secret not in caplog.text and secret.encode() not in b"".join(rasa.raw_bodies)
    assert "masked: email, telefoon, naam" in caplog.text

    # The notice's button is an offered payload: it reaches Rasa as the intent.
    say(client, HANDOFF_PAYLOAD)
    assert rasa.received[-1][1] == HANDOFF_PAYLOAD


@pytest.mark.parametrize("typed", [
    "mijn rekening is NL91 ABNA 0417 1643 00",
    "mijn bsn is 123456782",
    "ik woon op de Molenweg 4 in Bussum",
    "mijn naam is piet de boer",
])
def test_each_kind_is_masked_before_rasa_at_the_greeting(client, rasa, typed):
    messages = say(client, typed)
    received = rasa.received[-1][1]
    assert "[" in received and not any(part in received for part in ("0417", "123456782", "Molenweg", "boer"))
    assert messages[0]["text"].startswith(NOTICE_START)


def test_a_message_without_contact_details_is_passed_as_typed_without_notice(client, rasa):
    messages = say(client, "ik woon in 1215 AB en om 14.30 heb ik tijd")
    assert rasa.received[-1][1] == "ik woon in 1215 AB en om 14.30 heb ik tijd"
    assert [m["text"] for m in messages] == ["echo: ik woon in 1215 AB en om 14.30 heb ik tijd"]


def test_a_crisis_message_with_a_number_is_masked_but_gets_no_notice(client, rasa):
    messages = say(client, "ik wil niet meer leven. mijn nummer is 0612345678")
    assert rasa.received[-1][1] == "ik wil niet meer leven. mijn nummer is [telefoonnummer]"
    assert not any((m["text"] or "").startswith(NOTICE_START) for m in messages)


def test_the_intake_keeps_the_real_value_and_a_running_handoff_gets_no_notice(client, rasa):
    say(client, "ik wil iemand spreken")
    say(client, HANDOFF_PAYLOAD)  # not offered yet: typed text, neutralised and masked
    assert rasa.received[-1][1] == "vraag_persoon"
    messages = say(client, "bel me maar, 0612345678")  # no detail asked for: masked, and the notice
    assert messages[0]["buttons"][0]["payload"] == HANDOFF_PAYLOAD
    say(client, HANDOFF_PAYLOAD)  # now offered: the (stand-in) form asks for the number
    say(client, "06-12345678")
    assert rasa.received[-1][1].startswith("/pii_ontvangen")  # the intake took it, Rasa got the intent
    # The hand-off is running: another detail is masked, but the notice would only confuse.
    messages = say(client, "of mijn vaste nummer (035) 123 45 67")
    assert rasa.received[-1][1] == "of mijn vaste nummer [telefoonnummer]"
    assert [m["text"] for m in messages] == [f"echo: {rasa.received[-1][1]}"]


def test_a_bare_detail_is_not_sent_to_rasa_outside_a_handoff(client, rasa):
    messages = say(client, "06-12345678")
    assert rasa.received == []  # Rasa would only guess at "[telefoonnummer]"
    [notice] = messages
    assert notice["text"].startswith(NOTICE_START) and notice["buttons"][0]["payload"] == HANDOFF_PAYLOAD
    say(client, HANDOFF_PAYLOAD)  # the button works
    assert rasa.received[-1][1] == HANDOFF_PAYLOAD
    say(client, "06-12345678")  # the detail asked for: the intake takes it
    assert rasa.received[-1][1].startswith("/pii_ontvangen")
    say(client, "fatima@example.org")  # a bare detail during the hand-off: Rasa's form answers
    assert rasa.received[-1][1] == "[e-mailadres]"
