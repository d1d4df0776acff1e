"""Accounts, roles and revocable server-side sessions: the one module every web
user goes through (coach, teamleider, regiocoordinator, verwijzer, redacteur,
eindredacteur, beheerder). It imports nothing from the web app or Rasa; callers
pass in a SQLAlchemy session (one unit of work) and commit it.

Passwords: argon2id (argon2-cffi defaults); an unknown username costs one
verification too, so both take as long. A login opens a session whose random id
(`secrets.token_urlsafe(32)`) is given to the browser and stored only as its
SHA-256. Logout, disabling an account and a password change revoke sessions in
the database, so an old cookie is refused wherever it is replayed. Sessions also
end after `SessionPolicy.lifetime` and after `SessionPolicy.idle` without use.

Errors are `AccountError(reason)`; the Dutch text of each reason is in
bot/accounts/messages.yml (`message(reason)`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from bot.accounts.models import ROLE_SCOPES, SCOPE_ALL, LoginSession, RoleGrant, User, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[a-z]{2,}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 200
# last_seen_at is written at most this often (a page view is not a database write).
TOUCH_INTERVAL = timedelta(seconds=60)

_hasher = PasswordHasher()
# Verified when the username is unknown, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(Exception):
    def __init__(self, reason: str, **values):
        super().__init__(reason)
        self.reason, self.values = reason, values

    def message(self) -> str:
        return message(self.reason, **self.values)


@lru_cache(maxsize=1)
def _messages() -> dict[str, str]:
    with open(Path(__file__).resolve().parent / "messages.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def message(reason: str, **values) -> str:
    return _messages()[reason].format(min_tekens=MIN_PASSWORD, rollen=", ".join(ROLE_SCOPES), **values)


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: timedelta = timedelta(hours=8)
    idle: timedelta = timedelta(minutes=60)

    @classmethod
    def from_settings(cls, settings) -> SessionPolicy:
        return cls(
            lifetime=timedelta(hours=settings.account_session_hours),
            idle=timedelta(minutes=settings.account_idle_minutes),
        )


# -- passwords ---------------------------------------------------------
def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("wachtwoord_te_kort")
    if len(password) > MAX_PASSWORD:
        raise AccountError("wachtwoord_te_lang")


def normalise_username(username: str) -> str:
    return username.strip().lower()


# -- users -------------------------------------------------------------
def find_user(db, username: str) -> User | None:
    return db.execute(select(User).where(User.username == normalise_username(username))).scalar_one_or_none()


def get_user(db, username: str) -> User:
    user = find_user(db, username)
    if user is None:
        raise AccountError("onbekende_gebruiker", gebruiker=normalise_username(username))
    return user


def normalise_email(email: str | None) -> str | None:
    """A work e-mail address (lower-case), None for empty; AccountError when it is no address."""
    email = (email or "").strip().lower()
    if not email:
        return None
    if len(email) > 320 or not EMAIL.match(email):
        raise AccountError("ongeldig_emailadres")
    return email


def create_user(db, username: str, password: str | None = None, *, password_hash: str | None = None,
                email: str | None = None) -> User:
    """A new, active user. Give a password (checked against the rules) or an existing hash."""
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise AccountError("ongeldige_gebruikersnaam")
    if find_user(db, name) is not None:
        raise AccountError("gebruiker_bestaat", gebruiker=name)
    address = normalise_email(email)
    if password_hash is None:
        check_password_rules(password or "")
        password_hash = hash_password(password)
    user = User(username=name, password_hash=password_hash, active=True, email=address)
    db.add(user)
    db.flush()
    return user


def set_email(db, user: User, email: str | None) -> None:
    """The user's work address (verification reminders of the back office go there); None removes it."""
    user.email = normalise_email(email)


