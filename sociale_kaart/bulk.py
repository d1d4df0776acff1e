"""Fast multi-row INSERT: the DBAPI's executemany with values prepared once per column.

SQLAlchemy 1.4's executemany rebuilds every row's parameters in Python, which was
half of the time of a 100,000-activity import. Here each column's bind processor
(e.g. dates as text on SQLite) is looked up once and applied in a tight loop.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.engine import Connection


def bulk_insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys, a subset of the table's columns)."""
    if not rows:
        return
    dialect = connection.dialect
    names = list(rows[0])
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    processors = {name: table.c[name].type.bind_processor(dialect) for name in names}
    if dialect.positional:
        order = [name for name in compiled.positiontup]
        steps = [(name, processors[name]) for name in order]
        params = [tuple(p(row[n]) if p else row[n] for n, p in steps) for row in rows]
    else:
        steps = [(name, processors[name]) for name in names]
        params = [{n: (p(row[n]) if p else row[n]) for n, p in steps} for row in rows]
    connection.exec_driver_sql(compiled.string, params)
