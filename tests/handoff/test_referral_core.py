"""The one referral core (bot.referral.core) on a real, migrated SQLite file."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.handoff.crypto import Cipher
from bot.handoff.db import migrate, session_scope
from bot.handoff.models import (
    CONTACT_DEADLINE,
    AuditLogEntry,
    ConsentRecord,
    HandoffRequest,
    OutboxMessage,
    StatusChange,
)
from bot.handoff.routing import TeamRouting
from bot.referral.core import ConsentGiven, NewReferral, ReferralError, SealedContact, open_referral
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("WW_DATABASE_URL", f"sqlite:///{tmp_path / 'ww.db'}")
    monkeypatch.setenv("WW_FERNET_KEYS", Fernet.generate_key().decode())
    settings = Settings.from_env()
    migrate(settings.database_url)
    return settings


def referral(cipher, key="form-1", gemeente=("GM0402", "Hilversum"), org="praktijk-de-linde"):
    return NewReferral(
        source="verwijzer",
        actor="verwijzer:dr.jansen",
        idempotency_key=key,
        sender_hash="random-" + key,
        channel="verwijzer",
        contact=SealedContact(
            cipher.encrypt("Els de Vries"),
            cipher.encrypt("0612345678"),
            "telefoon",
            cipher.encrypt("Zit veel alleen thuis"),
        ),
        preferred_moment="middag",
        gemeente_code=gemeente[0],
        gemeente_naam=gemeente[1],
        themes=["eenzaamheid"],
        referrer_org_code=org,
        referrer_user_id=7,
    )


def test_one_transaction_opens_request_consent_status_outbox_and_audit(settings):
    cipher = Cipher(settings.fernet_keys)
    routing = TeamRouting.load()
    consent = ConsentGiven("verwijzer-1", "a" * 64, "verwijzer")
    with session_scope(settings.database_url) as session:
        opened = open_referral(session, referral(cipher), consent, routing, ["email"])
        request_id = opened.request.id
    assert opened.created
    with session_scope(settings.database_url) as session:
        request = session.get(HandoffRequest, request_id)
        assert request.source == "verwijzer" and request.referrer_org_code == "praktijk-de-linde"
        assert request.team_naam == routing.route("GM0402").naam
        assert request.contact_deadline - request.created_at == CONTACT_DEADLINE
        assert cipher.decrypt(request.contact_encrypted) == "0612345678"
        consent_row = session.execute(
            select(ConsentRecord).where(ConsentRecord.request_id == request_id)
        ).scalar_one()
        assert (consent_row.text_version, consent_row.text_hash) == ("verwijzer-1", "a" * 64)
        history = (
            session.execute(select(StatusChange).where(StatusChange.request_id == request_id)).scalars().all()
        )
        assert [(h.status, h.actor) for h in history] == [("nieuw", "verwijzer:dr.jansen")]
        outbox = session.execute(select(OutboxMessage)).scalars().all()
        assert [(o.channel, o.kind, o.payload["bron"]) for o in outbox] == [("email", "nieuw", "verwijzer")]
        assert "0612345678" not in str(outbox[0].payload) and "Els" not in str(outbox[0].payload)
        audit = session.execute(select(AuditLogEntry)).scalars().all()
        assert [(a.actor, a.action) for a in audit] == [("verwijzer:dr.jansen", "aanvraag_aangemaakt")]


def test_same_key_twice_gives_one_request(settings):
    cipher = Cipher(settings.fernet_keys)
    routing = TeamRouting.load()
    consent = ConsentGiven("verwijzer-1", "a" * 64, "verwijzer")
    codes = []
    for _ in range(2):
        with session_scope(settings.database_url) as session:
            codes.append(
                open_referral(session, referral(cipher), consent, routing, []).request.reference_code
            )
    assert codes[0] == codes[1]
    with session_scope(settings.database_url) as session:
        assert len(session.execute(select(HandoffRequest)).scalars().all()) == 1


def test_incomplete_or_anonymous_professional_referral_is_refused_and_nothing_stored(settings):
    cipher = Cipher(settings.fernet_keys)
    routing = TeamRouting.load()
    consent = ConsentGiven("verwijzer-1", "a" * 64, "verwijzer")
    for bad, reason in ((referral(cipher, org=None), "geen_verwijzer"),):
        with pytest.raises(ReferralError) as error, session_scope(settings.database_url) as session:
            open_referral(session, bad, consent, routing, ["email"])
        assert error.value.reason == reason
    with session_scope(settings.database_url) as session:
        assert session.execute(select(HandoffRequest)).first() is None
        assert session.execute(select(ConsentRecord)).first() is None


def test_core_imports_nothing_from_the_web_app_or_rasa():
    for path in sorted((ROOT / "bot" / "referral").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("bot.web", "rasa", "rasa_sdk", "starlette", "actions")), (
                    path,
                    name,
                )
    code = (
        "import sys, bot.referral.core, bot.referral.outcomes, bot.referral.professional, bot.referral.figures, "
        "bot.referral.fhir, bot.referral.medical_check, bot.referral.cli, bot.handoff.store\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk', 'starlette', 'actions')"
        " or m.startswith('bot.web')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
