"""Convert between clean activity records (see validation.py) and table rows, both ways."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.engine import Connection

from sociale_kaart import models

ACTIVITY = models.Activity.__table__
ORGANISATION = models.Organisation.__table__
SOURCE = models.CatalogueSource.__table__
# child table, its value column(s), and how a record lists them
LINK_TABLES = (
    (models.ActivityCategory.__table__, "category_code", lambda r: r["categorieen"]),
    (models.ActivityTheme.__table__, "theme_code", lambda r: r["themas"]),
    (
        models.ActivityMunicipality.__table__,
        "municipality_code",
        lambda r: (r["aanbod_in"] or {}).get("gemeenten") or [],
    ),
    (models.ActivityGroup.__table__, "groep", lambda r: r["doelgroep"]["groepen"]),
    (models.ActivityLanguage.__table__, "taal", lambda r: r["talen"]),
)
LOCATION = models.Location.__table__
RULE = models.ScheduleRule.__table__
CHILD_TABLES = tuple(table for table, _, _ in LINK_TABLES) + (LOCATION, RULE)


def record_hash(record: dict) -> str:
    # Clean records always have the same keys in the same order, so repr() is a stable text
    # (and much cheaper than a sorted JSON dump).
    return hashlib.sha256(repr(record).encode("utf-8")).hexdigest()


def activity_row(record: dict, source: str, now) -> dict:
    offered = record["aanbod_in"] or {}
    cost = record["kosten"]
    return {
        "id": record["id"],
        "organisation_id": record["organisatie"],
        "naam": record["naam"],
        "beschrijving": record["beschrijving"],
        "scope": "online" if offered.get("online") else "regio" if offered.get("regio") else "gemeenten",
        "regio": offered.get("regio"),
        "rooster_omschrijving": record["rooster"]["omschrijving"],
        "kosten_gratis": cost["gratis"],
        "kosten_bedrag_cent": round(cost["bedrag"] * 100) if cost["bedrag"] is not None else None,
        "kosten_per": cost["per"],
        "kosten_omschrijving": cost["omschrijving"],
        "leeftijd_min": record["doelgroep"]["leeftijd_min"],
        "leeftijd_max": record["doelgroep"]["leeftijd_max"],
        "toegankelijkheid": record["toegankelijkheid"],
        "aanmelden_wijze": record["aanmelden"]["wijze"],
        "indicatie_nodig": record["aanmelden"]["indicatie_nodig"],
        "eerste_keer_begeleiding": record["eerste_keer_begeleiding"],
        "contact_telefoon": record["contact"]["telefoon"],
        "contact_email": record["contact"]["email"],
        "contact_website": record["contact"]["website"],
        "status": record["status"],
        "geldig_van": record["geldig_van"],
        "geldig_tot": record["geldig_tot"],
        "laatst_gecontroleerd_op": record["laatst_gecontroleerd"]["datum"],
        "laatst_gecontroleerd_door": record["laatst_gecontroleerd"]["door"],
        "laatst_gewijzigd_op": now,
        "source": source,
        "inhoud_hash": record_hash(record),
    }


def child_rows(record: dict) -> dict:
    """Rows for every child table of one activity, keyed by table."""
    rows = {}
    for table, column, values in LINK_TABLES:
        rows[table] = [
            {"activity_id": record["id"], column: value, "position": i}
            for i, value in enumerate(values(record))
        ]
    rows[LOCATION] = [
        {"activity_id": record["id"], "position": i, **loc} for i, loc in enumerate(record["locaties"])
    ]
    rows[RULE] = [
        {"activity_id": record["id"], "position": i, **rule}
        for i, rule in enumerate(record["rooster"]["regels"])
    ]
    return rows


def _grouped(connection: Connection, table, columns, ids=None) -> dict[str, list]:
    grouped = defaultdict(list)
    query = select(table.c.activity_id, *[table.c[c] for c in columns]).order_by(
        table.c.activity_id, table.c.position
    )
    if ids is not None:
        query = query.where(table.c.activity_id.in_(ids))
    for row in connection.execute(query):
        grouped[row[0]].append(row[1:])
    return grouped


def load_activity_records(connection: Connection, where=None, ids=None) -> list[tuple[dict, str]]:
    """All activities (or those matching ``where``, or those with the given ``ids``: a page of
    the API, read without scanning the child tables) as (clean record, source), ordered by id."""
    ids = list(ids) if ids is not None else None
    links = {column: _grouped(connection, table, [column], ids) for table, column, _ in LINK_TABLES}
    location_fields = ("naam", "straat", "postcode", "woonplaats")
    rule_fields = ("freq", "dag", "week", "van", "tot")
    locations = _grouped(connection, LOCATION, location_fields, ids)
    rules = _grouped(connection, RULE, rule_fields, ids)
    query = select(ACTIVITY).order_by(ACTIVITY.c.id)
    if where is not None:
        query = query.where(where)
    if ids is not None:
        query = query.where(ACTIVITY.c.id.in_(ids))
    result = []
    for row in connection.execute(query).mappings():
        key = row["id"]
        if row["scope"] == "online":
            offered = {"online": True}
        elif row["scope"] == "regio":
            offered = {"regio": row["regio"]}
        else:
            offered = {"gemeenten": [v[0] for v in links["municipality_code"][key]]}
        cents = row["kosten_bedrag_cent"]
        record = {
            "id": key,
            "organisatie": row["organisation_id"],
            "naam": row["naam"],
            "beschrijving": row["beschrijving"],
            "categorieen": [v[0] for v in links["category_code"][key]],
            "themas": [v[0] for v in links["theme_code"][key]],
            "aanbod_in": offered,
            "locaties": [dict(zip(location_fields, v, strict=True)) for v in locations[key]],
            "rooster": {
                "omschrijving": row["rooster_omschrijving"],
                "regels": [dict(zip(rule_fields, v, strict=True)) for v in rules[key]],
            },
            "kosten": {
                "gratis": row["kosten_gratis"],
                "bedrag": cents / 100 if cents is not None else None,
                "per": row["kosten_per"],
                "omschrijving": row["kosten_omschrijving"],
            },
            "doelgroep": {
                "leeftijd_min": row["leeftijd_min"],
                "leeftijd_max": row["leeftijd_max"],
                "groepen": [v[0] for v in links["groep"][key]],
            },
            "toegankelijkheid": row["toegankelijkheid"],
            "talen": [v[0] for v in links["taal"][key]],
            "aanmelden": {"wijze": row["aanmelden_wijze"], "indicatie_nodig": row["indicatie_nodig"]},
            "eerste_keer_begeleiding": row["eerste_keer_begeleiding"],
            "contact": {
                "telefoon": row["contact_telefoon"],
                "email": row["contact_email"],
                "website": row["contact_website"],
            },
            "status": row["status"],
            "geldig_van": row["geldig_van"],
            "geldig_tot": row["geldig_tot"],
            "laatst_gecontroleerd": {
                "datum": row["laatst_gecontroleerd_op"],
                "door": row["laatst_gecontroleerd_door"],
            },
        }
        result.append((record, row["source"]))
    return result


def load_organisations(connection: Connection) -> list[dict]:
    query = select(
        ORGANISATION.c.id,
        ORGANISATION.c.naam,
        ORGANISATION.c.beschrijving,
        ORGANISATION.c.website,
        ORGANISATION.c.email,
    ).order_by(ORGANISATION.c.id)
    return [dict(row) for row in connection.execute(query).mappings()]


def load_sources(connection: Connection) -> list[dict]:
    query = select(SOURCE.c.source, SOURCE.c.naam, SOURCE.c.voorbeeldgegevens).order_by(SOURCE.c.source)
    return [dict(row) for row in connection.execute(query).mappings()]


def load_catalogue(connection: Connection) -> dict:
    """The whole catalogue as clean records: ``{catalogus, organisaties, activiteiten}``."""
    sources = load_sources(connection)
    names = list(dict.fromkeys(s["naam"] for s in sources))
    return {
        "catalogus": {
            "naam": ", ".join(names) if names else "Sociale kaart",
            "voorbeeldgegevens": any(s["voorbeeldgegevens"] for s in sources),
        },
        "organisaties": load_organisations(connection),
        "activiteiten": [record for record, _source in load_activity_records(connection)],
    }
