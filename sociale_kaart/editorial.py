"""The editors' workflow of the sociale kaart: versions, four eyes, archive, verification.

No web framework and no Rasa here (bot/web/redactie is the HTTP side). Every change is
a row in activity_version holding the whole clean record (JSON). The activity row (and
its child rows) always holds the *published* content, so matching, exports and the HSDS
API (sociale_kaart.published) never see a concept:

    concept --submit--> ter_controle --publish (another eindredacteur)--> gepubliceerd

Publishing writes the record through the same validation as an import, so a form shows
the import's Dutch messages. Optimistic locking: every save names the version number it
was based on; when a newer version exists the save is refused (EditConflict).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sociale_kaart import models
from sociale_kaart.problems import LineDict, Problem
from sociale_kaart.readers import SourceDocument
from sociale_kaart.records import ACTIVITY, CHILD_TABLES, ORGANISATION, activity_row, child_rows
from sociale_kaart.records import load_activity_records
from sociale_kaart.texts import message
from sociale_kaart.validation import validate_documents

VERSION = models.ActivityVersion.__table__
EDITOR_SOURCE = "redactie"  # the source of activities created in the back office
OPEN_STATUSES = ("concept", "ter_controle")


class EditError(Exception):
    """A refused workflow step; ``text`` is the Dutch message for the editor."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.text = message(f"redactie.{code}", **values)


class EditConflict(EditError):
    def __init__(self):
        super().__init__("iemand_anders")


@dataclass
class SaveResult:
    """A saved version, or the validation problems (nothing saved)."""

    nummer: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def to_json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, default=lambda value: value.isoformat())


def from_json(text: str) -> dict:
    return json.loads(text)


def validate_record(connection: Connection, raw: dict) -> tuple[dict | None, list[Problem]]:
    """One activity in the file format -> (clean record, problems), by the import's validation."""
    known = [row[0] for row in connection.execute(select(ORGANISATION.c.id))]
    document = SourceDocument("formulier", "formulier", LineDict({"activiteiten": [raw]}))
    validation = validate_documents([document], known)
    if not validation.ok:
        return None, list(validation.problems)
    return validation.sources[0].activities[0], []


def published_record(connection: Connection, activity_id: str) -> dict | None:
    found = load_activity_records(connection, ids=[activity_id])
    return found[0][0] if found else None


def latest_number(connection: Connection, activity_id: str) -> int:
    """The lock counter: the highest version number (the published one when none is newer)."""
    newest = connection.execute(
        select(func.max(VERSION.c.nummer)).where(VERSION.c.activity_id == activity_id)
    ).scalar()
    row = connection.execute(select(ACTIVITY.c.versie).where(ACTIVITY.c.id == activity_id)).first()
    return max(newest or 0, row.versie if row else 0)


def current_version(connection: Connection, activity_id: str) -> tuple[dict | None, int]:
    """What an editor edits: the newest open concept, else the published record; and its number."""
    number = latest_number(connection, activity_id)
    newest = connection.execute(
        select(VERSION.c.record, VERSION.c.status)
        .where(VERSION.c.activity_id == activity_id)
        .order_by(VERSION.c.nummer.desc())
        .limit(1)
    ).first()
    if newest is not None and newest.status in OPEN_STATUSES:
        return from_json(newest.record), number
    record = published_record(connection, activity_id)
    if record is None and newest is not None:
        return from_json(newest.record), number
    return (from_json(to_json(record)) if record else None), number


def _add_version(connection, activity_id, number, status, record_json, author, note=None) -> int:
    connection.execute(
        insert(VERSION).values(
            activity_id=activity_id,
            nummer=number,
            status=status,
            record=record_json,
            auteur=author,
            gemaakt_op=_now(),
            notitie=note,
        )
    )
    return number


IMPORT_AUTHOR = "import"


def _baseline(connection: Connection, activity_id: str) -> None:
    """An imported entry has no versions yet: record its published content as the first one,
    so the history can show a diff and a revert can go back to it."""
    has_versions = connection.execute(
        select(VERSION.c.id).where(VERSION.c.activity_id == activity_id).limit(1)
    ).first()
    row = connection.execute(select(ACTIVITY.c.versie).where(ACTIVITY.c.id == activity_id)).first()
    if has_versions is None and row is not None:
        record = published_record(connection, activity_id)
        _add_version(connection, activity_id, row.versie, "gepubliceerd", to_json(record), IMPORT_AUTHOR)