def set_password(db, user: User, password: str) -> None:
    """A new password; every open session of the user ends."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    revoke_sessions(db, user, "wachtwoord")


def disable(db, user: User) -> None:
    """The user cannot log in any more; every open session ends now."""
    user.active = False
    user.disabled_at = utcnow()
    revoke_sessions(db, user, "uitgeschakeld")


def enable(db, user: User) -> None:
    user.active = True
    user.disabled_at = None


def authenticate(db, username: str, password: str) -> User | None:
    """The active user with this password, or None (same work for an unknown name)."""
    user = find_user(db, username) if username else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


# -- roles -------------------------------------------------------------
def check_role(role: str, scope_kind: str, scope_code: str | None) -> str:
    if role not in ROLE_SCOPES:
        raise AccountError("onbekende_rol", rol=role)
    if scope_kind not in ROLE_SCOPES[role]:
        raise AccountError("verkeerde_reikwijdte", rol=role, reikwijdtes=", ".join(sorted(ROLE_SCOPES[role])))
    code = "" if scope_kind == SCOPE_ALL else (scope_code or "").strip()
    if scope_kind != SCOPE_ALL and not code:
        raise AccountError("reikwijdte_code_nodig", reikwijdte=scope_kind)
    return code


def grant(db, user: User, role: str, scope_kind: str, scope_code: str | None = None) -> RoleGrant:
    code = check_role(role, scope_kind, scope_code)
    existing = db.execute(
        select(RoleGrant).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == role,
            RoleGrant.scope_kind == scope_kind,
            RoleGrant.scope_code == code,
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    row = RoleGrant(user_id=user.id, role=role, scope_kind=scope_kind, scope_code=code)
    db.add(row)
    db.flush()
    return row


def revoke_role(
    db, user: User, role: str, scope_kind: str | None = None, scope_code: str | None = None
) -> int:
    """Remove a role (in one scope, or in all scopes); the user's sessions end, so
    rights are never kept by an open page."""
    statement = delete(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.role == role)
    if scope_kind is not None:
        statement = statement.where(
            RoleGrant.scope_kind == scope_kind,
            RoleGrant.scope_code == ("" if scope_kind == SCOPE_ALL else scope_code or ""),
        )
    removed = db.execute(statement.execution_options(synchronize_session=False)).rowcount
    if removed:
        db.expire(user, ["roles"])
        revoke_sessions(db, user, "rol")
    return removed


def roles_of(db, user: User) -> list[RoleGrant]:
    return list(
        db.execute(
            select(RoleGrant)
            .where(RoleGrant.user_id == user.id)
            .order_by(RoleGrant.role, RoleGrant.scope_kind, RoleGrant.scope_code)
        ).scalars()
    )


def has_role(db, user: User, role: str, scope_kind: str | None = None, scope_code: str | None = None) -> bool:
    """Whether the user has `role` (in that scope, when given; a beheerder is not
    implicitly everything: callers ask for the role they need)."""
    statement = select(RoleGrant.id).where(RoleGrant.user_id == user.id, RoleGrant.role == role)
    if scope_kind is not None:
        statement = statement.where(RoleGrant.scope_kind == scope_kind)
    if scope_code is not None:
        statement = statement.where(RoleGrant.scope_code == scope_code)
    return db.execute(statement.limit(1)).first() is not None


def scopes(db, user: User, role: str, scope_kind: str) -> set[str]:
    """The scope codes in which the user has `role` (e.g. the team codes of a coach)."""
    return set(
        db.execute(
            select(RoleGrant.scope_code).where(
                RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.scope_kind == scope_kind
            )
        ).scalars()
    )


# -- sessions ----------------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(db, user: User, policy: SessionPolicy, now: datetime | None = None) -> str:
    """Start a session for `user`; returns the random id for the browser (only its hash is stored)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.add(
        LoginSession(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.lifetime,
        )
    )
    db.flush()
    return token


def resolve_session(db, token: str | None, policy: SessionPolicy, now: datetime | None = None) -> User | None:
    """The active user of a live session, or None (unknown, revoked, expired, idle or disabled)."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    now = now or utcnow()
    row = db.execute(
        select(LoginSession).where(LoginSession.token_hash == _digest(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if now >= row.expires_at or now - row.last_seen_at >= policy.idle:
        row.revoked_at, row.revoke_reason = now, "verlopen"
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.active or row.created_at < user.password_changed_at:
        row.revoked_at, row.revoke_reason = now, "ongeldig"
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
    return user


def close_session(db, token: str | None) -> bool:
    """Logout: the session is revoked in the database (a replayed cookie is refused)."""
    if not token or not isinstance(token, str):
        return False
    result = db.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == _digest(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason="uitgelogd")
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


def revoke_sessions(db, user: User, reason: str) -> int:
    result = db.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason=reason[:30])
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def purge_sessions(db, now: datetime | None = None, keep: timedelta = timedelta(days=30)) -> int:
    """Delete session rows that ended (expired or revoked) more than `keep` ago."""
    cutoff = (now or utcnow()) - keep
    result = db.execute(
        delete(LoginSession)
        .where((LoginSession.expires_at < cutoff) | (LoginSession.revoked_at < cutoff))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
