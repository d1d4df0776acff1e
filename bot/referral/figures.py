"""Anonymous figures of the referral loop for teams and regions.

Reads only columns without personal data (dates, gemeente, theme codes, source,
referring organisation's kind, status, outcome). Counts of 1 to 4 are shown as
"<5" (small numbers could point to a person); 0 stays 0. Who sees what:
a teamleider the team(s) of their role, a regiocoordinator every request from
a gemeente of their region, a beheerder everything (`scope_for`).
Targets: bot/referral/targets.yml (source: the seeds).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from statistics import median

import yaml
from sqlalchemy import select

from bot import accounts
from bot.handoff.casework import is_overdue
from bot.handoff.models import HandoffRequest, ReferrerOrganisation, Team, utcnow
from bot.referral.outcomes import OUTCOME_SUCCES, OUTCOMES

TARGETS_FILE = Path(__file__).resolve().parent / "targets.yml"
SMALL = 5
SOURCE_GROUPS = ("chat", "huisarts", "ander")  # chat, huisarts (incl. POH-GGZ), other referrers
GP_KINDS = {"huisartsenpraktijk", "poh_ggz"}


def shown(count: int) -> str:
    """A count as shown: "<5" for 1..4."""
    return "<5" if 0 < count < SMALL else str(count)


@lru_cache(maxsize=1)
def targets() -> dict:
    with open(TARGETS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class Scope:
    label: str
    team_ids: tuple[int, ...] | None = None  # None: no team filter
    gemeente_codes: tuple[str, ...] | None = None  # None: no gemeente filter
    regions: tuple[str, ...] = ()


def scope_for(db, user) -> Scope | None:
    """What this user may see, or None (no figures role)."""
    from sociale_kaart.taxonomy import load_taxonomy

    if accounts.has_role(db, user, "beheerder", accounts.SCOPE_ALL):
        return Scope("alle teams", regions=load_taxonomy().regions)
    regions = sorted(accounts.scopes(db, user, "regiocoordinator", accounts.SCOPE_REGION))
    if regions:
        taxonomy = load_taxonomy()
        codes = tuple(m.code for r in regions for m in taxonomy.municipalities_in_region(r))
        return Scope("regio " + ", ".join(regions), gemeente_codes=codes, regions=tuple(regions))
    team_codes = sorted(accounts.scopes(db, user, "teamleider", accounts.SCOPE_TEAM))
    if team_codes:
        teams = list(db.execute(select(Team).where(Team.code.in_(team_codes))).scalars())
        return Scope(
            "team " + ", ".join(t.naam for t in teams) if teams else "team",
            team_ids=tuple(t.id for t in teams),
        )
    return None


@dataclass
class Figures:
    scope: Scope
    total: int = 0
    by_week_source: dict[str, Counter] = field(default_factory=dict)  # week -> source group -> n
    by_gemeente: Counter = field(default_factory=Counter)
    by_theme: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    successful_by_region_year: Counter = field(default_factory=Counter)
    median_days_to_first_contact: float | None = None
    overdue: int = 0
    open: int = 0


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def compute(db, scope: Scope, now: datetime | None = None) -> Figures:
    from sociale_kaart.taxonomy import load_taxonomy

    now = now or utcnow()
    query = select(HandoffRequest)
    if scope.team_ids is not None:
        query = query.where(HandoffRequest.team_id.in_(scope.team_ids or (-1,)))
    if scope.gemeente_codes is not None:
        query = query.where(HandoffRequest.gemeente_code.in_(scope.gemeente_codes or ("-",)))
    requests = list(db.execute(query).scalars())
    kinds = dict(db.execute(select(ReferrerOrganisation.code, ReferrerOrganisation.soort)).all())
    municipalities = load_taxonomy().municipalities
    result = Figures(scope=scope, total=len(requests))
    waits = []
    for r in requests:
        if (r.source or "chat") == "chat":
            group = "chat"
        else:
            group = "huisarts" if kinds.get(r.referrer_org_code) in GP_KINDS else "ander"
        result.by_week_source.setdefault(iso_week(r.created_at), Counter())[group] += 1
        result.by_gemeente[r.gemeente_naam or "onbekend"] += 1
        for theme in r.themes or ["geen thema"]:
            result.by_theme[theme] += 1
        result.outcomes[r.outcome or "nog geen uitkomst"] += 1
        if r.outcome == OUTCOME_SUCCES:
            municipality = municipalities.get(r.gemeente_code or "")
            if municipality is not None:
                year = (r.first_contact_at or r.created_at).year
                result.successful_by_region_year[(municipality.regio, year)] += 1
        if r.first_contact_at is not None:
            waits.append((r.first_contact_at - r.created_at).total_seconds() / 86400)
        if is_overdue(r, now):
            result.overdue += 1
        if r.closed_at is None:
            result.open += 1
    result.median_days_to_first_contact = round(median(waits), 1) if waits else None
    return result


def target_rows(figures: Figures) -> list[dict]:
    rows = []
    for region, years in (targets().get("doelen") or {}).items():
        if region not in figures.scope.regions:
            continue
        for year, goal in sorted(years.items()):
            done = figures.successful_by_region_year[(region, int(year))]
            rows.append(
                {
                    "regio": region,
                    "jaar": int(year),
                    "doel": int(goal),
                    "behaald": shown(done),
                    "procent": f"{100 * done / goal:.1f}%" if done >= SMALL else "<5 verwijzingen",
                }
            )
    return rows


def outcome_rows(figures: Figures) -> list[tuple[str, str]]:
    order = [*OUTCOMES, "nog geen uitkomst"]
    return [(o, shown(figures.outcomes[o])) for o in order]


def week_rows(figures: Figures, weeks: int = 12) -> list[dict]:
    rows = []
    for week in sorted(figures.by_week_source, reverse=True)[:weeks]:
        counts = figures.by_week_source[week]
        rows.append(
            {
                "week": week,
                **{g: shown(counts[g]) for g in SOURCE_GROUPS},
                "_raw": {g: counts[g] for g in SOURCE_GROUPS},
            }
        )
    return rows


def bar_chart_svg(rows: list[dict], title: str) -> str:
    """A server-rendered stacked bar chart (no script, no CDN) of referrals per week by source.
    Bars of suppressed counts (<5) are drawn at the height of 5 with a hatched look and the text "<5"."""
    colours = {"chat": "#0b4f6c", "huisarts": "#8a5a00", "ander": "#2e7d32"}
    rows = list(reversed(rows))
    width, height, pad, bar = 640, 260, 40, 28
    values = [sum(max(v, SMALL) if v else 0 for v in r["_raw"].values()) for r in rows] or [0]
    top = max(max(values), SMALL)
    step = (width - 2 * pad) / max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="grafiek-titel" class="grafiek">',
        f'<title id="grafiek-titel">{_esc(title)}</title>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#1b1b1b"/>',
    ]
    for i, row in enumerate(rows):
        x = pad + i * step + (step - bar) / 2
        y = height - pad
        for group in SOURCE_GROUPS:
            raw = row["_raw"][group]
            if not raw:
                continue
            h = (max(raw, SMALL) / top) * (height - 2 * pad)
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar}" height="{h:.1f}" fill="{colours[group]}">'
                f"<title>{_esc(row['week'])}, {group}: {_esc(shown(raw))}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - pad + 14}" font-size="9" text-anchor="middle">'
            f"{_esc(row['week'][5:])}</text>"
        )
    for j, group in enumerate(SOURCE_GROUPS):
        parts.append(
            f'<rect x="{pad + j * 110}" y="6" width="12" height="12" fill="{colours[group]}"/>'
            f'<text x="{pad + j * 110 + 16}" y="16" font-size="12">{group}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def to_csv(figures: Figures) -> str:
    """All tables of the page in one CSV (with "<5" suppression)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["tabel", "sleutel", "bron", "aantal"])
    for row in week_rows(figures, weeks=10_000):
        for group in SOURCE_GROUPS:
            writer.writerow(["per week", row["week"], group, row[group]])
    for name, count in sorted(figures.by_gemeente.items()):
        writer.writerow(["per gemeente", name, "", shown(count)])
    for name, count in sorted(figures.by_theme.items()):
        writer.writerow(["per thema", name, "", shown(count)])
    for name, count in outcome_rows(figures):
        writer.writerow(["uitkomst", name, "", count])
    for row in target_rows(figures):
        writer.writerow(
            [
                "doel succesvol doorverwezen",
                f"{row['regio']} {row['jaar']}",
                f"doel {row['doel']}",
                row["behaald"],
            ]
        )
    writer.writerow(["te laat", "", "", shown(figures.overdue)])
    writer.writerow(["mediaan dagen tot eerste contact", "", "", figures.median_days_to_first_contact or ""])
    return out.getvalue()
