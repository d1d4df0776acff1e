"""Coach-side commands for `welzijnswijzer`: team, coach, outbox, purge.

bot/cli.py calls `register(subparsers)`. Output is for the operator (Dutch).
"""
from __future__ import annotations

import argparse
import getpass
import re
import sys

from sqlalchemy import select

from bot.settings import Settings

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD = 12


def _settings_and_db():
    from bot.handoff.db import migrate

    settings = Settings.from_env()
    migrate(settings.database_url)
    return settings


def team_add(args) -> int:
    from bot.handoff.db import session_scope
    from bot.handoff.models import Team
    from bot.handoff.routing import TeamRouting

    settings = _settings_and_db()
    routes = {route.code: route for route in TeamRouting.load(settings.teams_file).all_teams()}
    with session_scope(settings.database_url) as session:
        team = session.execute(select(Team).where(Team.code == args.code)).scalar_one_or_none()
        naam = args.naam or (routes[args.code].naam if args.code in routes else None)
        if team is None:
            if not naam:
                print(f"team {args.code!r} staat niet in de routering: geef --naam", file=sys.stderr)
                return 2
            team = Team(code=args.code, naam=naam)
            session.add(team)
            verb = "aangemaakt"
        else:
            verb = "bijgewerkt"
            if args.naam:
                team.naam = args.naam
        if args.email is not None:
            team.email = args.email or None
        if args.telegram_chat_id is not None:
            team.telegram_chat_id = args.telegram_chat_id or None
        print(f"team {team.code} {verb}: {team.naam} (e-mail: {team.email or '-'}, "
              f"telegram: {team.telegram_chat_id or '-'})")
    if args.code not in routes:
        print("let op: dit team staat niet in teams.yml, dus er komen nog geen aanvragen binnen",
              file=sys.stderr)
    return 0


def team_list(args) -> int:
    from bot.handoff.db import session_scope
    from bot.handoff.models import Team

    settings = _settings_and_db()
    with session_scope(settings.database_url) as session:
        for team in session.execute(select(Team).order_by(Team.code)).scalars():
            print(f"{team.code:28} {team.naam:50} {team.email or '-':30} {team.telegram_chat_id or '-'}")
    return 0


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Wachtwoord: ")
    if first != getpass.getpass("Nog een keer: "):
        print("de wachtwoorden zijn niet gelijk", file=sys.stderr)
        return None
    return first


def coach_add(args) -> int:
    """A bot.accounts login with the role coach (and teamleider with --lead) for the
    team, plus the coach's place in that team (handoff_coaches)."""
    from bot import accounts
    from bot.handoff.db import session_scope
    from bot.handoff.models import Coach, Team

    username = args.username.strip().lower()
    if not USERNAME.match(username):
        print(accounts.AccountError("ongeldige_gebruikersnaam").message(), file=sys.stderr)
        return 2
    password = _read_password(args.password_stdin)
    if password is None:
        return 2
    if len(password) < MIN_PASSWORD:
        print(f"het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben", file=sys.stderr)
        return 2
    settings = _settings_and_db()
    with session_scope(settings.database_url) as session:
        team = session.execute(select(Team).where(Team.code == args.team)).scalar_one_or_none()
        if team is None:
            print(f"team {args.team!r} bestaat niet: maak het eerst met 'team add'", file=sys.stderr)
            return 2
        if session.execute(select(Coach).where(Coach.username == username)).first():
            print(f"gebruiker {username!r} bestaat al", file=sys.stderr)
            return 2
        try:
            user = accounts.create_user(session, username, password)
        except accounts.AccountError as problem:
            print(problem.message(), file=sys.stderr)
            return 2
        for role in (("coach", "teamleider") if args.lead else ("coach",)):
            accounts.grant(session, user, role, accounts.SCOPE_TEAM, team.code)
        session.add(Coach(username=username, account_id=user.id, team_id=team.id, is_lead=args.lead))
    role = "teamleider" if args.lead else "coach"
    print(f"{role} {username} aangemaakt in team {args.team}")
    return 0


