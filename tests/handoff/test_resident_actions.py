"""The hand-off actions against trackers and a real SQLite database (no Rasa needed)."""
from __future__ import annotations

import asyncio
import re

import pytest
import yaml
from cryptography.fernet import Fernet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import _handoff
from actions._teksten import NAME_KEY
from actions.handoff_finish import ActionHandoffAfronden, ActionHandoffVerwijderenVraag
from actions.handoff_form import (
    ActionAskHandoffAkkoord,
    ActionAskHandoffContact,
    ActionAskHandoffContactRoute,
    ActionAskHandoffMoment,
    ActionAskHandoffNaam,
    ActionAskHandoffNotitie,
    ActionAskHandoffToestemming,
    ValidateHandoffForm,
)
from bot.handoff.consent import consent_text
from bot.handoff.crypto import Cipher
from bot.handoff.db import migrate, session_scope
from bot.handoff.models import ConsentRecord, ContactDraft, HandoffRequest
from bot.settings import PROJECT_ROOT, Settings

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


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


def tracker(slots=None, intent="bevestigen", entities=None, text="", sender="s1", loop="handoff_form"):
    return Tracker(
        sender_id=sender, slots={"gemeente_code": "GM1942", "gemeente_naam": "Gooise Meren", **(slots or {})},
        latest_message={"intent": {"name": intent}, "entities": entities or [], "text": text},
        events=[], paused=False, followup_action=None, active_loop={"name": loop} if loop else {},
        latest_action_name="action_listen",
    )


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, DOMAIN))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def template(message) -> str:
    """Which text of actions/teksten_handoff.yml an action sent."""
    return message[NAME_KEY]


def count(settings, model):
    with session_scope(settings.database_url) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_consent_question_explains_first_and_remembers_the_exact_text(settings):
    messages, slots = run(ActionAskHandoffToestemming(), tracker())
    text = messages[0]["text"]
    assert "Versa Welzijn" in text and "Gooise Meren" in text and "binnen twee weken" in text
    assert text.index("bewaren") < text.index("Vind je het goed")  # the question comes last
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/bevestigen", "/ontkennen"]
    expected = consent_text("Versa Welzijn", "Gooise Meren")
    assert slots["handoff_toestemming_tekst"] == {"versie": expected.version, "sha256": expected.sha256}


def test_yes_records_consent_with_the_hash_shown(settings):
    shown = {"versie": "v-test", "sha256": "f" * 64}
    form = ValidateHandoffForm()
    t = tracker(sender="tg-abc", slots={"handoff_toestemming": True, "handoff_toestemming_tekst": shown,
                                        "requested_slot": "handoff_toestemming"})
    t.events = [{"event": "user"}, {"event": "slot", "name": "handoff_toestemming", "value": True}]
    messages, slots = run(form, t)
    assert slots["handoff_toestemming"] is True and slots["requested_slot"] == "handoff_naam"
    with session_scope(settings.database_url) as session:
        record = session.execute(select(ConsentRecord)).scalar_one()
        assert (record.text_version, record.text_hash, record.channel) == ("v-test", "f" * 64, "telegram")


def test_no_ends_the_form_without_storing(settings):
    t = tracker({"handoff_toestemming": False, "requested_slot": "handoff_toestemming"}, intent="ontkennen")
    t.events = [{"event": "user"}, {"event": "slot", "name": "handoff_toestemming", "value": False}]
    _messages, slots = run(ValidateHandoffForm(), t)
    assert slots["requested_slot"] is None
    messages, _ = run(ActionHandoffAfronden(), tracker({"handoff_toestemming": False}))
    assert template(messages[0]) == "handoff_geen_toestemming"
    assert count(settings, ConsentRecord) == 0


@pytest.mark.parametrize("action, slots, expected, pii_request", [
    (ActionAskHandoffNaam(), {}, "ask_handoff_naam", {"pii_request": "naam"}),
    (ActionAskHandoffNaam(), {"handoff_hulp": True}, "ask_handoff_naam_hulp", {"pii_request": "naam"}),
    (ActionAskHandoffContactRoute(), {}, "ask_handoff_contact_route", {}),
    (ActionAskHandoffContact(), {"handoff_contact_route": "telefoon"}, "ask_handoff_contact_telefoon",
     {"pii_request": "contact", "contact_route": "telefoon"}),
    (ActionAskHandoffContact(), {"handoff_contact_route": "email"}, "ask_handoff_contact_email",
     {"pii_request": "contact", "contact_route": "email"}),
    (ActionAskHandoffContact(), {"handoff_contact_route": "email", "handoff_hulp": True},
     "ask_handoff_contact_hulp", {"pii_request": "contact"}),
    (ActionAskHandoffMoment(), {}, "ask_handoff_moment", {}),
    (ActionAskHandoffNotitie(), {}, "ask_handoff_notitie", {"pii_request": "notitie"}),
    (ActionAskHandoffNotitie(), {"handoff_hulp": True}, "ask_handoff_notitie_hulp",
     {"pii_request": "notitie"}),
])
def test_form_questions_fit_the_slots_and_tell_the_intake_what_comes(action, slots, expected, pii_request):
    messages, events = run(action, tracker({"handoff_hulp": False, **slots}))
    assert events == {}
    assert [template(m) for m in messages] == [expected]
    assert messages[0]["custom"] == pii_request


