"""Alembic environment for the hand-off tables (own version table)."""
from alembic import context
from sqlalchemy import create_engine

from bot.handoff.db import VERSION_TABLE
from bot.handoff.models import metadata

config = context.config


def _only_handoff(obj, name, type_, reflected, compare_to):
    # The catalogue shares the database; autogenerate must not touch its tables.
    if type_ == "table":
        return name.startswith("handoff_")
    return True


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = create_engine(config.get_main_option("sqlalchemy.url"), future=True)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=VERSION_TABLE,
            include_object=_only_handoff,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
