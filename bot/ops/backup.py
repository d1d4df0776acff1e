"""Backup and restore of the PostgreSQL databases with the machine's pg_dump / pg_restore.

    python -m bot.ops.backup dump --to /backups/2026-12-01
    python -m bot.ops.backup restore --from /backups/2026-12-01 [--database-url URL] [--tracker-store-url URL]
    python -m bot.ops.backup check --from /backups/2026-12-01

`dump` writes `welzijnswijzer.dump` (WW_DATABASE_URL: catalogue, accounts, hand-off
and referrals) and, when WW_TRACKER_STORE_URL is set, `rasa.dump` (Rasa's tracker
store), both in pg_dump's custom format (compressed, restorable table by table), plus
`manifest.json`: when, which pg_dump, the schema heads and the row count of every
table. `restore` loads them into *empty* databases (it refuses a database that has
tables: never over live data) in one transaction each, then checks heads and row
counts against the manifest. `check` reads a backup's table of contents.

Passwords never appear on a command line or in a log: the URL is split into
host/port/user/database options and the password goes to pg_dump in PGPASSWORD.
Contact details stay encrypted in the dump; restoring them needs the same
WW_FERNET_KEYS (keep those apart from the backups). docs/deployment.md has the
procedure and the retention rule for backups.
"""

from __future__ import annotations

import argparse
import glob
import json
import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger("bot.ops.backup")

