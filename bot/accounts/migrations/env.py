"""Alembic environment for the accounts tables (own version table)."""

from alembic import context
from sqlalchemy import create_engine

from bot.accounts.db import VERSION_TABLE
from bot.accounts.models import metadata

config = context.config


def _only_accounts(obj, name, type_, reflected, compare_to):
    # Catalogue and hand-off share the database; autogenerate must not touch their tables.
    if type_ == "table":
        return name.startswith("accounts_")
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
            include_object=_only_accounts,
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
