"""Unmet demand ("welk aanbod mist?"): counts only, never text.

- `record_search` adds one to the count of (week, theme, gemeente, outcome) when a
  resident's search is answered (actions/matching.py, first page only). The outcome is
  `lokaal` (something in the gemeente itself), `alleen_elders` (only region-wide or
  online activities) or `geen` (nothing). No sender, no time of day, no search words.
- `demand_report` reads the counts back per theme x gemeente (and per week).
- `catalogue_gaps` counts published activities per gemeente x category by where they
  are offered (in the gemeente, region-wide, online): a 0 in the gemeente is a gap.
- `demand_csv` / `gaps_csv` are the downloads of /redactie/vraag.

No Rasa or bot import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sociale_kaart import models
from sociale_kaart.published import published
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy

COUNT = models.UnmetDemandCount.__table__
_A = models.Activity.__table__
_AM = models.ActivityMunicipality.__table__
_AC = models.ActivityCategory.__table__
OUTCOMES = ("lokaal", "alleen_elders", "geen")
NO_THEME = ""


def week_of(day: dt.date) -> dt.date:
    """The Monday of the ISO week of `day`."""
    return day - dt.timedelta(days=day.weekday())


def outcome_of(scopes) -> str:
    """The outcome of a search from the scopes of what it showed (gemeente | regio | online)."""
    scopes = list(scopes)
    if not scopes:
        return "geen"
    return "lokaal" if "gemeente" in scopes else "alleen_elders"


def record_search(
    engine: Engine,
    gemeente_code: str,
    theme_code: str | None,
    outcome: str,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> None:
    """Count one search. Only codes of the vocabularies are accepted (no free text can
    slip in): an unknown gemeente, theme or outcome raises ValueError."""
    taxonomy = taxonomy or load_taxonomy()
    theme = theme_code or NO_THEME
    if gemeente_code not in taxonomy.municipalities:
        raise ValueError("unknown gemeente code")
    if theme != NO_THEME and theme not in taxonomy.themes:
        raise ValueError("unknown theme code")
    if outcome not in OUTCOMES:
        raise ValueError("unknown outcome")
    key = {
        "week": week_of(today or dt.date.today()),
        "theme_code": theme,
        "municipality_code": gemeente_code,
        "uitkomst": outcome,
    }
    where = [COUNT.c[name] == value for name, value in key.items()]
    for _ in range(3):  # another process may insert the same key between update and insert
        try:
            with engine.begin() as connection:
                changed = connection.execute(
                    update(COUNT).where(*where).values(aantal=COUNT.c.aantal + 1)
                ).rowcount
                if not changed:
                    connection.execute(COUNT.insert().values(**key, aantal=1))
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not count the search")


@dataclass
class DemandRow:
    theme_code: str
    municipality_code: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def not_local(self) -> int:
        return self.counts["alleen_elders"] + self.counts["geen"]


@dataclass
class DemandReport:
    since: dt.date
    until: dt.date
    rows: list[DemandRow]  # theme x gemeente, the most unmet first
    weeks: list[tuple[dt.date, dict[str, int]]]  # every week of the period, oldest first

    @property
    def totals(self) -> dict[str, int]:
        out = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            for outcome, count in row.counts.items():
                out[outcome] += count
        return out


def demand_report(
    connection: Connection,
    weeks: int = 12,
    regio: str | None = None,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> DemandReport:
    """The counts of the last `weeks` weeks (this week included), optionally of one region."""
    taxonomy = taxonomy or load_taxonomy()
    until = week_of(today or dt.date.today())
    since = until - dt.timedelta(weeks=max(1, weeks) - 1)
    query = select(COUNT).where(COUNT.c.week >= since, COUNT.c.week <= until)
    if regio:
        query = query.where(
            COUNT.c.municipality_code.in_([m.code for m in taxonomy.municipalities_in_region(regio)])
        )
    by_key: dict[tuple[str, str], DemandRow] = {}
    by_week: dict[dt.date, dict[str, int]] = {}
    day = since
    while day <= until:
        by_week[day] = dict.fromkeys(OUTCOMES, 0)
        day += dt.timedelta(weeks=1)
    for row in connection.execute(query).mappings():
        key = (row["theme_code"], row["municipality_code"])
        entry = by_key.setdefault(key, DemandRow(*key))
        entry.counts[row["uitkomst"]] = entry.counts.get(row["uitkomst"], 0) + row["aantal"]
        week = row["week"]
        if week in by_week:
            by_week[week][row["uitkomst"]] += row["aantal"]
    rows = sorted(
        by_key.values(),
        key=lambda r: (-r.not_local, -r.counts["geen"], -r.total, r.theme_code, r.municipality_code),
    )
    return DemandReport(since, until, rows, sorted(by_week.items()))


@dataclass
class GapCell:
    lokaal: int = 0
    regio: int = 0
    online: int = 0

    @property
    def gap(self) -> bool:
        return self.lokaal == 0


def catalogue_gaps(
    connection: Connection,
    regio: str | None = None,
    today: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> dict[str, dict[str, GapCell]]:
    """gemeente code -> category code -> published activities a resident there can use,
    by where they are offered. Only published entries (not ended, not past their end date)."""
    taxonomy = taxonomy or load_taxonomy()
    municipalities = [m for m in taxonomy.municipalities.values() if not regio or m.regio == regio]
    cells = {m.code: {c: GapCell() for c in taxonomy.categories} for m in municipalities}
    active = {
        row.id: row
        for row in connection.execute(select(_A.c.id, _A.c.scope, _A.c.regio).where(published(today)))
    }
    categories: dict[str, list[str]] = defaultdict(list)
    for key, code in connection.execute(select(_AC.c.activity_id, _AC.c.category_code)):
        if key in active:
            categories[key].append(code)
    places: dict[str, list[str]] = defaultdict(list)
    for key, code in connection.execute(select(_AM.c.activity_id, _AM.c.municipality_code)):
        if key in active:
            places[key].append(code)
    for key, row in active.items():
        if row.scope == "online":
            targets, kind = list(cells), "online"
        elif row.scope == "regio":
            targets, kind = [m.code for m in municipalities if m.regio == row.regio], "regio"
        else:
            targets, kind = [code for code in places[key] if code in cells], "lokaal"
        for code in targets:
            for category in categories[key]:
                if category in cells[code]:
                    cell = cells[code][category]
                    setattr(cell, kind, getattr(cell, kind) + 1)
    return cells


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def demand_csv(report: DemandReport, taxonomy: Taxonomy | None = None) -> str:
    taxonomy = taxonomy or load_taxonomy()
    header = [
        "thema",
        "thema_naam",
        "gemeente",
        "gemeente_naam",
        *OUTCOMES,
        "totaal",
        "van",
        "tot_en_met_week",
    ]
    rows = []
    for row in report.rows:
        theme = taxonomy.themes.get(row.theme_code)
        rows.append(
            [
                row.theme_code,
                theme.label if theme else "",
                row.municipality_code,
                taxonomy.municipalities[row.municipality_code].naam
                if row.municipality_code in taxonomy.municipalities
                else "",
                *(row.counts[o] for o in OUTCOMES),
                row.total,
                report.since.isoformat(),
                report.until.isoformat(),
            ]
        )
    return _csv(header, rows)


def gaps_csv(cells: dict[str, dict[str, GapCell]], taxonomy: Taxonomy | None = None) -> str:
    taxonomy = taxonomy or load_taxonomy()
    header = [
        "gemeente",
        "gemeente_naam",
        "categorie",
        "categorie_naam",
        "in_gemeente",
        "regio",
        "online",
        "gat",
    ]
    rows = []
    for code, by_category in cells.items():
        for category, cell in by_category.items():
            rows.append(
                [
                    code,
                    taxonomy.municipalities[code].naam,
                    category,
                    taxonomy.categories[category].label,
                    cell.lokaal,
                    cell.regio,
                    cell.online,
                    "ja" if cell.gap else "nee",
                ]
            )
    return _csv(header, rows)
