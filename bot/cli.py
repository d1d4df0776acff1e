"""`welzijnswijzer`: set up the database and look after the hand-off data.

Every part adds its subcommands through a `register(subparsers)` function:
this module registers `setup-db` and `rotate-keys`; bot.handoff.admin_cli
registers the coach-side commands (coach, team, outbox, purge).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.accounts import cli as accounts_cli
from bot.handoff import admin_cli, verification
from bot.referral import cli as referral_cli
from bot.settings import PROJECT_ROOT, Settings

DEMO_DIR = PROJECT_ROOT / "sociale_kaart" / "demo"


def setup_db(args: argparse.Namespace) -> int:
    """Catalogue tables (+ demo catalogue when empty), then the hand-off tables."""
    from bot.handoff.db import migrate as migrate_handoff
    from sociale_kaart.catalogue import catalogue_info
    from sociale_kaart.db import make_engine, session_scope
    from sociale_kaart.db import migrate as migrate_kaart
    from sociale_kaart.importer import import_paths

    settings = Settings.from_env()
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrate_kaart(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_scope(engine) as session:
        empty = catalogue_info(session).activity_count == 0
    demo_files = sorted(Path(args.demo_dir).glob("*.yml"))
    if empty and demo_files and not args.no_demo:
        report = import_paths(engine, demo_files)
        if not report.ok:
            for problem in report.problems:
                print(problem, file=sys.stderr)
            return 1
        print(f"voorbeeldcatalogus geladen: {report.added} activiteiten")
    migrate_handoff(settings.database_url)
    print("database klaar")
    return 0


def rotate_keys(args: argparse.Namespace) -> int:
    """Re-encrypt all contact details with the newest key in WW_FERNET_KEYS."""
    from bot.handoff.crypto import Cipher, rotate
    from bot.handoff.db import session_scope

    settings = Settings.from_env()
    with session_scope(settings.database_url) as session:
        count = rotate(session, Cipher(settings.fernet_keys))
    print(f"{count} versleutelde waarden opnieuw versleuteld met de nieuwste sleutel")
    return 0


def register(subparsers) -> None:
    setup = subparsers.add_parser(
        "setup-db", help="database aanmaken of bijwerken (en voorbeeldcatalogus laden)"
    )
    setup.add_argument("--demo-dir", default=str(DEMO_DIR), help="map met voorbeeldcatalogus (*.yml)")
    setup.add_argument("--no-demo", action="store_true", help="geen voorbeeldcatalogus laden")
    setup.set_defaults(handler=setup_db)
    rotate_parser = subparsers.add_parser(
        "rotate-keys", help="contactgegevens opnieuw versleutelen met de nieuwste sleutel (WW_FERNET_KEYS)"
    )
    rotate_parser.set_defaults(handler=rotate_keys)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="welzijnswijzer", description="Welzijnswijzer beheer")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    admin_cli.register(subparsers)
    accounts_cli.register(subparsers)
    verification.register(subparsers)
    referral_cli.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args) or 0


if __name__ == "__main__":
    sys.exit(main())
