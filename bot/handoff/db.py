"""Engine, sessions and migrations for the hand-off tables."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import EngineOptions

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version_handoff"

_engines: dict[str, Engine] = {}
_options: dict[str, object] = {"default": EngineOptions()}


def configure_engines(options) -> None:
    """Pool and statement timeout (Settings.engine_options) for the engines this process
    creates from now on; each process entry point passes its settings' options."""
    _options["default"] = options


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """One engine per URL per process (engines hold the connection pool)."""
    engine = _engines.get(url)
    if engine is None:
        from sociale_kaart.db import engine_kwargs

        engine = create_engine(url, future=True, **engine_kwargs(url, _options["default"]))
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _engines[url] = engine
    return engine


@contextmanager
def session_scope(url_or_engine: str | Engine) -> Iterator[Session]:
    """A session for one unit of work: committed on success, rolled back on error."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    factory = sessionmaker(bind=engine, future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Bring the hand-off tables to `revision` (alembic upgrade), after the accounts
    tables they refer to (bot.accounts)."""
    from bot.accounts.db import migrate as migrate_accounts

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrate_accounts(url)
    command.upgrade(alembic_config(url), revision)
