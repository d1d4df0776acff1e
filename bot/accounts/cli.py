"""`welzijnswijzer account add|disable|enable|password|role|list`: web accounts of
every kind (bot/cli.py registers it). Output for the operator is Dutch, from
bot/accounts/messages.yml.
"""

from __future__ import annotations

import getpass
import sys

from bot.accounts import service
from bot.accounts.models import ROLES, SCOPE_ALL, SCOPE_ORGANISATION, SCOPE_REGION, SCOPE_TEAM
from bot.settings import Settings


def _database() -> str:
    from bot.handoff.db import migrate

    settings = Settings.from_env()
    migrate(settings.database_url)  # accounts first, then the hand-off tables
    return settings.database_url


def _session(url: str):
    from bot.handoff.db import session_scope

    return session_scope(url)


def read_password(from_stdin: bool) -> str:
    """The new password, from stdin (scripts) or asked twice on the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(service.message("cli_wachtwoord_vraag"))
    if first != getpass.getpass(service.message("cli_wachtwoord_nog_eens")):
        raise service.AccountError("wachtwoorden_verschillen")
    return first


def _scope(args) -> tuple[str, str]:
    for kind, value in (
        (SCOPE_TEAM, args.team),
        (SCOPE_ORGANISATION, args.organisatie),
        (SCOPE_REGION, args.regio),
    ):
        if value:
            return kind, value
    return SCOPE_ALL, ""


def _run(work) -> int:
    try:
        print(work())
    except service.AccountError as problem:
        print(problem.message(), file=sys.stderr)
        return 2
    return 0


def add(args) -> int:
    def work():
        password = read_password(args.password_stdin)
        service.check_password_rules(password)
        with _session(_database()) as db:
            user = service.create_user(db, args.username, password)
            if args.rol:
                kind, code = _scope(args)
                service.grant(db, user, args.rol, kind, code)
            return service.message("cli_aangemaakt", gebruiker=user.username)

    return _run(work)


def disable(args) -> int:
    def work():
        with _session(_database()) as db:
            user = service.get_user(db, args.username)
            count = service.revoke_sessions(db, user, "uitgeschakeld")
            service.disable(db, user)
            return service.message("cli_uitgeschakeld", gebruiker=user.username, sessies=count)

    return _run(work)


def enable(args) -> int:
    def work():
        with _session(_database()) as db:
            user = service.get_user(db, args.username)
            service.enable(db, user)
            return service.message("cli_ingeschakeld", gebruiker=user.username)

    return _run(work)


def password(args) -> int:
    def work():
        new = read_password(args.password_stdin)
        with _session(_database()) as db:
            user = service.get_user(db, args.username)
            count = service.revoke_sessions(db, user, "wachtwoord")
            service.set_password(db, user, new)
            return service.message("cli_wachtwoord", gebruiker=user.username, sessies=count)

    return _run(work)


def role(args) -> int:
    def work():
        kind, code = _scope(args)
        with _session(_database()) as db:
            user = service.get_user(db, args.username)
            if args.weg:
                removed = service.revoke_role(
                    db, user, args.rol, kind if kind != SCOPE_ALL or args.alles else None, code or None
                )
                if not removed:
                    return service.message("cli_rol_niet_gevonden", gebruiker=user.username, rol=args.rol)
                return service.message("cli_rol_weg", gebruiker=user.username, rol=args.rol, aantal=removed)
            service.grant(db, user, args.rol, kind, code)
            return service.message(
                "cli_rol_gegeven", gebruiker=user.username, rol=args.rol, reikwijdte=kind, code=code or "-"
            )

    return _run(work)


def list_accounts(args) -> int:
    from sqlalchemy import select

    from bot.accounts.models import User

    with _session(_database()) as db:
        for user in db.execute(select(User).order_by(User.username)).scalars():
            grants = ", ".join(
                f"{g.role}@{g.scope_kind}:{g.scope_code or '*'}" for g in service.roles_of(db, user)
            )
            state = "actief" if user.active else "uitgeschakeld"
            print(f"{user.username:30} {state:14} {grants or '-'}")
    return 0


def _add_scope_options(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--team", help="teamcode (coach, teamleider)")
    group.add_argument("--organisatie", help="organisatie of praktijk (verwijzer, redacteur)")
    group.add_argument("--regio", help="regio (regiocoordinator, redacteur)")
    group.add_argument("--alles", action="store_true", help="overal (beheerder)")


def register(subparsers) -> None:
    account = subparsers.add_parser("account", help="web-accounts en rollen").add_subparsers(
        dest="account_command", required=True
    )
    add_parser = account.add_parser("add", help="account aanmaken (vraagt om een wachtwoord)")
    add_parser.add_argument("username")
    add_parser.add_argument("--rol", choices=ROLES, help="meteen een rol geven")
    _add_scope_options(add_parser)
    add_parser.add_argument("--password-stdin", action="store_true", help="wachtwoord van stdin lezen")
    add_parser.set_defaults(handler=add)
    for name, handler, text in (
        ("disable", disable, "account uitschakelen (sessies eindigen)"),
        ("enable", enable, "account weer inschakelen"),
    ):
        sub = account.add_parser(name, help=text)
        sub.add_argument("username")
        sub.set_defaults(handler=handler)
    pw = account.add_parser("password", help="nieuw wachtwoord (sessies eindigen)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="wachtwoord van stdin lezen")
    pw.set_defaults(handler=password)
    role_parser = account.add_parser("role", help="rol geven (of met --weg: weghalen)")
    role_parser.add_argument("username")
    role_parser.add_argument("rol", choices=ROLES)
    _add_scope_options(role_parser)
    role_parser.add_argument("--weg", action="store_true", help="de rol weghalen")
    role_parser.set_defaults(handler=role)
    account.add_parser("list", help="alle accounts met hun rollen").set_defaults(handler=list_accounts)
