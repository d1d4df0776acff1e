"""Anonymous statistics computed from a real SQLite database."""
from datetime import datetime, timedelta

from coach_testdata import add_request, add_team, make_settings

from bot.handoff.db import session_scope
from bot.handoff.stats import WeekRow, iso_week, team_statistics

MONDAY = datetime(2026, 11, 16, 9, 0)  # ISO week 2026-W47


def test_figures_per_team(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    other = add_team(settings, code="meerwaarde", naam="MeerWaarde")
    now = MONDAY + timedelta(days=30)
    add_request(settings, team, created=MONDAY, themes=("eenzaamheid", "geldzorgen"), status="in contact",
                first_contact=MONDAY + timedelta(days=2), outcome="succesvol doorverwezen")
    add_request(settings, team, created=MONDAY + timedelta(days=1), themes=("eenzaamheid",),
                status="afgerond",
                first_contact=MONDAY + timedelta(days=2), outcome="succesvol doorverwezen",
                closed=MONDAY + timedelta(days=9))
    add_request(settings, team, created=MONDAY + timedelta(days=7), gemeente=("GM1942", "Gooise Meren"),
                themes=(), status="opgepakt")  # no contact after 23 days: overdue
    add_request(settings, team, created=now - timedelta(days=3), status="nieuw")  # open, not yet overdue
    add_request(settings, team, created=MONDAY, status="niet bereikt", outcome="niet bereikt",
                closed=MONDAY + timedelta(days=14))
    add_request(settings, other, created=MONDAY, status="nieuw")

    with session_scope(settings.database_url) as db:
        stats = team_statistics(db, team, now=now)
        everyone = team_statistics(db, None, now=now)

    assert stats.total == 5 and everyone.total == 6
    assert stats.successful == 2
    assert stats.median_days_to_first_contact == 1.5  # 2 days and 1 day
    assert stats.open == 3  # in contact, opgepakt, nieuw
    assert stats.overdue == 1
    assert WeekRow("2026-W47", "Hilversum", "eenzaamheid", 3) in stats.weekly
    assert WeekRow("2026-W47", "Hilversum", "geldzorgen", 1) in stats.weekly
    assert WeekRow("2026-W48", "Gooise Meren", "geen thema", 1) in stats.weekly
    assert stats.weekly[0].week >= stats.weekly[-1].week  # newest week first
    assert everyone.overdue == 2


def test_empty_team_has_no_median(tmp_path, monkeypatch):
    settings = make_settings(tmp_path, monkeypatch)
    team = add_team(settings)
    with session_scope(settings.database_url) as db:
        stats = team_statistics(db, team)
    assert (stats.total, stats.successful, stats.weekly) == (0, 0, [])
    assert stats.median_days_to_first_contact is None


def test_iso_week_crosses_the_year():
    assert iso_week(datetime(2027, 1, 1)) == "2026-W53"
