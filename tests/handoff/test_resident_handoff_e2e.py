"""The resident's side of the warm hand-off, through the real web app, Rasa,
action server and database (tests/support/stack.py)."""
from __future__ import annotations

import re
import threading

import pytest
from handoff_walk import Resident, button, fill_form, rows, to_consent
from sqlalchemy import create_engine, select
from support.stack import ChatClient, texts

from bot.handoff.crypto import Cipher
from bot.handoff.models import ConsentRecord, ContactDraft, HandoffRequest

pytestmark = pytest.mark.e2e

ANNA = Resident("Annemijn Proefpersoon", "Bellen", "06 1357 9246", "Ik zit veel alleen thuis.")
REFERENCE = re.compile(r"WW-[2-9A-Z]{6}")


def request_by_code(stack, code):
    engine = create_engine(stack.settings.database_url, future=True)
    with engine.connect() as connection:
        row = connection.execute(select(HandoffRequest).where(HandoffRequest.reference_code == code)).first()
    engine.dispose()
    return row


@pytest.fixture
def resident(stack):
    client = ChatClient(stack)
    yield client
    client.close()


def test_full_flow_stores_one_encrypted_request_after_confirmation(stack, resident):
    consent = to_consent(resident)
    assert "Versa Welzijn" in texts(consent) and "Hilversum" in texts(consent)
    summary = fill_form(resident, ANNA, consent)
    shown = texts(summary)
    assert ANNA.name in shown and "0613579246" in shown and "ochtend" in shown
    before = rows(stack, HandoffRequest)
    # Double confirmation: two clicks on "Ja, versturen" at the same time.
    payload = button(summary, "Ja")
    replies: list[list[dict]] = []
    clicks = [threading.Thread(target=lambda: replies.append(resident.say(payload))) for _ in range(2)]
    for click in clicks:
        click.start()
    for click in clicks:
        click.join()
    codes = {code for reply in replies for code in REFERENCE.findall(texts(reply))}
    assert len(codes) == 1, replies
    assert "verstuurd" in " ".join(texts(r) for r in replies)
    assert rows(stack, HandoffRequest) == before + 1
    code = codes.pop()
    row = request_by_code(stack, code)
    assert (row.gemeente_code, row.contact_route, row.preferred_moment) == ("GM0402", "telefoon", "ochtend")
    assert "eenzaamheid" in row.themes
    cipher = Cipher(stack.settings.fernet_keys)
    assert cipher.decrypt(row.contact_encrypted) == "0613579246"
    assert cipher.decrypt(row.name_encrypted) == ANNA.name
    assert rows(stack, ConsentRecord, request_id=row.id) == 1


def test_no_to_consent_stores_nothing_and_offers_alternatives(stack, resident):
    consent = to_consent(resident)
    before = (rows(stack, HandoffRequest), rows(stack, ConsentRecord))
    messages = resident.say(button(consent, "Nee"))
    assert "niets" in texts(messages) and any(m.get("buttons") for m in messages)
    assert (rows(stack, HandoffRequest), rows(stack, ConsentRecord)) == before


def test_invalid_phone_gets_explanation_then_an_offer_and_never_loops(stack, resident):
    drafts_before = rows(stack, ContactDraft)
    consent = to_consent(resident)
    messages = resident.say(button(consent, "Ja"))
    messages = resident.say("Bo")
    messages = resident.say(button(messages, "Bellen"))
    first = resident.say("12345")
    assert "06" in texts(first)  # explains the format
    resident.say("nog steeds fout")
    third = resident.say("0612")
    assert button(third, "Stoppen") and button(third, "Nog een keer")  # offers a way out
    for attempt in ("abc", "def"):
        resident.say(attempt)
    last = resident.say("ghi")
    assert "stop" in texts(last).lower() and "niets bewaard" in texts(last)
    assert rows(stack, ContactDraft) == drafts_before  # the half-filled draft is gone


def test_stop_in_the_middle_of_the_form(stack, resident):
    consent = to_consent(resident)
    resident.say(button(consent, "Ja"))
    messages = resident.say("stop")
    assert "gestopt" in texts(messages)


def test_crisis_in_the_middle_of_the_form_gets_the_crisis_reply(stack, resident):
    consent = to_consent(resident)
    resident.say(button(consent, "Ja"))
    messages = resident.say("ik wil niet meer leven")
    assert "113" in texts(messages)


def test_resident_deletes_in_the_same_conversation_and_with_the_code(stack, resident):
    consent = to_consent(resident)
    summary = fill_form(resident, Resident("Wessel Wisproef", "E-mail", "wessel.wis@example.org", "Graag "
                                           "'s ochtends."), consent)
    code = REFERENCE.search(texts(resident.say(button(summary, "Ja")))).group(0)
    question = resident.say("wis mijn gegevens")
    assert "wis" in texts(question).lower()
    done = resident.say(button(question, "Ja"))
    assert "gewist" in texts(done)
    assert request_by_code(stack, code) is None

    # Another request, deleted later from a new conversation with the reference code.
    other = ChatClient(stack)
    try:
        summary = fill_form(other, Resident("Coby Codeproef", "Bellen", "071-5123456", "Liefst 's middags."),
                            to_consent(other))
        code = REFERENCE.search(texts(other.say(button(summary, "Ja")))).group(0)
    finally:
        other.close()
    later = ChatClient(stack)
    try:
        question = later.say(f"verwijder mijn gegevens, mijn code is {code}")
        if code not in texts(question):
            question = later.say(code)
            if "Wat wil je daarmee doen" in texts(question):  # a code alone: status or deletion?
                question = later.say(button(question, "Mijn aanvraag laten wissen"))
        assert code in texts(question)
        # By code, deletion needs the phone number given with that request (the intake checks it).
        check = later.say(button(question, "Ja"))
        assert "telefoonnummer of e-mailadres" in texts(check)
        assert "gewist" in texts(later.say("071 512 3456"))
    finally:
        later.close()
    assert request_by_code(stack, code) is None
