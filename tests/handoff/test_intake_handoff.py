"""ContactIntake on a real SQLite file: details go to the encrypted draft, Rasa gets an intent."""
from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.handoff.db import migrate, session_scope
from bot.handoff.intake import ContactIntake
from bot.handoff.models import ContactDraft
from bot.settings import Settings


@pytest.fixture()
def intake(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("WW_DATABASE_URL", f"sqlite:///{tmp_path / 'ww.db'}")
    monkeypatch.setenv("WW_FERNET_KEYS", Fernet.generate_key().decode())
    settings = Settings.from_env()
    migrate(settings.database_url)
    return ContactIntake(settings)


def ask(intake, sender, field, **extra):
    out = intake.process_bot_messages(sender, [
        {"recipient_id": sender, "text": "Vraag"},
        {"recipient_id": sender, "custom": {"pii_request": field, **extra}},
    ])
    assert out == [{"recipient_id": sender, "text": "Vraag"}]  # the internal payload is stripped


def parse(intent_message):
    name, _, entities = intent_message[1:].partition("{")
    return name, json.loads("{" + entities) if entities else {}


def draft(intake, sender):
    with session_scope(intake.database_url) as session:
        return session.execute(select(ContactDraft).where(
            ContactDraft.sender_hash == intake._digest(sender))).scalar_one_or_none()


def test_without_a_request_messages_pass_unchanged(intake):
    assert intake.route_user_message("s1", "Ik voel me alleen", "web") == "Ik voel me alleen"


def test_name_phone_and_note_are_kept_out_of_rasa_and_encrypted(intake):
    ask(intake, "s1", "naam")
    assert parse(intake.route_user_message("s1", "  Anna ", "web")) == ("pii_ontvangen", {"pii_veld": "naam"})
    ask(intake, "s1", "contact", contact_route="telefoon")
    assert parse(intake.route_user_message("s1", "06-12 34 56 78", "web")) == (
        "pii_ontvangen", {"pii_veld": "contact", "contact_route": "telefoon"})
    ask(intake, "s1", "notitie")
    assert intake.route_user_message("s1", "Ik woon sinds kort alleen", "web").startswith("/pii_ontvangen")
    row = draft(intake, "s1")
    assert "Anna" not in (row.name_encrypted or "") and row.channel == "web"
    assert intake.cipher.decrypt(row.contact_encrypted) == "0612345678"
    # The next message is ordinary conversation again.
    assert intake.route_user_message("s1", "dank je", "web") == "dank je"


def test_invalid_input_is_counted_and_never_forwarded(intake):
    ask(intake, "s1", "contact", contact_route="telefoon")
    for attempt in (1, 2, 3):
        message = intake.route_user_message("s1", "0612", "web")
        assert parse(message) == ("pii_ongeldig", {"pii_veld": "contact", "pii_pogingen": attempt})
    assert "0612" not in message


def test_email_accepted_even_when_phone_was_asked(intake):
    ask(intake, "s1", "contact", contact_route="telefoon")
    message = intake.route_user_message("s1", "anna@example.org", "telegram")
    assert parse(message)[1]["contact_route"] == "email"


@pytest.mark.parametrize("text", ["stop", "Stoppen!", "/handoff_overslaan", "/stoppen"])
def test_stop_and_buttons_go_to_rasa(intake, text):
    ask(intake, "s1", "notitie")
    assert intake.route_user_message("s1", text, "web") == text
    assert draft(intake, "s1").expected_field is None


def test_crisis_message_goes_to_rasa_unchanged(intake):
    from bot.safety.crisis import detect

    text = "ik wil dood"
    assert detect(text) is not None  # the safety lexicon is the source of truth
    ask(intake, "s1", "naam")
    assert intake.route_user_message("s1", text, "web") == text


def test_summary_is_rendered_from_the_draft(intake):
    ask(intake, "s1", "naam")
    intake.route_user_message("s1", "Anna", "web")
    ask(intake, "s1", "contact", contact_route="email")
    intake.route_user_message("s1", "anna@example.org", "web")
    out = intake.process_bot_messages("s1", [
        {"recipient_id": "s1", "custom": {"pii_summary": True, "moment": "middag", "team": "Team X"}},
        {"recipient_id": "s1", "text": "Klopt dit?"},
    ])
    assert len(out) == 2 and "custom" not in out[0]
    summary = out[0]["text"]
    assert "Anna" in summary and "anna@example.org" in summary and "middag" in summary
    assert "Opmerking: geen" in summary


def test_other_custom_payloads_are_left_alone(intake):
    messages = [{"recipient_id": "s1", "custom": {"kaart": [1, 2]}}]
    assert intake.process_bot_messages("s1", messages) == messages


def test_each_sender_has_its_own_draft(intake):
    ask(intake, "a", "naam")
    assert intake.route_user_message("b", "Bert", "web") == "Bert"
    assert intake.route_user_message("a", "Anna", "web").startswith("/pii_ontvangen")


def test_a_reply_without_detail_request_ends_the_expectation(intake):
    ask(intake, "s1", "contact", contact_route="telefoon")
    assert intake.route_user_message("s1", "fout", "web").startswith("/pii_ongeldig")
    intake.process_bot_messages("s1", [{"recipient_id": "s1", "text": "Ik stop met de aanvraag."}])
    assert intake.route_user_message("s1", "hallo", "web") == "hallo"


def test_attempts_keep_counting_while_the_same_detail_is_asked_again(intake):
    ask(intake, "s1", "naam")
    for attempt in range(1, 7):
        message = intake.route_user_message("s1", "12345678", "web")
        assert parse(message)[1]["pii_pogingen"] == attempt
        ask(intake, "s1", "naam")  # the question (or the offer to skip) is asked again
