"""The hand-off actions against trackers and a real SQLite database (no Rasa needed)."""
from __future__ import annotations

import asyncio

import pytest
import yaml
from cryptography.fernet import Fernet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import _handoff
from actions.handoff_finish import ActionHandoffAfronden, ActionHandoffVerwijderenVraag
from actions.handoff_form import ActionAskHandoffToestemming, ValidateHandoffForm
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
    assert messages[0]["response"] == "utter_handoff_geen_toestemming"
    assert count(settings, ConsentRecord) == 0


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
        assert messages[0]["response"] == "utter_handoff_ongeldig_contact"
        assert slots["requested_slot"] == "handoff_contact"
    elif expected == "offer":
        assert slots["handoff_hulp"] is True and slots["requested_slot"] == "handoff_contact"
    else:
        assert messages[0]["response"] == "utter_handoff_te_vaak_ongeldig"
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


def test_confirmation_replies_only_after_the_commit_and_twice_gives_one_request(settings):
    t = _ready_to_send(settings)
    messages, slots = run(ActionHandoffAfronden(), t)
    assert messages[0]["response"] == "utter_handoff_verstuurd" and messages[0]["team"] == "Versa Welzijn"
    code = messages[0]["referentie"]
    with session_scope(settings.database_url) as session:
        assert session.execute(select(HandoffRequest.reference_code)).scalar_one() == code
    again, _ = run(ActionHandoffAfronden(), t)
    assert again[0]["response"] == "utter_handoff_al_verstuurd" and again[0]["referentie"] == code
    assert count(settings, HandoffRequest) == 1
    assert slots["handoff_akkoord"] is None  # the form is ready for a next time


def test_storage_failure_is_told_honestly(settings, tmp_path, monkeypatch):
    t = _ready_to_send(settings)
    monkeypatch.setenv("WW_DATABASE_URL", f"sqlite:///{tmp_path / 'no_tables.db'}")
    _handoff.store.cache_clear()
    messages, _ = run(ActionHandoffAfronden(), t)
    assert messages[0]["response"] == "utter_handoff_opslaan_mislukt"
    assert "referentie" not in messages[0]


def test_delete_question_uses_the_code_in_the_message(settings):
    messages, slots = run(ActionHandoffVerwijderenVraag(), tracker(intent="verwijder_gegevens",
                                                                   text="wis aanvraag ww-ab23cd", loop=None))
    assert messages[0]["response"] == "utter_handoff_verwijder_vraag_code"
    assert slots == {"handoff_referentie": "WW-AB23CD", "handoff_verwijderen": True}
    messages, _ = run(ActionHandoffVerwijderenVraag(), tracker(intent="verwijder_gegevens", sender="new",
                                                               loop=None))
    assert messages[0]["response"] == "utter_handoff_vraag_referentie"
