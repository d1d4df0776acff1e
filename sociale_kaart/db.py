"""Engine, sessions and migrations of the sociale kaart database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
VERSION_TABLE = "alembic_version_sociale_kaart"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _ensure_sqlite_dir(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        path = url[len(prefix) :].split("?", 1)[0]
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def engine_kwargs(url: str, options=None) -> dict:
    """create_engine arguments for `options` (bot.settings.EngineOptions or alike: pool_size,
    max_overflow, pool_pre_ping, pool_recycle_seconds, pool_timeout_seconds,
    statement_timeout_ms). The pool applies to server databases; the statement timeout is
    set per connection on PostgreSQL, so a slow query fails fast instead of hanging."""
    if options is None or url.startswith("sqlite"):
        return {}
    kwargs = {
        "pool_size": options.pool_size,
        "max_overflow": options.max_overflow,
        "pool_pre_ping": options.pool_pre_ping,
        "pool_recycle": options.pool_recycle_seconds,
        "pool_timeout": options.pool_timeout_seconds,
    }
    if url.startswith("postgresql") and options.statement_timeout_ms:
        kwargs["connect_args"] = {"options": f"-c statement_timeout={int(options.statement_timeout_ms)}"}
    return kwargs


def make_engine(url: str, options=None, **kwargs) -> Engine:
    """A 2.0-style engine; SQLite gets foreign keys, WAL and a busy timeout; a server
    database gets the pool and statement timeout of `options` (see engine_kwargs)."""
    _ensure_sqlite_dir(url)
    engine = create_engine(url, future=True, **{**engine_kwargs(url, options), **kwargs})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    session = Session(engine, future=True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(url: str | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str | Engine) -> None:
    """alembic upgrade head for the catalogue tables, then sync the vocabularies into them."""
    from alembic import command

    from sociale_kaart.vocab_sync import sync_vocabularies

    engine = url if isinstance(url, Engine) else make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(str(engine.url))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        with session_scope(engine) as session:
            sync_vocabularies(session)
    finally:
        if not isinstance(url, Engine):
            engine.dispose()