def test_form_question_texts_and_buttons():
    messages, _ = run(ActionAskHandoffContact(), tracker({"handoff_contact_route": "email"}))
    assert messages[0]["text"] == "Wat is je e-mailadres?" and messages[0]["buttons"] == []
    messages, _ = run(ActionAskHandoffContactRoute(), tracker())
    assert messages[0]["buttons"] == [
        {"title": "Bellen", "payload": '/handoff_route{"contact_route": "telefoon"}'},
        {"title": "E-mail", "payload": '/handoff_route{"contact_route": "email"}'},
    ]
    messages, _ = run(ActionAskHandoffMoment(), tracker())
    assert messages[0]["buttons"][-1] == {
        "title": "Maakt niet uit", "payload": '/handoff_moment{"moment": "maakt niet uit"}'}


def test_summary_question_follows_the_summary_payload(settings):
    messages, _ = run(ActionAskHandoffAkkoord(), tracker({"handoff_moment": "avond"}))
    assert messages[0]["custom"]["pii_summary"] is True and messages[0]["custom"]["moment"] == "avond"
    assert template(messages[1]) == "ask_handoff_akkoord"
    assert messages[1]["text"] == "Klopt dit? Dan verstuur ik je aanvraag."
    assert [b["payload"] for b in messages[1]["buttons"]] == ["/bevestigen", "/ontkennen", "/stoppen"]


@pytest.mark.parametrize("attempts, expected", [(1, "explain"), (3, "offer"), (6, "stop")])
def test_invalid_answers_explain_then_offer_then_stop(settings, attempts, expected):
    t = tracker({"handoff_toestemming": True, "handoff_naam": "ontvangen",
                 "handoff_contact_route": "telefoon",
                 "handoff_fout": "contact", "requested_slot": "handoff_contact"}, intent="pii_ongeldig",
                entities=[{"entity": "pii_veld", "value": "contact"},
                          {"entity": "pii_pogingen", "value": attempts}])
    t.events = [{"event": "user"}, {"event": "slot", "name": "handoff_fout", "value": "contact"}]
    messages, slots = run(ValidateHandoffForm(), t)
    if expected == "explain":
        assert template(messages[0]) == "handoff_ongeldig_telefoon"
        assert messages[0]["text"].startswith("Dat lijkt geen goed telefoonnummer.")
        assert slots["requested_slot"] == "handoff_contact"
    elif expected == "offer":
        assert slots["handoff_hulp"] is True and slots["requested_slot"] == "handoff_contact"
    else:
        assert template(messages[0]) == "handoff_te_vaak_ongeldig"
        assert slots["handoff_afgebroken"] is True and slots["requested_slot"] is None


def _ready_to_send(settings, sender="s1"):
    store = _handoff.store()
    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as session:
        session.add(ContactDraft(sender_hash=store.sender_hash(sender), channel="web", contact_route="email",
                                 name_encrypted=cipher.encrypt("Anna"),
                                 contact_encrypted=cipher.encrypt("anna@example.org")))
    store.record_consent(sender, "web", "v1", "a" * 64)
    return tracker({"handoff_toestemming": True, "handoff_akkoord": True, "handoff_moment": "avond",
                    "themas": ["mantelzorg"], "getoond": ["act-x"]}, loop=None, sender=sender)


def test_invalid_e_mail_address_is_explained_as_one(settings):
    t = tracker({"handoff_toestemming": True, "handoff_naam": "ontvangen", "handoff_contact_route": "email",
                 "handoff_fout": "contact", "requested_slot": "handoff_contact"}, intent="pii_ongeldig",
                entities=[{"entity": "pii_veld", "value": "contact"}, {"entity": "pii_pogingen", "value": 1}])
    t.events = [{"event": "user"}, {"event": "slot", "name": "handoff_fout", "value": "contact"}]
    messages, _ = run(ValidateHandoffForm(), t)
    assert template(messages[0]) == "handoff_ongeldig_email"
    assert "naam@voorbeeld.nl" in messages[0]["text"]


def test_confirmation_replies_only_after_the_commit_and_twice_gives_one_request(settings):
    t = _ready_to_send(settings)
    messages, slots = run(ActionHandoffAfronden(), t)
    assert template(messages[0]) == "handoff_verstuurd"
    assert "Een welzijnscoach van Versa Welzijn neemt binnen twee weken" in messages[0]["text"]
    code = re.search(r"Je referentiecode is (WW-\w{6})\.", messages[0]["text"]).group(1)
    with session_scope(settings.database_url) as session:
        assert session.execute(select(HandoffRequest.reference_code)).scalar_one() == code
    again, _ = run(ActionHandoffAfronden(), t)
    assert template(again[0]) == "handoff_al_verstuurd"
    assert again[0]["text"] == f"Je aanvraag was al verstuurd. Je referentiecode is {code}."
    assert count(settings, HandoffRequest) == 1
    assert slots["handoff_akkoord"] is None  # the form is ready for a next time


def test_storage_failure_is_told_honestly(settings, tmp_path, monkeypatch):
    t = _ready_to_send(settings)
    monkeypatch.setenv("WW_DATABASE_URL", f"sqlite:///{tmp_path / 'no_tables.db'}")
    _handoff.store.cache_clear()
    messages, _ = run(ActionHandoffAfronden(), t)
    assert template(messages[0]) == "handoff_opslaan_mislukt"
    assert "WW-" not in messages[0]["text"]


def test_delete_question_uses_the_code_in_the_message(settings):
    messages, slots = run(ActionHandoffVerwijderenVraag(), tracker(intent="verwijder_gegevens",
                                                                   text="wis aanvraag ww-ab23cd", loop=None))
    assert template(messages[0]) == "handoff_verwijder_vraag_code"
    assert "aanvraag WW-AB23CD" in messages[0]["text"]
    assert slots == {"handoff_referentie": "WW-AB23CD", "handoff_verwijderen": True}
    messages, _ = run(ActionHandoffVerwijderenVraag(), tracker(intent="verwijder_gegevens", sender="new",
                                                               loop=None))
    assert template(messages[0]) == "handoff_vraag_referentie"
