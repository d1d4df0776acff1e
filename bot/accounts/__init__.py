"""One accounts-and-roles module for every web user (see bot/accounts/service.py).

No import from the web app or Rasa. Tables: bot/accounts/models.py; migrations:
bot.accounts.db.migrate (also run by bot.handoff.db.migrate); CLI: `welzijnswijzer
account ...` (bot/accounts/cli.py).
"""

from bot.accounts.limits import LoginLimiter
from bot.accounts.models import (
    ROLE_SCOPES,
    ROLES,
    SCOPE_ALL,
    SCOPE_ORGANISATION,
    SCOPE_REGION,
    SCOPE_TEAM,
    LoginSession,
    RoleGrant,
    User,
)
from bot.accounts.service import (
    AccountError,
    SessionPolicy,
    authenticate,
    close_session,
    create_user,
    disable,
    enable,
    find_user,
    get_user,
    grant,
    has_role,
    hash_password,
    open_session,
    purge_sessions,
    resolve_session,
    revoke_role,
    revoke_sessions,
    roles_of,
    scopes,
    set_email,
    set_password,
)

__all__ = [
    "ROLE_SCOPES",
    "ROLES",
    "SCOPE_ALL",
    "SCOPE_ORGANISATION",
    "SCOPE_REGION",
    "SCOPE_TEAM",
    "AccountError",
    "LoginLimiter",
    "LoginSession",
    "RoleGrant",
    "SessionPolicy",
    "User",
    "authenticate",
    "close_session",
    "create_user",
    "disable",
    "enable",
    "find_user",
    "get_user",
    "grant",
    "has_role",
    "hash_password",
    "open_session",
    "purge_sessions",
    "resolve_session",
    "revoke_role",
    "revoke_sessions",
    "roles_of",
    "scopes",
    "set_email",
    "set_password",
]