def save(engine: Engine, raw: dict, author: str, based_on: int | None, new: bool = False) -> SaveResult:
    """Save an edit (or a new activity when ``new``) as a concept version.

    ``based_on`` is the version number the form showed; a newer one means someone else
    saved in between: EditConflict, nothing saved. Invalid input: the problems, nothing saved.
    Two saves at the very same moment: the unique (activity_id, nummer) refuses the second."""
    try:
        return _save(engine, raw, author, based_on, new)
    except IntegrityError as error:
        raise EditConflict() from error


def _save(engine: Engine, raw: dict, author: str, based_on: int | None, new: bool) -> SaveResult:
    with engine.begin() as connection:
        record, problems = validate_record(connection, raw)
        if problems:
            return SaveResult(problems=problems)
        activity_id = record["id"]
        exists = connection.execute(select(ACTIVITY.c.id).where(ACTIVITY.c.id == activity_id)).first()
        if new and (exists or latest_number(connection, activity_id)):
            raise EditError("id_bestaat", id=activity_id)
        _baseline(connection, activity_id)
        number = latest_number(connection, activity_id)
        if new and number:
            raise EditError("id_bestaat", id=activity_id)
        if not new and number != (based_on or 0):
            raise EditConflict()
        # Earlier open concepts are superseded by this one.
        connection.execute(
            update(VERSION)
            .where(VERSION.c.activity_id == activity_id, VERSION.c.status.in_(OPEN_STATUSES))
            .values(status="vervangen")
        )
        _add_version(connection, activity_id, number + 1, "concept", to_json(record), author)
        return SaveResult(nummer=number + 1)


def _open_version(connection, activity_id, number, status):
    row = connection.execute(
        select(VERSION).where(VERSION.c.activity_id == activity_id, VERSION.c.nummer == number)
    ).first()
    if row is None:
        raise EditError("niet_gevonden")
    if row.status != status:
        raise EditError("niet_ter_controle") if status == "ter_controle" else EditConflict()
    return row


def submit(engine: Engine, activity_id: str, number: int, author: str) -> None:
    """concept -> ter controle."""
    with engine.begin() as connection:
        _open_version(connection, activity_id, number, "concept")
        connection.execute(
            update(VERSION)
            .where(VERSION.c.activity_id == activity_id, VERSION.c.nummer == number)
            .values(status="ter_controle")
        )


def _write_published(connection: Connection, record: dict, number: int, now: dt.datetime, owner=None):
    """Put a clean record into the activity row and its child rows (what residents see)."""
    existing = connection.execute(
        select(ACTIVITY.c.source, ACTIVITY.c.eigenaar).where(ACTIVITY.c.id == record["id"])
    ).first()
    row = activity_row(record, existing.source if existing else EDITOR_SOURCE, now)
    row["versie"] = number
    if owner is not None:
        row["eigenaar"] = owner
    for table in CHILD_TABLES:
        connection.execute(delete(table).where(table.c.activity_id == record["id"]))
    if existing:
        connection.execute(update(ACTIVITY).where(ACTIVITY.c.id == record["id"]).values(row))
    else:
        connection.execute(insert(ACTIVITY).values(row))
    for table, rows in child_rows(record).items():
        if rows:
            connection.execute(insert(table), rows)


def publish(engine: Engine, activity_id: str, number: int, reviewer: str) -> None:
    """ter controle -> gepubliceerd, by an eindredacteur who is not the author (four eyes).

    The record is validated again (the vocabularies may have changed since)."""
    with engine.begin() as connection:
        row = _open_version(connection, activity_id, number, "ter_controle")
        if row.auteur == reviewer:
            raise EditError("vier_ogen")
        record, problems = validate_record(connection, from_json(row.record))
        if problems:
            raise EditError("niet_ter_controle")
        now = _now()
        connection.execute(
            update(VERSION)
            .where(VERSION.c.activity_id == activity_id, VERSION.c.status == "gepubliceerd")
            .values(status="vervangen")
        )
        _write_published(connection, record, number, now)
        connection.execute(
            update(VERSION)
            .where(VERSION.c.activity_id == activity_id, VERSION.c.nummer == number)
            .values(status="gepubliceerd", beoordeeld_door=reviewer, beoordeeld_op=now)
        )


