"""Editors' overviews: entries not verified for a while, and coverage per municipality and category."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection

from sociale_kaart import models
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy

ACTIVITY = models.Activity.__table__
ORGANISATION = models.Organisation.__table__


@dataclass(frozen=True)
class StaleEntry:
    id: str
    naam: str
    laatst_gecontroleerd_op: dt.date | None


def stale_by_organisation(
    connection: Connection, days: int, today: dt.date | None = None
) -> dict[str, list[StaleEntry]]:
    """Activities not ended and not verified in the last ``days`` days, by organisation name."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=days)
    query = (
        select(ORGANISATION.c.naam, ACTIVITY.c.id, ACTIVITY.c.naam, ACTIVITY.c.laatst_gecontroleerd_op)
        .join(ORGANISATION, ORGANISATION.c.id == ACTIVITY.c.organisation_id)
        .where(ACTIVITY.c.status != "beeindigd")
        .where(or_(ACTIVITY.c.laatst_gecontroleerd_op.is_(None), ACTIVITY.c.laatst_gecontroleerd_op < cutoff))
        .order_by(ORGANISATION.c.naam, ACTIVITY.c.laatst_gecontroleerd_op, ACTIVITY.c.id)
    )
    grouped: dict[str, list[StaleEntry]] = defaultdict(list)
    for organisation, key, naam, verified in connection.execute(query):
        grouped[organisation].append(StaleEntry(key, naam, verified))
    return dict(grouped)


@dataclass(frozen=True)
class Coverage:
    counts: dict[str, Counter]  # gemeente code -> Counter(category code -> active activities available there)
    totals: dict[str, int]  # gemeente code -> active activities available there
    gaps: dict[str, list[str]]  # gemeente code -> category codes with nothing


def coverage(connection: Connection, taxonomy: Taxonomy | None = None) -> Coverage:
    """Active activities a resident of each municipality can use: its own, its region's, and online ones."""
    taxonomy = taxonomy or load_taxonomy()
    active = {
        row.id: row
        for row in connection.execute(
            select(ACTIVITY.c.id, ACTIVITY.c.scope, ACTIVITY.c.regio).where(ACTIVITY.c.status == "actief")
        )
    }
    categories = defaultdict(list)
    link = models.ActivityCategory.__table__
    for key, code in connection.execute(select(link.c.activity_id, link.c.category_code)):
        if key in active:
            categories[key].append(code)
    places = defaultdict(list)
    link = models.ActivityMunicipality.__table__
    for key, code in connection.execute(select(link.c.activity_id, link.c.municipality_code)):
        if key in active:
            places[key].append(code)
    reach: dict[str, set[str]] = {code: set() for code in taxonomy.municipalities}
    for key, row in active.items():
        if row.scope == "online":
            targets = list(taxonomy.municipalities)
        elif row.scope == "regio":
            targets = [m.code for m in taxonomy.municipalities_in_region(row.regio)]
        else:
            targets = places[key]
        for code in targets:
            reach.setdefault(code, set()).add(key)
    counts = {code: Counter(c for key in keys for c in categories[key]) for code, keys in reach.items()}
    gaps = {
        code: [c for c in taxonomy.categories if counts[code][c] == 0] for code in taxonomy.municipalities
    }
    return Coverage(
        counts,
        {code: len(keys) for code, keys in reach.items()},
        {code: cats for code, cats in gaps.items() if cats},
    )
