"""Import catalogue files or in-memory records into the database, all or nothing.

Re-importing is idempotent: ids come from the files, and an activity whose content
hash did not change is left alone. "Ended" counts activities that were not ended
before and now are: their status became ``beeindigd``, or they disappeared from a
new import of the same source (the file name, or ``source=`` for records); those
stay in the database with status ``beeindigd``.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection, Engine

from sociale_kaart.bulk import bulk_insert
from sociale_kaart.problems import LineDict
from sociale_kaart.readers import DEFAULT_LIMITS, InputLimits, SourceDocument, read_path
from sociale_kaart.records import ACTIVITY, CHILD_TABLES, ORGANISATION, SOURCE, activity_row, child_rows
from sociale_kaart.texts import counted, message
from sociale_kaart.validation import Validation, ValidSource, validate_documents

ENDED = "beeindigd"
_CHUNK = 500  # ids per IN (...) delete
_BATCH = 5000  # activities per executemany


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    ended: int = 0
    unchanged: int = 0
    organisations_added: int = 0
    organisations_changed: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return message(
                "import.ongeldig",
                aantal=len(self.problems),
                problemen=counted("probleem", len(self.problems)),
            )
        return "\n".join(
            (
                message(
                    "import.klaar",
                    toegevoegd=self.added,
                    gewijzigd=self.changed,
                    beeindigd=self.ended,
                    ongewijzigd=self.unchanged,
                ),
                message(
                    "import.organisaties",
                    toegevoegd=self.organisations_added,
                    gewijzigd=self.organisations_changed,
                ),
            )
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _known_organisation_ids(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(ORGANISATION.c.id)).scalars())


@contextmanager
def _without_cyclic_gc():
    """A big import makes millions of small containers; Python's cyclic collector would
    rescan them all again and again. Nothing here creates cycles that must be freed early."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_documents(
    engine: Engine, documents: Sequence[SourceDocument], dry_run: bool = False
) -> ImportReport:
    """Validate and write in one transaction; ``dry_run`` counts what would change, then rolls back."""
    with _without_cyclic_gc():
        validation = validate_documents(documents, _known_organisation_ids(engine))
        if not validation.ok:
            return ImportReport(problems=validation.problems)
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                report = _write(connection, validation, _now())
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
            return report


def import_paths(engine: Engine, paths: Iterable[str | Path], dry_run: bool = False,
                 limits: InputLimits = DEFAULT_LIMITS) -> ImportReport:
    """Import YAML/CSV/HSDS files together, in one transaction; nothing when any is invalid
    (also when one is too large or too deeply nested for `limits`)."""
    return import_documents(engine, [read_path(path, limits) for path in paths], dry_run=dry_run)


def import_records(
    engine: Engine, records: Mapping | Sequence[Mapping], source: str = "records"
) -> ImportReport:
    """Import in-memory data in the file format: a document ``{catalogus, organisaties, activiteiten}``,
    or a list of activity dicts whose organisations are already in the database."""
    data = dict(records) if isinstance(records, Mapping) else {"activiteiten": list(records)}
    return import_documents(engine, [SourceDocument(source, source, LineDict(data))])


def _write(connection: Connection, validation: Validation, now: dt.datetime) -> ImportReport:
    report = ImportReport()
    for source in validation.sources:
        if source.activities:
            _write_source_header(connection, source, now)
    _write_organisations(connection, validation.sources, report)
    existing = {
        row.id: row
        for row in connection.execute(
            select(ACTIVITY.c.id, ACTIVITY.c.inhoud_hash, ACTIVITY.c.status, ACTIVITY.c.source)
        )
    }
    imported_ids = set()
    batch = _Batch()
    for source in validation.sources:
        for record in source.activities:
            imported_ids.add(record["id"])
            batch.add(record, source.source, existing.get(record["id"]), now, report)
            if batch.size >= _BATCH:
                batch.flush(connection)
    batch.flush(connection)
    report.ended += _end_disappeared(
        connection, existing, imported_ids, {s.source for s in validation.sources}, now
    )
    return report