def send_back(engine: Engine, activity_id: str, number: int, reviewer: str, note: str) -> None:
    """ter controle -> concept again, with a note for the author."""
    with engine.begin() as connection:
        _open_version(connection, activity_id, number, "ter_controle")
        connection.execute(
            update(VERSION)
            .where(VERSION.c.activity_id == activity_id, VERSION.c.nummer == number)
            .values(status="concept", beoordeeld_door=reviewer, beoordeeld_op=_now(), notitie=note[:2000])
        )


def revert(engine: Engine, activity_id: str, to_number: int, author: str, based_on: int) -> int:
    """A new concept version with the content of version ``to_number`` (nothing is deleted)."""
    with engine.begin() as connection:
        old = connection.execute(
            select(VERSION.c.record).where(VERSION.c.activity_id == activity_id, VERSION.c.nummer == to_number)
        ).first()
        if old is None:
            raise EditError("niet_gevonden")
        number = latest_number(connection, activity_id)
        if number != based_on:
            raise EditConflict()
        connection.execute(
            update(VERSION)
            .where(VERSION.c.activity_id == activity_id, VERSION.c.status.in_(OPEN_STATUSES))
            .values(status="vervangen")
        )
        note = message("redactie_versies.terug_naar", nummer=to_number)
        return _add_version(connection, activity_id, number + 1, "concept", old.record, author, note)


def archive(engine: Engine, activity_id: str, reason: str, author: str, based_on: int) -> None:
    """Take an activity away from residents (status beeindigd) with a reason; a version too."""
    reason = (reason or "").strip()
    if not reason:
        raise EditError("reden_nodig")
    with engine.begin() as connection:
        record = published_record(connection, activity_id)
        if record is None:
            raise EditError("niet_gevonden")
        if record["status"] == "beeindigd":
            raise EditError("al_gearchiveerd")
        _baseline(connection, activity_id)
        number = latest_number(connection, activity_id)
        if number != based_on:
            raise EditConflict()
        now = _now()
        record["status"] = "beeindigd"
        _write_published(connection, record, number + 1, now)
        connection.execute(
            update(ACTIVITY)
            .where(ACTIVITY.c.id == activity_id)
            .values(archief_reden=reason[:2000], gearchiveerd_op=now)
        )
        _add_version(connection, activity_id, number + 1, "gearchiveerd", to_json(record), author, reason[:2000])


def verify(engine: Engine, activity_id: str, by: str, today: dt.date | None = None) -> None:
    """'Gecontroleerd, klopt nog': sets the verification date of the published entry."""
    today = today or dt.date.today()
    with engine.begin() as connection:
        found = connection.execute(
            update(ACTIVITY)
            .where(ACTIVITY.c.id == activity_id)
            .values(laatst_gecontroleerd_op=today, laatst_gecontroleerd_door=by[:200], laatst_gewijzigd_op=_now())
        )
        if not found.rowcount:
            raise EditError("niet_gevonden")


def set_owner(engine: Engine, activity_id: str, owner: str | None) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(ACTIVITY).where(ACTIVITY.c.id == activity_id).values(eigenaar=(owner or None))
        )


def history(connection: Connection, activity_id: str) -> list[dict]:
    """Every version, newest first, each with its diff against the version before it."""
    rows = connection.execute(
        select(VERSION).where(VERSION.c.activity_id == activity_id).order_by(VERSION.c.nummer)
    ).mappings().all()
    result, previous = [], None
    for row in rows:
        record = from_json(row["record"])
        # The first version has nothing to compare with: no diff of every field.
        result.append({**row, "wijzigingen": diff(previous, record) if previous is not None else []})
        previous = record
    return list(reversed(result))


def flatten(record: dict | None, prefix: str = "") -> dict[str, object]:
    """{'kosten.gratis': True, 'themas': 'a, b', 'locaties.1.straat': ...}: a readable diff key."""
    flat: dict[str, object] = {}
    for key, value in (record or {}).items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value, start=1):
                flat.update(flatten(item, f"{path}.{index}."))
        elif isinstance(value, list):
            flat[path] = ", ".join(str(v) for v in value)
        else:
            flat[path] = value
    return flat


def diff(old: dict | None, new: dict | None) -> list[tuple[str, object, object]]:
    """(field, old value, new value) for every field that differs."""
    before, after = flatten(old), flatten(new)
    keys = list(dict.fromkeys([*before, *after]))
    return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]