def coach_disable(args) -> int:
    """Disables the account (bot.accounts): it cannot log in, open sessions end now."""
    from bot import accounts
    from bot.handoff.db import session_scope
    from bot.handoff.models import Coach

    settings = _settings_and_db()
    with session_scope(settings.database_url) as session:
        coach = session.execute(
            select(Coach).where(Coach.username == args.username.strip().lower())
        ).scalar_one_or_none()
        if coach is None:
            print(f"gebruiker {args.username!r} bestaat niet", file=sys.stderr)
            return 2
        coach.active = False
        user = session.get(accounts.User, coach.account_id) if coach.account_id else None
        if user is not None:
            accounts.disable(session, user)
    print(f"{args.username} kan niet meer inloggen")
    return 0


def outbox_show(args) -> int:
    from bot.handoff import outbox
    from bot.handoff.db import session_scope

    settings = _settings_and_db()
    with session_scope(settings.database_url) as session:
        if args.retry is not None:
            if not outbox.retry(session, args.retry):
                print(f"melding {args.retry} bestaat niet of is niet mislukt", file=sys.stderr)
                return 2
            print(f"melding {args.retry} staat weer in de wachtrij")
            return 0
        lines = [line for line in outbox.overview(session, limit=args.limit)
                 if args.state is None or line.state == args.state]
    counts = {}
    for line in lines:
        counts[line.state] = counts.get(line.state, 0) + 1
        when = line.delivered_at or line.next_attempt_at
        print(f"{line.id:6} {line.referentie:12} {line.channel:9} {line.state:10} "
              f"pogingen {line.attempts:2}  {when:%Y-%m-%d %H:%M}  {line.last_error or ''}")
    print("totaal: " + (", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "geen meldingen"))
    return 0


def purge(args) -> int:
    from bot.handoff.purge import RetentionPolicy, purge_all

    settings = _settings_and_db()
    policy = RetentionPolicy.from_settings(settings)
    report = purge_all(settings, policy)
    print(f"bewaartermijnen: contactgegevens {policy.contact_days} dagen na afsluiten, "
          f"gesprekken {policy.tracker_days} dagen ({policy.tracker_db})")
    print(f"verwijderd: {report}")
    return 0


def register(subparsers) -> None:
    team = subparsers.add_parser("team", help="teams van welzijnscoaches").add_subparsers(
        dest="team_command", required=True)
    add = team.add_parser("add", help="team aanmaken of bijwerken (meldingsadressen)")
    add.add_argument("code", help="teamcode, zoals in teams.yml (bijv. versa-welzijn)")
    add.add_argument("--naam", help="naam van het team (standaard: uit teams.yml)")
    add.add_argument("--email", help="e-mailadres voor meldingen ('' = geen)")
    add.add_argument("--telegram-chat-id", help="Telegram-groep voor meldingen ('' = geen)")
    add.set_defaults(handler=team_add)
    team.add_parser("list", help="alle teams").set_defaults(handler=team_list)

    coach = subparsers.add_parser("coach", help="accounts van welzijnscoaches").add_subparsers(
        dest="coach_command", required=True)
    add = coach.add_parser("add", help="account aanmaken (vraagt om een wachtwoord)")
    add.add_argument("username")
    add.add_argument("--team", required=True, help="teamcode")
    add.add_argument("--lead", action="store_true", help="teamleider: ziet statistiek en verzending")
    add.add_argument("--password-stdin", action="store_true", help="wachtwoord van stdin lezen (scripts)")
    add.set_defaults(handler=coach_add)
    disable = coach.add_parser("disable", help="account uitschakelen")
    disable.add_argument("username")
    disable.set_defaults(handler=coach_disable)

    box = subparsers.add_parser("outbox", help="verzending van meldingen bekijken")
    box.add_argument("--state", choices=["pending", "delivered", "failed"], help="alleen deze toestand")
    box.add_argument("--limit", type=int, default=200)
    box.add_argument("--retry", type=int, metavar="ID", help="mislukte melding opnieuw proberen")
    box.set_defaults(handler=outbox_show)

    subparsers.add_parser(
        "purge", help="bewaartermijnen toepassen (contactgegevens, concepten, oude gesprekken)"
    ).set_defaults(handler=purge)


def main(argv: list[str] | None = None) -> int:  # for `python -m bot.handoff.admin_cli`
    parser = argparse.ArgumentParser(prog="welzijnswijzer")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args) or 0


if __name__ == "__main__":
    sys.exit(main())
