"""Deleting a request by its reference code needs the phone number or e-mail address
given with it. Real SQLite database, real store, intake and actions: the action asks,
the intake takes the answer outside Rasa and checks it, Rasa only hears the outcome."""

from __future__ import annotations

import asyncio
import json

import pytest
import yaml
from cryptography.fernet import Fernet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import _handoff
from actions._teksten import NAME_KEY
from actions.handoff_finish import ActionHandoffVerwijderen, ActionHandoffVerwijderUitkomst
from bot.handoff.crypto import Cipher
from bot.handoff.db import migrate, session_scope
from bot.handoff.intake import MAX_FAILED_PER_CODE, MAX_FAILED_PER_CONVERSATION, ContactIntake
from bot.handoff.models import AuditLogEntry, ContactDraft, HandoffRequest
from bot.handoff.store import RequestContext
from bot.settings import PROJECT_ROOT, Settings

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
PHONE = "06-12345678"


@pytest.fixture()
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("WW_DATABASE_URL", f"sqlite:///{tmp_path / 'ww.db'}")
    monkeypatch.setenv("WW_FERNET_KEYS", Fernet.generate_key().decode())
    settings = Settings.from_env()
    migrate(settings.database_url)
    _handoff.store.cache_clear()
    yield settings
    _handoff.store.cache_clear()


def make_request(settings, sender: str, contact: str = PHONE, route: str = "telefoon") -> str:
    store = _handoff.store()
    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as session:
        session.add(
            ContactDraft(
                sender_hash=store.sender_hash(sender),
                channel="web",
                contact_route=route,
                name_encrypted=cipher.encrypt("Anna"),
                contact_encrypted=cipher.encrypt(contact.replace("-", "")),
            )
        )
    store.record_consent(sender, "web", "v1", "a" * 64)
    context = RequestContext("GM1942", "Gooise Meren", ["eenzaamheid"], [], "ochtend")
    return store.submit(sender, context).reference_code


def tracker(sender: str, intent: str, slots: dict | None = None, entities: list | None = None) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message={"intent": {"name": intent}, "entities": entities or [], "text": ""},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker_, DOMAIN))
    return dispatcher.messages


def ask_factor(intake: ContactIntake, sender: str, code: str) -> None:
    """"ja" to "Wil je dat ik aanvraag X wis?": the action asks, the relay gives it to the intake."""
    messages = run(ActionHandoffVerwijderen(), tracker(sender, "bevestigen", {"handoff_referentie": code}))
    assert [m[NAME_KEY] for m in messages] == ["handoff_verwijder_controle"]
    shown = intake.process_bot_messages(
        sender, [{"recipient_id": sender, "text": m["text"], "custom": m["custom"]} for m in messages]
    )
    assert all("custom" not in m for m in shown)  # the code and the request stay internal


def answer(intake: ContactIntake, sender: str, text: str) -> tuple[str, str]:
    forwarded = intake.route_user_message(sender, text, "web")
    name, _, entities = forwarded[1:].partition("{")
    outcome = json.loads("{" + entities)["verificatie"] if entities else None
    reply = run(
        ActionHandoffVerwijderUitkomst(),
        tracker(sender, name, entities=[{"entity": "verificatie", "value": outcome}]),
    )
    return forwarded, reply[0]["text"]


def requests(settings) -> int:
    with session_scope(settings.database_url) as session:
        return session.execute(select(func.count()).select_from(HandoffRequest)).scalar_one()


def test_the_right_phone_number_deletes_and_never_reaches_rasa(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old")
    ask_factor(intake, "web-new", code)
    forwarded, reply = answer(intake, "web-new", "06 1234 5678")
    assert forwarded == '/verificatie_uitkomst{"verificatie":"gewist"}' and "12345678" not in forwarded
    assert "gewist" in reply and requests(settings) == 0


def test_the_e_mail_address_given_with_the_request_works_too(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old", contact="anna@example.org", route="email")
    ask_factor(intake, "web-new", code)
    assert answer(intake, "web-new", "Anna@Example.org")[0].endswith('"gewist"}')
    assert requests(settings) == 0


def test_unknown_code_and_wrong_factor_get_one_uniform_reply(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old")
    ask_factor(intake, "web-a", code)
    wrong_factor = answer(intake, "web-a", "0687654321")
    ask_factor(intake, "web-b", "WW-ZZZZZZ")
    unknown_code = answer(intake, "web-b", PHONE)
    assert wrong_factor == unknown_code
    assert wrong_factor[0] == '/verificatie_uitkomst{"verificatie":"mislukt"}'
    assert requests(settings) == 1


def test_attempts_are_limited_per_conversation(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old")
    for _ in range(MAX_FAILED_PER_CONVERSATION):
        ask_factor(intake, "web-guess", code)
        assert answer(intake, "web-guess", "0611111111")[0].endswith('"mislukt"}')
    ask_factor(intake, "web-guess", code)
    forwarded, reply = answer(intake, "web-guess", PHONE)  # even the right one: too many tries
    assert forwarded.endswith('"te_vaak"}') and "morgen" in reply
    assert requests(settings) == 1


def test_attempts_are_limited_per_code_across_conversations_and_processes(settings):
    code = make_request(settings, "web-old")
    for attempt in range(MAX_FAILED_PER_CODE):
        intake = ContactIntake(settings)  # a new process each time: the count lives in the database
        ask_factor(intake, f"web-{attempt}", code)
        assert answer(intake, f"web-{attempt}", "0622222222")[0].endswith('"mislukt"}')
    intake = ContactIntake(settings)
    ask_factor(intake, "web-last", code)
    assert answer(intake, "web-last", PHONE)[0].endswith('"te_vaak"}')
    with session_scope(settings.database_url) as session:
        failed = session.execute(
            select(AuditLogEntry).where(AuditLogEntry.action == "wissen_controle_mislukt")
        )
        rows = failed.scalars().all()
    assert len(rows) == MAX_FAILED_PER_CODE and all("0622222222" not in (r.detail or "") for r in rows)
    assert requests(settings) == 1


def test_something_else_than_a_contact_detail_goes_back_to_the_conversation(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old")
    ask_factor(intake, "web-new", code)
    assert intake.route_user_message("web-new", "ik weet het niet meer", "web") == "ik weet het niet meer"
    assert intake.route_user_message("web-new", PHONE, "web") == PHONE  # no longer expected
    assert requests(settings) == 1
