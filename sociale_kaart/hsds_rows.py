"""Reading the catalogue tables for the HSDS API: organisations, full records, modification
times and the one-to-one fields of list items, each in as few queries as a page needs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from sociale_kaart import export_hsds as hsds
from sociale_kaart import models
from sociale_kaart.records import ACTIVITY, ORGANISATION, load_activity_records

# What an HSDS organization is built from (export_hsds.organization).
ORGANISATION_COLUMNS = (
    ORGANISATION.c.id,
    ORGANISATION.c.naam,
    ORGANISATION.c.beschrijving,
    ORGANISATION.c.website,
    ORGANISATION.c.email,
)


def like(column, text: str):
    """``column`` contains ``text`` (case-insensitive; % and _ in the text are literal)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def flat(organization: dict) -> dict:
    """An organization without its lists (as a list item or inside a service shows it)."""
    return {key: value for key, value in organization.items() if not isinstance(value, list)}


def organizations(connection: Connection, slugs=None) -> dict[str, dict]:
    """slug -> HSDS organization, of these organisations (None: of all of them)."""
    statement = select(*ORGANISATION_COLUMNS)
    if slugs is not None:
        statement = statement.where(ORGANISATION.c.id.in_(list(set(slugs))))
    return {row["id"]: hsds.organization(dict(row)) for row in connection.execute(statement).mappings()}


def modified_times(connection: Connection, ids: list[str]) -> dict:
    """slug -> laatst_gewijzigd_op of these activities."""
    return dict(
        connection.execute(
            select(ACTIVITY.c.id, ACTIVITY.c.laatst_gewijzigd_op).where(ACTIVITY.c.id.in_(ids))
        ).all()
    )


def full_records(connection: Connection, ids: list[str]):
    """The records of these activities, their modification times and their organisations."""
    records = [record for record, _source in load_activity_records(connection, ids=ids)]
    modified = modified_times(connection, ids)
    return records, modified, organizations(connection, [r["organisatie"] for r in records])


def list_services(connection: Connection, ids: list[str]) -> dict[str, tuple[dict, str]]:
    """The one-to-one fields of these services (compiled/service_list.json without the
    organization) with their organisation's slug: one query and one for the target groups,
    the same fields as export_hsds.service_fields reads from a full record."""
    a = ACTIVITY.c
    statement = select(
        a.id,
        a.organisation_id,
        a.naam,
        a.beschrijving,
        a.contact_website,
        a.contact_email,
        a.status,
        a.aanmelden_wijze,
        a.indicatie_nodig,
        a.eerste_keer_begeleiding,
        a.kosten_omschrijving,
        a.leeftijd_min,
        a.leeftijd_max,
        a.laatst_gecontroleerd_op,
        a.laatst_gewijzigd_op,
    ).where(a.id.in_(ids))
    groups_table = models.ActivityGroup.__table__
    groups: dict[str, list[str]] = {}
    for slug, group in connection.execute(
        select(groups_table.c.activity_id, groups_table.c.groep)
        .where(groups_table.c.activity_id.in_(ids))
        .order_by(groups_table.c.activity_id, groups_table.c.position)
    ):
        groups.setdefault(slug, []).append(group)
    result = {}
    for row in connection.execute(statement).mappings():
        record = {
            "id": row["id"],
            "organisatie": row["organisation_id"],
            "naam": row["naam"],
            "beschrijving": row["beschrijving"],
            "contact": {"website": row["contact_website"], "email": row["contact_email"]},
            "status": row["status"],
            "aanmelden": {"wijze": row["aanmelden_wijze"], "indicatie_nodig": row["indicatie_nodig"]},
            "eerste_keer_begeleiding": row["eerste_keer_begeleiding"],
            "kosten": {"omschrijving": row["kosten_omschrijving"]},
            "doelgroep": {
                "groepen": groups.get(row["id"], []),
                "leeftijd_min": row["leeftijd_min"],
                "leeftijd_max": row["leeftijd_max"],
            },
            "laatst_gecontroleerd": {"datum": row["laatst_gecontroleerd_op"]},
        }
        result[row["id"]] = (
            hsds.service_fields(record, row["laatst_gewijzigd_op"]),
            row["organisation_id"],
        )
    return result
