"""bot.accounts on a real, migrated SQLite file: users, roles with scopes, and
server-side sessions that logout, disabling and a new password revoke."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from bot import accounts
from bot.accounts.models import utcnow
from bot.handoff.db import migrate, session_scope

PASSWORD = "een-lang-wachtwoord"
POLICY = accounts.SessionPolicy(lifetime=timedelta(hours=8), idle=timedelta(minutes=30))


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    migrate(url)
    return url


def _user(url, name="anna", password=PASSWORD):
    with session_scope(url) as db:
        return accounts.create_user(db, name, password).id


def test_password_is_stored_as_argon2_and_checked(url):
    _user(url)
    with session_scope(url) as db:
        user = accounts.find_user(db, "ANNA ")
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
        assert accounts.authenticate(db, "anna", PASSWORD).id == user.id
        assert accounts.authenticate(db, "anna", "fout-wachtwoord") is None
        assert accounts.authenticate(db, "niemand", PASSWORD) is None


@pytest.mark.parametrize("name, password, reason", [
    ("a", PASSWORD, "ongeldige_gebruikersnaam"),
    ("anna met spatie", PASSWORD, "ongeldige_gebruikersnaam"),
    ("bram", "kort", "wachtwoord_te_kort"),
    ("bram", "x" * 201, "wachtwoord_te_lang"),
])
def test_bad_usernames_and_passwords_get_a_dutch_reason(url, name, password, reason):
    with pytest.raises(accounts.AccountError) as problem, session_scope(url) as db:
        accounts.create_user(db, name, password)
    assert problem.value.reason == reason and problem.value.message()


def test_roles_have_the_scopes_they_belong_to(url):
    user_id = _user(url)
    with session_scope(url) as db:
        user = db.get(accounts.User, user_id)
        accounts.grant(db, user, "coach", accounts.SCOPE_TEAM, "versa-welzijn")
        accounts.grant(db, user, "redacteur", accounts.SCOPE_REGION, "gooi-en-vechtstreek")
        accounts.grant(db, user, "coach", accounts.SCOPE_TEAM, "versa-welzijn")  # twice: one grant
        for role, kind, code, reason in (
            ("coach", accounts.SCOPE_REGION, "gooi", "verkeerde_reikwijdte"),
            ("verwijzer", accounts.SCOPE_ORGANISATION, "", "reikwijdte_code_nodig"),
            ("tovenaar", accounts.SCOPE_ALL, None, "onbekende_rol"),
        ):
            with pytest.raises(accounts.AccountError) as problem:
                accounts.grant(db, user, role, kind, code)
            assert problem.value.reason == reason
        assert len(accounts.roles_of(db, user)) == 2
        assert accounts.has_role(db, user, "coach", accounts.SCOPE_TEAM, "versa-welzijn")
        assert not accounts.has_role(db, user, "coach", accounts.SCOPE_TEAM, "meerwaarde")
        assert accounts.scopes(db, user, "redacteur", accounts.SCOPE_REGION) == {"gooi-en-vechtstreek"}
        assert not accounts.has_role(db, user, "beheerder")
    assert set(accounts.ROLES) == {"coach", "teamleider", "regiocoordinator", "verwijzer", "redacteur",
                                   "eindredacteur", "beheerder"}


def test_session_id_is_random_and_only_its_hash_is_stored(url, tmp_path):
    user_id = _user(url)
    with session_scope(url) as db:
        user = db.get(accounts.User, user_id)
        tokens = {accounts.open_session(db, user, POLICY) for _ in range(3)}
    assert len(tokens) == 3 and all(len(token) >= 40 for token in tokens)
    raw = (tmp_path / "accounts.db").read_bytes()
    assert not any(token.encode() in raw for token in tokens)
    with session_scope(url) as db:
        assert all(accounts.resolve_session(db, token, POLICY).id == user_id for token in tokens)
        assert accounts.resolve_session(db, "verzonnen", POLICY) is None
        assert accounts.resolve_session(db, None, POLICY) is None


@pytest.mark.parametrize("revoke", ["logout", "disable", "password", "role"])
def test_logout_disable_password_change_and_role_removal_end_sessions(url, revoke):
    user_id = _user(url)
    with session_scope(url) as db:
        user = db.get(accounts.User, user_id)
        accounts.grant(db, user, "coach", accounts.SCOPE_TEAM, "versa-welzijn")
        token = accounts.open_session(db, user, POLICY)
        other = accounts.open_session(db, user, POLICY)  # a second browser
    with session_scope(url) as db:
        user = db.get(accounts.User, user_id)
        if revoke == "logout":
            assert accounts.close_session(db, token)
        elif revoke == "disable":
            accounts.disable(db, user)
        elif revoke == "password":
            accounts.set_password(db, user, "een-ander-lang-wachtwoord")
        else:
            assert accounts.revoke_role(db, user, "coach") == 1
    with session_scope(url) as db:
        assert accounts.resolve_session(db, token, POLICY) is None  # replayed after revocation
        still = accounts.resolve_session(db, other, POLICY)
        assert (still is not None) is (revoke == "logout"), "logout ends only its own session"
    if revoke == "password":
        with session_scope(url) as db:
            assert accounts.authenticate(db, "anna", PASSWORD) is None
            assert accounts.authenticate(db, "anna", "een-ander-lang-wachtwoord") is not None
    if revoke == "disable":
        with session_scope(url) as db:
            assert accounts.authenticate(db, "anna", PASSWORD) is None


def test_sessions_end_after_their_lifetime_and_after_inactivity(url):
    user_id = _user(url)
    start = utcnow()
    with session_scope(url) as db:
        user = db.get(accounts.User, user_id)
        idle = accounts.open_session(db, user, POLICY, now=start)
        busy = accounts.open_session(db, user, POLICY, now=start)
    with session_scope(url) as db:
        # `busy` is used every 20 minutes, `idle` not at all.
        for minutes in (20, 40, 60):
            assert accounts.resolve_session(db, busy, POLICY, now=start + timedelta(minutes=minutes))
        assert accounts.resolve_session(db, idle, POLICY, now=start + timedelta(minutes=31)) is None
        assert accounts.resolve_session(db, busy, POLICY, now=start + timedelta(hours=8, minutes=1)) is None
    with session_scope(url) as db:
        reasons = set(db.execute(text("SELECT revoke_reason FROM accounts_sessions")).scalars())
        assert reasons == {"verlopen"}
        assert accounts.purge_sessions(db, now=start + timedelta(days=40)) == 2


def test_existing_coach_accounts_move_into_accounts_with_their_roles(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(url, "0001_handoff_tables")  # the database as it was before bot.accounts
    old_hash = PasswordHasher().hash(PASSWORD)
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO handoff_teams (id, code, naam, created_at) "
                                "VALUES (1, 'versa-welzijn', 'Versa', '2026-01-01 00:00:00.000000')"))
        for number, (name, lead) in enumerate((("anna", False), ("lead", True)), start=1):
            connection.execute(text(
                "INSERT INTO handoff_coaches "
                "(id, username, password_hash, team_id, is_lead, active, created_at) "
                "VALUES (:id, :name, :hash, 1, :lead, 1, '2026-01-01 00:00:00.000000')"),
                {"id": number, "name": name, "hash": old_hash, "lead": lead})
    engine.dispose()
    migrate(url)
    with session_scope(url) as db:
        anna, lead = accounts.find_user(db, "anna"), accounts.find_user(db, "lead")
        assert accounts.authenticate(db, "anna", PASSWORD).id == anna.id  # the same password works
        assert accounts.has_role(db, anna, "coach", accounts.SCOPE_TEAM, "versa-welzijn")
        assert not accounts.has_role(db, anna, "teamleider")
        assert accounts.has_role(db, lead, "teamleider", accounts.SCOPE_TEAM, "versa-welzijn")
    with sqlite3.connect(tmp_path / "old.db") as raw:
        query = "SELECT username, account_id, password_hash FROM handoff_coaches ORDER BY id"
        rows = raw.execute(query).fetchall()
    assert [(r[0], r[2]) for r in rows] == [("anna", None), ("lead", None)] and all(r[1] for r in rows)
