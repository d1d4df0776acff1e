"""Contact details never reach Rasa's tracker store or any log.

Two residents (phone and e-mail) go through the whole hand-off in the web chat,
with Rasa's SQL tracker store on SQLite, at INFO and at DEBUG log level. Then
the tracker database (file bytes and the events table) and every log file are
searched for the name, the phone number (as typed and normalised), the e-mail
address and the note. None may be found.
"""
from __future__ import annotations

import re

import pytest
from handoff_walk import Resident, button, fill_form, leaks, to_consent
from support.stack import ChatClient, running_stack, texts

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PHONE = Resident("Zwaantje Kwikstaart", "Bellen", "06-2468 1357", "Mijn buurvrouw Pietje Puk helpt soms.")
EMAIL = Resident("Olivier Oeverloper", "E-mail", "olivier.oeverloper@example.org",
                 "Bel liever niet na vijven.")
SECRETS = [PHONE.name, "Kwikstaart", PHONE.contact, "0624681357", "2468 1357", PHONE.note, "Pietje Puk",
           EMAIL.name, "Oeverloper", EMAIL.contact, EMAIL.note]


def run_flows(stack) -> None:
    for resident in (PHONE, EMAIL):
        chat = ChatClient(stack)
        try:
            summary = fill_form(chat, resident, to_consent(chat))
            assert resident.name in texts(summary)  # the resident does see their own details
            assert re.search(r"WW-[2-9A-Z]{6}", texts(chat.say(button(summary, "Ja"))))
        finally:
            chat.close()


def test_no_contact_details_in_tracker_or_logs_at_info(stack):
    run_flows(stack)
    assert leaks(stack, SECRETS) == []


def test_no_contact_details_in_tracker_or_logs_at_debug(tmp_path):
    with running_stack(tmp_path, log_level="DEBUG") as debug_stack:
        run_flows(debug_stack)
        assert "DEBUG" in debug_stack.log_text()
        assert leaks(debug_stack, SECRETS) == []