class _Batch:
    """Rows for a few thousand activities at a time: executemany speed without holding
    the rows of a whole 100,000-activity import in memory."""

    def __init__(self):
        self._reset()

    def _reset(self):
        self.inserts, self.updates, self.source_moves = [], [], []
        self.children = {table: [] for table in CHILD_TABLES}
        self.size = 0

    def add(self, record: dict, source: str, old, now, report: ImportReport) -> None:
        row = activity_row(record, source, now)
        self.size += 1
        if old is None:
            self.inserts.append(row)
            report.added += 1
        elif old.inhoud_hash != row["inhoud_hash"]:
            self.updates.append(row)
            if row["status"] == ENDED and old.status != ENDED:
                report.ended += 1
            else:
                report.changed += 1
        else:
            report.unchanged += 1
            if old.source != source:
                self.source_moves.append({"b_id": record["id"], "source": source})
            return
        for table, rows in child_rows(record).items():
            self.children[table].extend(rows)

    def flush(self, connection: Connection) -> None:
        _replace_children_of(connection, [row["id"] for row in self.updates])
        bulk_insert(connection, ACTIVITY, self.inserts)
        if self.updates:
            columns = [c for c in self.updates[0] if c != "id"]
            statement = (
                update(ACTIVITY)
                .where(ACTIVITY.c.id == bindparam("b_id"))
                .values({c: bindparam(c) for c in columns})
            )
            connection.execute(
                statement, [{"b_id": row["id"], **{c: row[c] for c in columns}} for row in self.updates]
            )
        if self.source_moves:
            connection.execute(
                update(ACTIVITY).where(ACTIVITY.c.id == bindparam("b_id")).values(source=bindparam("source")),
                self.source_moves,
            )
        for table, rows in self.children.items():
            bulk_insert(connection, table, rows)
        self._reset()


def _write_source_header(connection: Connection, source: ValidSource, now: dt.datetime) -> None:
    values = {"naam": source.naam, "voorbeeldgegevens": source.voorbeeldgegevens, "geimporteerd_op": now}
    if connection.execute(select(SOURCE.c.source).where(SOURCE.c.source == source.source)).first():
        connection.execute(update(SOURCE).where(SOURCE.c.source == source.source).values(values))
    else:
        connection.execute(SOURCE.insert().values(source=source.source, **values))


def _write_organisations(connection: Connection, sources: list[ValidSource], report: ImportReport) -> None:
    fields = ("naam", "beschrijving", "website", "email")
    existing = {row.id: row for row in connection.execute(select(ORGANISATION))}
    for source in sources:
        for organisation in source.organisations:
            old = existing.get(organisation["id"])
            values = {key: organisation[key] for key in fields}
            if old is None:
                connection.execute(
                    ORGANISATION.insert().values(id=organisation["id"], source=source.source, **values)
                )
                report.organisations_added += 1
            elif any(getattr(old, key) != values[key] for key in fields) or old.source != source.source:
                connection.execute(
                    update(ORGANISATION)
                    .where(ORGANISATION.c.id == organisation["id"])
                    .values(source=source.source, **values)
                )
                report.organisations_changed += 1


def _replace_children_of(connection: Connection, ids: list[str]) -> None:
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for table in CHILD_TABLES:
            connection.execute(delete(table).where(table.c.activity_id.in_(chunk)))


def _end_disappeared(connection, existing: dict, imported_ids: set, sources: set, now) -> int:
    gone = [
        {"b_id": key, "status": ENDED, "laatst_gewijzigd_op": now, "inhoud_hash": ""}
        for key, row in existing.items()
        if row.source in sources and key not in imported_ids and row.status != ENDED
    ]
    if gone:
        # An empty hash makes the record count as changed when it comes back.
        connection.execute(
            update(ACTIVITY)
            .where(ACTIVITY.c.id == bindparam("b_id"))
            .values(
                status=bindparam("status"),
                laatst_gewijzigd_op=bindparam("laatst_gewijzigd_op"),
                inhoud_hash=bindparam("inhoud_hash"),
            ),
            gone,
        )
    return len(gone)