def pending_review(connection: Connection) -> list[dict]:
    """Versions waiting for an eindredacteur."""
    rows = connection.execute(
        select(VERSION.c.activity_id, VERSION.c.nummer, VERSION.c.auteur, VERSION.c.gemaakt_op, VERSION.c.record)
        .where(VERSION.c.status == "ter_controle")
        .order_by(VERSION.c.gemaakt_op)
    ).mappings()
    return [{**row, "naam": from_json(row["record"]).get("naam")} for row in rows]


def unpublished_new(connection: Connection) -> list[dict]:
    """Open concepts of activities that were never published (no activity row yet)."""
    rows = connection.execute(
        select(VERSION.c.activity_id, VERSION.c.nummer, VERSION.c.status, VERSION.c.record)
        .where(VERSION.c.status.in_(OPEN_STATUSES), VERSION.c.activity_id.not_in(select(ACTIVITY.c.id)))
        .order_by(VERSION.c.activity_id)
    ).mappings()
    return [{**row, "naam": from_json(row["record"]).get("naam")} for row in rows]


def stale(connection: Connection, days: int, today: dt.date | None = None) -> list[dict]:
    """Published, not ended entries not verified for ``days`` days (or never), per owner."""
    today = today or dt.date.today()
    limit = today - dt.timedelta(days=days)
    rows = connection.execute(
        select(ACTIVITY.c.id, ACTIVITY.c.naam, ACTIVITY.c.eigenaar, ACTIVITY.c.laatst_gecontroleerd_op)
        .where(
            ACTIVITY.c.status != "beeindigd",
            (ACTIVITY.c.laatst_gecontroleerd_op.is_(None)) | (ACTIVITY.c.laatst_gecontroleerd_op < limit),
        )
        .order_by(ACTIVITY.c.eigenaar, ACTIVITY.c.laatst_gecontroleerd_op)
    ).mappings()
    return [dict(row) for row in rows]


@dataclass
class ImportChange:
    activity_id: str
    kind: str  # nieuw | gewijzigd | beeindigd
    naam: str
    wijzigingen: list
    record: dict = field(default_factory=dict)


def import_with_versions(engine: Engine, documents, author: str, dry_run: bool = True):
    """An upload: validate, write in one transaction and a published version per new,
    changed or ended entry; ``dry_run`` shows what would change and rolls back.
    Returns (ImportReport, [ImportChange]). Invalid input: the problems, nothing written."""
    from sociale_kaart import importer

    with importer._without_cyclic_gc():
        known = importer._known_organisation_ids(engine)
        validation = validate_documents(documents, known)
        if not validation.ok:
            return importer.ImportReport(problems=validation.problems), []
        sources = {s.source for s in validation.sources}
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                touched = {r["id"] for s in validation.sources for r in s.activities}
                touched |= set(connection.execute(select(ACTIVITY.c.id).where(ACTIVITY.c.source.in_(sources))).scalars())
                before = {r["id"]: r for r, _ in load_activity_records(connection, ids=sorted(touched))}
                report = importer._write(connection, validation, _now())
                after = {r["id"]: r for r, _ in load_activity_records(connection, ids=sorted(touched))}
                changes = []
                for key, record in after.items():
                    old = before.get(key)
                    if old == record:
                        continue
                    if old is None:
                        kind = "nieuw"
                    elif record["status"] == "beeindigd" and old["status"] != "beeindigd":
                        kind = "beeindigd"
                    else:
                        kind = "gewijzigd"
                    changes.append(ImportChange(key, kind, record["naam"], diff(old, record), record))
                    if not dry_run:
                        _record_imported_version(connection, key, old, record, author)
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
            return report, changes


def _record_imported_version(connection: Connection, key: str, old: dict | None, record: dict, author: str):
    has_versions = connection.execute(select(VERSION.c.id).where(VERSION.c.activity_id == key).limit(1)).first()
    if has_versions is None and old is not None:
        _add_version(connection, key, 0, "vervangen", to_json(old), IMPORT_AUTHOR)
    number = latest_number(connection, key) + 1
    connection.execute(
        update(VERSION).where(VERSION.c.activity_id == key, VERSION.c.status == "gepubliceerd").values(status="vervangen")
    )
    _add_version(connection, key, number, "gepubliceerd", to_json(record), author, message("redactie_versies.import"))
    connection.execute(update(ACTIVITY).where(ACTIVITY.c.id == key).values(versie=number))
