"""All our databases on PostgreSQL as on SQLite: the Alembic migrations of the catalogue,
the accounts and the hand-off/referral tables; the connection pool and the statement
timeout from Settings (a slow query fails fast instead of hanging a resident)."""

from __future__ import annotations

import dataclasses
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import OperationalError

from bot.settings import EngineOptions

pytestmark = pytest.mark.slow

VERSION_TABLES = ("alembic_version_sociale_kaart", "alembic_version_accounts", "alembic_version_handoff")


def _migrate_all(url: str) -> None:
    from bot.handoff.db import migrate as migrate_handoff  # migrates the accounts first
    from sociale_kaart.db import migrate as migrate_kaart

    migrate_kaart(url)
    migrate_handoff(url)


def _metadata():
    from bot.accounts.models import Base as AccountsBase
    from bot.handoff.models import Base as HandoffBase
    from sociale_kaart.models import Base as KaartBase

    return [KaartBase.metadata, AccountsBase.metadata, HandoffBase.metadata]


def _heads(url: str) -> dict[str, str]:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f"SELECT version_num FROM {table}")).scalar_one()
                for table in VERSION_TABLES
            }
    finally:
        engine.dispose()


def _drift(url: str) -> list:
    """Differences between the migrated schema and the models (autogenerate's view)."""
    engine = create_engine(url, future=True)
    differences = []
    seen_tables: set[str] = set()
    try:
        with engine.connect() as connection:
            for metadata in _metadata():
                names = set(metadata.tables)
                if names & seen_tables:  # a metadata object shared between packages
                    continue
                seen_tables |= names
                context = MigrationContext.configure(
                    connection,
                    opts={
                        "compare_type": False,
                        "include_name": lambda name, type_, _parent, names=names: (
                            type_ != "table" or name in names
                        ),
                    },
                )
                differences += [
                    change for change in compare_metadata(context, metadata)
                    if not (isinstance(change, tuple) and change[0] in {"add_index", "remove_index"})
                ]
    finally:
        engine.dispose()
    return differences


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ww.db'}"
    return request.getfixturevalue("postgresql_database")


@pytest.fixture
def postgresql_database(postgres_url):
    return postgres_url


def test_every_migration_runs_and_matches_the_models(database_url):
    _migrate_all(database_url)
    first = _heads(database_url)
    assert all(first.values()), first
    _migrate_all(database_url)  # idempotent: a second start changes nothing
    assert _heads(database_url) == first
    engine = create_engine(database_url, future=True)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    for metadata in _metadata():
        assert set(metadata.tables) <= tables, set(metadata.tables) - tables
    assert _drift(database_url) == []


def test_the_same_heads_on_postgresql_and_sqlite(postgres_url, tmp_path):
    sqlite_url = f"sqlite:///{tmp_path / 'ww.db'}"
    _migrate_all(sqlite_url)
    _migrate_all(postgres_url)
    assert _heads(sqlite_url) == _heads(postgres_url)


def test_the_pool_follows_the_settings(postgres_url):
    from sociale_kaart.db import make_engine

    options = EngineOptions(pool_size=3, max_overflow=2, pool_pre_ping=True, pool_timeout_seconds=1.0)
    engine = make_engine(postgres_url, options)
    try:
        assert engine.pool.size() == 3 and engine.pool._max_overflow == 2 and engine.pool._pre_ping
        held = [engine.connect() for _ in range(5)]  # pool_size + max_overflow
        started = time.monotonic()
        with pytest.raises(Exception, match="QueuePool limit"):
            engine.connect()
        assert time.monotonic() - started < 5  # pool_timeout, not forever
        for connection in held:
            connection.close()
    finally:
        engine.dispose()


def test_a_slow_statement_is_cancelled_by_the_statement_timeout(postgres_url):
    from bot.handoff import db as handoff_db
    from sociale_kaart.db import make_engine

    options = dataclasses.replace(EngineOptions(), statement_timeout_ms=300)
    for engine in (make_engine(postgres_url, options), _handoff_engine(handoff_db, postgres_url, options)):
        try:
            with engine.connect() as connection:
                assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "300ms"
                started = time.monotonic()
                with pytest.raises(OperationalError, match="statement timeout"):
                    connection.execute(text("SELECT pg_sleep(10)"))
                assert time.monotonic() - started < 3
            with engine.connect() as connection:  # the pool is fine afterwards
                assert connection.execute(text("SELECT 1")).scalar_one() == 1
        finally:
            engine.dispose()


def _handoff_engine(handoff_db, url: str, options: EngineOptions):
    """The hand-off store's engine, as a process gets it after configure_engines(settings)."""
    previous = handoff_db._options["default"]
    handoff_db.configure_engines(options)
    try:
        handoff_db._engines.pop(url, None)
        return handoff_db.make_engine(url)
    finally:
        handoff_db.configure_engines(previous)
        handoff_db._engines.pop(url, None)


def test_sqlite_gets_no_pool_arguments(tmp_path):
    from sociale_kaart.db import engine_kwargs

    assert engine_kwargs(f"sqlite:///{tmp_path / 'x.db'}", EngineOptions()) == {}
    no_timeout = engine_kwargs("postgresql://h/db", EngineOptions(statement_timeout_ms=0))
    assert no_timeout.get("connect_args") is None


def test_activity_views_with_their_codes_load_on_both_databases(database_url):
    """The matcher's activity query (codes joined per activity) runs on PostgreSQL too."""
    from pathlib import Path

    from sociale_kaart.activity_view import load_views
    from sociale_kaart.db import make_engine, migrate, session_scope
    from sociale_kaart.importer import import_paths

    good = Path(__file__).resolve().parents[1] / "sociale_kaart" / "fixtures" / "kaart_good.yml"
    migrate(database_url)
    engine = make_engine(database_url)
    try:
        assert import_paths(engine, [good]).problems == []
        with session_scope(engine) as session:
            views = load_views(session, ["act-koffie-oost", "act-mantelzorg-regio"])
        assert set(views) == {"act-koffie-oost", "act-mantelzorg-regio"}
        assert all(view.name for view in views.values())
    finally:
        engine.dispose()
