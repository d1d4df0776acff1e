"""Real, migrated SQLite databases with teams, coaches and requests for the coach-side tests."""
from __future__ import annotations

import dataclasses
import itertools
from datetime import timedelta

from argon2 import PasswordHasher

from bot import accounts
from bot.handoff.crypto import Cipher
from bot.handoff.db import migrate, session_scope
from bot.handoff.models import CONTACT_DEADLINE, Coach, HandoffRequest, StatusChange, Team, utcnow
from bot.settings import Settings

_numbers = itertools.count(1)


def make_settings(tmp_path, monkeypatch, **changes) -> Settings:
    """Settings for a fresh var dir and a migrated hand-off database in tmp_path."""
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("WW_DATABASE_URL", raising=False)
    monkeypatch.delenv("WW_FERNET_KEYS", raising=False)
    settings = dataclasses.replace(Settings.from_env(), **changes)
    migrate(settings.database_url)
    return settings


def add_team(settings, code="versa-welzijn", naam="Welzijnscoaches Versa Welzijn",
             email=None, telegram=None) -> int:
    with session_scope(settings.database_url) as session:
        team = Team(code=code, naam=naam, email=email, telegram_chat_id=telegram)
        session.add(team)
        session.flush()
        return team.id


def add_coach(settings, team_id, username, password, is_lead=False, hasher=None) -> int:
    """A coach (or teamleider) with a bot.accounts login; `hasher` may be a slow PasswordHasher."""
    with session_scope(settings.database_url) as session:
        team = session.get(Team, team_id)
        user = accounts.create_user(session, username,
                                    password_hash=(hasher or PasswordHasher()).hash(password))
        for role in (("coach", "teamleider") if is_lead else ("coach",)):
            accounts.grant(session, user, role, accounts.SCOPE_TEAM, team.code)
        coach = Coach(username=username, account_id=user.id, team_id=team_id, is_lead=is_lead)
        session.add(coach)
        session.flush()
        return coach.id


def add_request(settings, team_id, *, gemeente=("GM0402", "Hilversum"), themes=("eenzaamheid",),
                name="Test Inwoner", contact="0612345678", route="telefoon", note=None,
                created=None, status="nieuw", closed=None, team_naam="Welzijnscoaches Versa Welzijn",
                outcome=None, first_contact=None) -> tuple[int, str]:
    cipher = Cipher(settings.fernet_keys)
    number = next(_numbers)
    created = created or utcnow()
    reference = f"WW-T{number:05d}"
    with session_scope(settings.database_url) as session:
        request = HandoffRequest(
            reference_code=reference, idempotency_key=f"key-{number}", sender_hash=f"hash-{number}",
            channel="web", created_at=created, contact_deadline=created + CONTACT_DEADLINE,
            gemeente_code=gemeente[0], gemeente_naam=gemeente[1], team_id=team_id, team_naam=team_naam,
            themes=list(themes), activities_shown=[], contact_route=route, preferred_moment="ochtend",
            name_encrypted=cipher.encrypt(name), contact_encrypted=cipher.encrypt(contact),
            note_encrypted=cipher.encrypt(note), status=status, closed_at=closed, outcome=outcome,
            first_contact_at=first_contact,
        )
        session.add(request)
        session.flush()
        session.add(StatusChange(request_id=request.id, status="nieuw", changed_at=created))
        return request.id, reference


def days_ago(days: float):
    return utcnow() - timedelta(days=days)