MAIN_DUMP = "welzijnswijzer.dump"
TRACKER_DUMP = "rasa.dump"
MANIFEST = "manifest.json"
VERSION_TABLES_PREFIX = "alembic_version"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why (no secret in it)."""


def pg_binary(name: str, pg_bin: str | None = None) -> str:
    """`pg_dump`, `pg_restore` or `psql`: from --pg-bin, the newest /usr/lib/postgresql/*/bin, or PATH."""
    if pg_bin:
        candidate = Path(pg_bin) / name
        if candidate.exists():
            return str(candidate)
        raise BackupError(f"{name} not found in {pg_bin}")
    versioned = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0,
    )
    found = versioned[-1] if versioned else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


@dataclass(frozen=True)
class Target:
    """A PostgreSQL database as libpq options plus the password (kept out of argv)."""

    host: str
    port: int
    user: str
    database: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> Target:
        parsed = make_url(url)
        if not parsed.drivername.startswith("postgresql"):
            raise BackupError("backup and restore need a PostgreSQL database URL")
        if not parsed.database:
            raise BackupError("the database URL names no database")
        return cls(
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            database=parsed.database,
            password=parsed.password or "",
        )

    def options(self) -> list[str]:
        return ["--host", self.host, "--port", str(self.port), "--username", self.user, "--no-password"]

    def env(self) -> dict[str, str]:
        env = {"PGCONNECT_TIMEOUT": "10", "LC_ALL": "C.UTF-8"}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def sqlalchemy_url(self) -> str:
        from sqlalchemy.engine import URL

        return URL.create("postgresql+psycopg2", self.user, self.password or None, self.host, self.port,
                          self.database).render_as_string(hide_password=False)


def _run(command: list[str], target: Target, timeout: float) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=target.env(), capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        # pg_* error texts name tables and options, never the password (it is not in argv).
        problem = result.stderr.strip()[-800:]
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {problem}")
    return result


def database_facts(url: str) -> dict:
    """Schema heads (every alembic_version* table) and the row count of every table."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            heads = {
                table: sorted(r[0] for r in connection.execute(text(f'SELECT version_num FROM "{table}"')))
                for table in sorted(tables)
                if table.startswith(VERSION_TABLES_PREFIX)
            }
            counts = {
                table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                for table in sorted(tables)
            }
    finally:
        engine.dispose()
    return {"tables": len(tables), "heads": heads, "counts": counts}


def dump(database_url: str, tracker_store_url: str, to: Path, pg_bin: str | None = None,
         timeout: float = 3600) -> dict:
    to.mkdir(parents=True, exist_ok=True)
    pg_dump = pg_binary("pg_dump", pg_bin)
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip()
    manifest = {
        "made_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "pg_dump": version,
        "databases": {},
    }
    databases = (("welzijnswijzer", database_url, MAIN_DUMP), ("rasa", tracker_store_url, TRACKER_DUMP))
    for name, url, file in databases:
        if not url:
            continue
        target = Target.from_url(url)
        path = to / file
        _run([pg_dump, *target.options(), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(path), target.database], target, timeout)
        manifest["databases"][name] = {"file": file, "bytes": path.stat().st_size,
                                       **database_facts(target.sqlalchemy_url())}
        log.info("backup of %s: %s (%d bytes)", name, file, path.stat().st_size)
    (to / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def restore(source: Path, database_url: str, tracker_store_url: str, pg_bin: str | None = None,
            timeout: float = 3600) -> dict:
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} is missing: not a backup made by bot.ops.backup")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    pg_restore = pg_binary("pg_restore", pg_bin)
    restored = {}
    for name, url in (("welzijnswijzer", database_url), ("rasa", tracker_store_url)):
        entry = manifest["databases"].get(name)
        if entry is None:
            continue
        if not url:
            raise BackupError(f"the backup holds {name}, but no database URL to restore it into was given")
        target = Target.from_url(url)
        before = database_facts(target.sqlalchemy_url())
        if before["tables"]:
            raise BackupError(f"database {target.database} is not empty: restore only into a fresh database")
        _run([pg_restore, *target.options(), "--dbname", target.database, "--no-owner", "--no-privileges",
              "--exit-on-error", "--single-transaction", str(source / entry["file"])], target, timeout)
        after = database_facts(target.sqlalchemy_url())
        if after["heads"] != entry["heads"] or after["counts"] != entry["counts"]:
            raise BackupError(f"restored {name} differs from the manifest: {after} != {entry}")
        restored[name] = after
        log.info("restored %s into %s: %s", name, target.database, after["counts"])
    return restored


def check(source: Path, pg_bin: str | None = None) -> dict:
    """The backup is readable: pg_restore --list of every dump in the manifest."""
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    pg_restore = pg_binary("pg_restore", pg_bin)
    for entry in manifest["databases"].values():
        listing = subprocess.run([pg_restore, "--list", str(source / entry["file"])], capture_output=True,
                                 text=True, timeout=600)
        if listing.returncode != 0:
            raise BackupError(f"{entry['file']} is not readable: {listing.stderr.strip()[-400:]}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    from bot.logging_setup import configure_logging
    from bot.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bot.ops.backup", description=__doc__.splitlines()[0])
    parser.add_argument("--pg-bin", help="folder with pg_dump/pg_restore (default: the newest installed)")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("dump", help="back up WW_DATABASE_URL (and WW_TRACKER_STORE_URL)")
    make.add_argument("--to", required=True, type=Path, help="folder for the backup")
    load = commands.add_parser("restore", help="restore a backup into fresh, empty databases")
    load.add_argument("--from", dest="source", required=True, type=Path)
    load.add_argument("--database-url", help="target for our data (default WW_DATABASE_URL)")
    load.add_argument("--tracker-store-url",
                      help="target for Rasa's tracker store (default WW_TRACKER_STORE_URL)")
    verify = commands.add_parser("check", help="check that a backup is readable")
    verify.add_argument("--from", dest="source", required=True, type=Path)
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    configure_logging(settings)
    try:
        if args.command == "dump":
            manifest = dump(settings.database_url, settings.tracker_store_url, args.to, args.pg_bin)
            print(json.dumps(manifest, indent=2, sort_keys=True))
        elif args.command == "restore":
            restored = restore(args.source, args.database_url or settings.database_url,
                               args.tracker_store_url or settings.tracker_store_url, args.pg_bin)
            print(json.dumps(restored, indent=2, sort_keys=True))
        else:
            print(json.dumps(check(args.source, args.pg_bin), indent=2, sort_keys=True))
    except BackupError as problem:
        log.error("%s", problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
