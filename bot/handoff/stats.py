"""Anonymous statistics for team leads: counts and durations, no personal data.

Only reads columns that hold no personal data (dates, gemeente, theme codes,
status, outcome). A request with two themes counts once under each theme in
the weekly table; all other figures count requests.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import select

from bot.handoff.casework import CLOSED, OUTCOME_SUCCES, is_overdue
from bot.handoff.models import HandoffRequest, utcnow

NO_THEME = "geen thema"


@dataclass(frozen=True)
class WeekRow:
    week: str  # ISO week, e.g. "2026-W47"
    gemeente: str
    thema: str
    aantal: int


@dataclass(frozen=True)
class TeamStatistics:
    weekly: list[WeekRow]
    total: int
    successful: int
    median_days_to_first_contact: float | None
    open: int
    overdue: int


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def team_statistics(session, team_id: int | None, now: datetime | None = None) -> TeamStatistics:
    """Figures for one team (team_id) or, with None, for all teams."""
    now = now or utcnow()
    query = select(HandoffRequest)
    if team_id is not None:
        query = query.where(HandoffRequest.team_id == team_id)
    requests = list(session.execute(query).scalars())

    weekly = Counter()
    for request in requests:
        for theme in request.themes or [NO_THEME]:
            weekly[(iso_week(request.created_at), request.gemeente_naam or "onbekend", theme)] += 1
    rows = sorted((WeekRow(*key, count) for key, count in weekly.items()),
                  key=lambda row: (row.gemeente, row.thema))
    rows.sort(key=lambda row: row.week, reverse=True)  # newest week first

    waits = [(r.first_contact_at - r.created_at).total_seconds() / 86400
             for r in requests if r.first_contact_at is not None]
    return TeamStatistics(
        weekly=rows,
        total=len(requests),
        successful=sum(1 for r in requests if r.outcome == OUTCOME_SUCCES),
        median_days_to_first_contact=round(median(waits), 1) if waits else None,
        open=sum(1 for r in requests if r.status not in CLOSED),
        overdue=sum(1 for r in requests if is_overdue(r, now)),
    )
