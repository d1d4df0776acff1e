"""Tables of the accounts module: users, their roles (with a scope) and sessions.

Own metadata and alembic history (version table `alembic_version_accounts`),
in the same database as the catalogue and the hand-off. Times are naive UTC.
A session row stores only the SHA-256 of the random session id, never the id
itself, so a copy of the database cannot be used to log in.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

# Roles of every web user, and the kind of scope each may have.
SCOPE_TEAM = "team"
SCOPE_ORGANISATION = "organisation"
SCOPE_REGION = "region"
SCOPE_ALL = "all"
ROLE_SCOPES: dict[str, frozenset[str]] = {
    "coach": frozenset({SCOPE_TEAM}),
    "teamleider": frozenset({SCOPE_TEAM}),
    "regiocoordinator": frozenset({SCOPE_REGION}),
    "verwijzer": frozenset({SCOPE_ORGANISATION}),
    "redacteur": frozenset({SCOPE_ORGANISATION, SCOPE_REGION}),
    "eindredacteur": frozenset({SCOPE_ORGANISATION, SCOPE_REGION}),
    "beheerder": frozenset({SCOPE_ALL}),
}
ROLES = tuple(ROLE_SCOPES)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base = declarative_base(metadata=metadata)


class User(Base):
    __tablename__ = "accounts_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    email = Column(String(320))  # work address (verification reminders of /redactie); optional
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    password_changed_at = Column(DateTime, nullable=False, default=utcnow)
    disabled_at = Column(DateTime)

    roles = relationship("RoleGrant", back_populates="user", cascade="all, delete-orphan")


class RoleGrant(Base):
    """One role of a user within one scope (a team code, an organisation, a region)."""

    __tablename__ = "accounts_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "scope_kind", "scope_code", name="uq_accounts_roles_grant"),
    )

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("accounts_users.id", ondelete="CASCADE"), nullable=False, index=True)
    role = Column(String(30), nullable=False)
    scope_kind = Column(String(20), nullable=False)
    scope_code = Column(String(120), nullable=False, default="")  # "" for SCOPE_ALL
    created_at = Column(DateTime, nullable=False, default=utcnow)

    user = relationship("User", back_populates="roles")


class LoginSession(Base):
    """A server-side session: revocable (logout, disabled account, new password)."""

    __tablename__ = "accounts_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("accounts_users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)
    revoked_at = Column(DateTime)
    revoke_reason = Column(String(30))

    user = relationship("User")
