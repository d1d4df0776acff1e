"""Alembic environment of the sociale kaart tables (own version table, shared database)."""

from __future__ import annotations

from alembic import context

from sociale_kaart.db import VERSION_TABLE, make_engine
from sociale_kaart.models import Base

config = context.config
target_metadata = Base.metadata


def _only_our_tables(name, type_, *_args) -> bool:
    # The database also holds the hand-off tables; autogenerate must not touch them.
    if type_ == "table":
        return name in target_metadata.tables
    return True


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=_only_our_tables,
        compare_type=True,
        **kwargs,
    )


def _url() -> str:
    """-x url=..., else the URL set by sociale_kaart.db (its callers pass the settings' URL),
    else the default."""
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or "sqlite:///var/welzijnswijzer.db"
    )


def run_offline() -> None:
    url = _url()
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.begin() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
