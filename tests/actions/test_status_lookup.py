"""A resident looks up the status of a request: reference code + the phone number or e-mail
given with it (the second factor, checked by the intake outside Rasa). Real actions,
real intake, real SQLite; also a professional referral looked up by the resident."""

from __future__ import annotations

import asyncio
import json

import pytest
import yaml
from cryptography.fernet import Fernet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import _handoff
from actions._teksten import NAME_KEY, fill
from actions.handoff_finish import ActionHandoffVerwijderUitkomst
from actions.status import ActionStatusAanvraag
from bot.handoff.crypto import Cipher
from bot.handoff.db import migrate, session_scope
from bot.handoff.intake import MAX_FAILED_PER_CONVERSATION, ContactIntake
from bot.handoff.models import AuditLogEntry, ContactDraft, HandoffRequest
from bot.handoff.store import RequestContext
from bot.settings import PROJECT_ROOT, Settings

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
PHONE = "0612345678"


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


def make_request(settings, sender: str, status: str = "nieuw") -> str:
    store = _handoff.store()
    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as session:
        session.add(
            ContactDraft(
                sender_hash=store.sender_hash(sender),
                channel="web",
                contact_route="telefoon",
                name_encrypted=cipher.encrypt("Anna"),
                contact_encrypted=cipher.encrypt(PHONE),
            )
        )
    store.record_consent(sender, "web", "v1", "a" * 64)
    code = store.submit(sender, RequestContext("GM1942", "Gooise Meren", [], [], "ochtend")).reference_code
    with session_scope(settings.database_url) as session:
        session.execute(
            select(HandoffRequest).where(HandoffRequest.reference_code == code)
        ).scalar_one().status = status
    return code


def tracker(sender: str, intent: str, text: str = "", entities: list | None = None) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots={},
        latest_message={"intent": {"name": intent}, "entities": entities or [], "text": text},
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


def lookup(intake: ContactIntake, sender: str, code: str, factor: str) -> tuple[str, str]:
    """'hoe staat aanvraag <code>?' -> the bot asks the factor -> the resident answers it."""
    asked = run(
        ActionStatusAanvraag(),
        tracker(sender, "vraag_status", f"hoe staat {code}?", [{"entity": "referentiecode", "value": code}]),
    )
    assert [m[NAME_KEY] for m in asked] == ["status_controle"]
    # Rasa's REST channel sends the text and the custom payload as two messages.
    split = [{"recipient_id": sender, "text": m["text"]} for m in asked] + [
        {"recipient_id": sender, "custom": m["custom"]} for m in asked
    ]
    shown = intake.process_bot_messages(sender, split)
    assert all("custom" not in m for m in shown) and code in shown[0]["text"]
    forwarded = intake.route_user_message(sender, factor, "web")
    name, _, entities = forwarded[1:].partition("{")
    outcome = json.loads("{" + entities)["verificatie"] if entities else None
    reply = run(
        ActionHandoffVerwijderUitkomst(),
        tracker(sender, name, entities=[{"entity": "verificatie", "value": outcome}]),
    )
    return forwarded, reply[0]["text"]


@pytest.mark.parametrize(
    "status,template",
    [
        ("nieuw", "status_inwoner_nieuw"),
        ("opgepakt", "status_inwoner_opgepakt"),
        ("in contact", "status_inwoner_in_contact"),
        ("afgerond", "status_inwoner_afgerond"),
        ("niet bereikt", "status_inwoner_niet_bereikt"),
    ],
)
def test_code_and_right_factor_show_the_status_in_b1_and_the_factor_never_reaches_rasa(
    settings, status, template
):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old", status)
    forwarded, reply = lookup(intake, "web-new", code, "06 12 34 56 78")
    assert forwarded == '/verificatie_uitkomst{"verificatie":"status:' + status + '"}'
    assert "12345678" not in forwarded and reply == fill(template)
    with session_scope(settings.database_url) as session:
        assert (
            session.execute(select(HandoffRequest)).scalar_one().status == status
        )  # nothing deleted or changed
        assert session.execute(
            select(AuditLogEntry).where(AuditLogEntry.action == "status_opgevraagd")
        ).first()


def test_wrong_factor_and_unknown_code_get_the_same_uniform_reply(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old")
    wrong = lookup(intake, "web-a", code, "0687654321")
    unknown = lookup(intake, "web-b", "WW-ZZZZZZ", PHONE)
    assert (
        wrong
        == unknown
        == ('/verificatie_uitkomst{"verificatie":"status_mislukt"}', fill("status_controle_mislukt"))
    )
    assert "nieuw" not in wrong[1]


def test_status_attempts_count_with_the_deletion_attempts(settings):
    intake = ContactIntake(settings)
    code = make_request(settings, "web-old")
    for _ in range(MAX_FAILED_PER_CONVERSATION):
        lookup(intake, "web-x", code, "0687654321")
    forwarded, reply = lookup(intake, "web-x", code, PHONE)  # now right, but too many tries
    assert forwarded.endswith('"te_vaak"}')


def test_a_professional_referral_can_be_looked_up_by_the_resident(settings):
    from bot.handoff.routing import TeamRouting
    from bot.referral.core import ConsentGiven, NewReferral, SealedContact, open_referral

    cipher = Cipher(settings.fernet_keys)
    with session_scope(settings.database_url) as session:
        code = open_referral(
            session,
            NewReferral(
                source="verwijzer",
                actor="verwijzer:dr",
                idempotency_key="k1",
                sender_hash="x",
                channel="verwijzer",
                contact=SealedContact(cipher.encrypt("Els"), cipher.encrypt("els@example.org"), "email"),
                preferred_moment="avond",
                gemeente_code="GM0402",
                gemeente_naam="Hilversum",
                referrer_org_code="linde",
            ),
            ConsentGiven("v", "b" * 64, "verwijzer"),
            TeamRouting.load(),
            [],
        ).request.reference_code
    forwarded, reply = lookup(ContactIntake(settings), "telegram-1", code, "Els@Example.org")
    assert forwarded.endswith('"status:nieuw"}') and reply == fill("status_inwoner_nieuw")
