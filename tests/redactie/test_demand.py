"""Unmet demand: the counter (sociale_kaart.demand) on a real migrated SQLite database, the
hook in the matching action, the report, the catalogue's gaps and the CSV. Counts only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from kaart_helpers import fresh_engine, good_document
from sqlalchemy import Integer, inspect, select

from sociale_kaart import demand, models
from sociale_kaart.importer import import_paths, import_records

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "actions"))
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def engine(tmp_path):
    engine = fresh_engine(tmp_path)
    yield engine
    engine.dispose()


def rows(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(demand.COUNT)).mappings()]


def test_a_search_is_counted_per_week_theme_gemeente_and_outcome(engine):
    for day in (MONDAY, MONDAY + dt.timedelta(days=6)):  # the same ISO week
        demand.record_search(engine, "GM0402", "eenzaamheid", "geen", today=day)
    demand.record_search(engine, "GM0402", "eenzaamheid", "geen", today=MONDAY + dt.timedelta(days=7))
    demand.record_search(engine, "GM0402", None, "alleen_elders", today=MONDAY)
    found = sorted(
        (r["week"], r["theme_code"], r["municipality_code"], r["uitkomst"], r["aantal"]) for r in rows(engine)
    )
    assert found == [
        (MONDAY, "", "GM0402", "alleen_elders", 1),
        (MONDAY, "eenzaamheid", "GM0402", "geen", 2),
        (MONDAY + dt.timedelta(days=7), "eenzaamheid", "GM0402", "geen", 1),
    ]


@pytest.mark.parametrize(
    "gemeente, theme, outcome",
    [
        ("Hilversum", "eenzaamheid", "geen"),  # a name, not a code
        ("GM0402", "ik ben zo alleen", "geen"),  # typed text can never become a theme
        ("GM0402", "eenzaamheid", "niets"),
    ],
)
def test_only_codes_of_the_vocabularies_are_counted(engine, gemeente, theme, outcome):
    with pytest.raises(ValueError):
        demand.record_search(engine, gemeente, theme, outcome, today=MONDAY)
    assert rows(engine) == []


def test_the_table_has_no_column_that_could_hold_text(engine):
    columns = {c["name"]: c["type"] for c in inspect(engine).get_columns("unmet_demand_count")}
    assert set(columns) == {"week", "theme_code", "municipality_code", "uitkomst", "aantal"}
    # The string columns are short codes (checked against the vocabularies on the way in).
    lengths = {
        name: getattr(kind, "length", None) for name, kind in columns.items() if not isinstance(kind, Integer)
    }
    assert lengths["theme_code"] == 60 and lengths["municipality_code"] == 6 and lengths["uitkomst"] == 20


def test_the_outcome_follows_the_scopes_shown():
    assert demand.outcome_of([]) == "geen"
    assert demand.outcome_of(["regio", "online"]) == "alleen_elders"
    assert demand.outcome_of(["gemeente", "regio"]) == "lokaal"


def test_report_per_theme_and_gemeente_most_unmet_first_with_every_week(engine):
    for outcome, times in (("lokaal", 3), ("geen", 1)):
        for _ in range(times):
            demand.record_search(engine, "GM0402", "eenzaamheid", outcome, today=MONDAY)
    for _ in range(2):
        demand.record_search(
            engine, "GM0406", "geldzorgen", "alleen_elders", today=MONDAY - dt.timedelta(weeks=2)
        )
    demand.record_search(engine, "GM0362", "geldzorgen", "geen", today=MONDAY)  # Amstelveen: another region
    demand.record_search(engine, "GM0402", "stress", "geen", today=MONDAY - dt.timedelta(weeks=20))  # too old
    with engine.connect() as connection:
        report = demand.demand_report(
            connection, weeks=4, regio="Gooi en Vechtstreek", today=MONDAY + dt.timedelta(days=2)
        )
    assert [(r.theme_code, r.municipality_code, r.counts) for r in report.rows] == [
        ("geldzorgen", "GM0406", {"lokaal": 0, "alleen_elders": 2, "geen": 0}),
        ("eenzaamheid", "GM0402", {"lokaal": 3, "alleen_elders": 0, "geen": 1}),
    ]
    assert report.totals == {"lokaal": 3, "alleen_elders": 2, "geen": 1}
    assert [week for week, _ in report.weeks] == [MONDAY - dt.timedelta(weeks=n) for n in (3, 2, 1, 0)]
    assert report.weeks[1][1]["alleen_elders"] == 2 and report.weeks[3][1]["lokaal"] == 3
    table = list(csv.DictReader(io.StringIO(demand.demand_csv(report))))
    assert table[0]["thema"] == "geldzorgen" and table[0]["gemeente_naam"] == "Huizen"
    assert table[1]["lokaal"] == "3" and table[1]["geen"] == "1" and table[1]["totaal"] == "4"


def test_catalogue_gaps_count_published_activities_by_where_they_are_offered(engine):
    document = good_document()
    assert import_records(engine, document).ok
    with engine.connect() as connection:
        cells = demand.catalogue_gaps(connection, regio="Gooi en Vechtstreek")
        everywhere = demand.catalogue_gaps(connection)
    assert set(cells) == {m for m in cells}  # only the region's gemeenten
    assert "GM0362" not in cells and "GM0362" in everywhere
    hilversum = cells["GM0402"]
    assert hilversum["contact_ontmoeten"].lokaal == 1  # act-koffie-oost, in Hilversum and Huizen
    assert hilversum["contact_ontmoeten"].regio == 1  # act-mantelzorg-regio
    assert hilversum["hulp_advies"].online == 1 and hilversum["hulp_advies"].regio == 1
    assert hilversum["hulp_advies"].gap and not hilversum["contact_ontmoeten"].gap
    assert cells["GM1942"]["contact_ontmoeten"].lokaal == 0  # Gooise Meren: a gap
    assert everywhere["GM0362"]["contact_ontmoeten"].regio == 0  # the Gooi region's entry is not Amstelland's
    table = list(csv.DictReader(io.StringIO(demand.gaps_csv(cells))))
    row = next(r for r in table if r["gemeente"] == "GM0402" and r["categorie"] == "contact_ontmoeten")
    assert (row["in_gemeente"], row["regio"], row["online"], row["gat"]) == ("1", "1", "0", "nee")


def test_an_ended_activity_is_no_longer_counted_as_offered(engine):
    assert import_records(engine, good_document()).ok
    with engine.begin() as connection:
        connection.execute(
            models.Activity.__table__.update()
            .where(models.Activity.__table__.c.id == "act-koffie-oost")
            .values(status="beeindigd")
        )
    with engine.connect() as connection:
        assert demand.catalogue_gaps(connection)["GM0402"]["contact_ontmoeten"].lokaal == 0


# -- the hook in the matching action ----------------------------------------------------

CATALOGUE = TESTS / "actions" / "fixtures" / "kaart_dialoog.yml"


@pytest.fixture
def action_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'acties.db'}"
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("WW_DATABASE_URL", url)
    engine = fresh_engine(tmp_path, "acties.db")
    yield engine
    engine.dispose()


def test_the_matching_action_counts_a_new_search_and_not_the_next_page(action_database):
    from dialogue_helpers import load_tracker, run_action

    from actions.matching import ActionMeerActiviteiten, ActionToonActiviteiten

    run_action(ActionToonActiviteiten(), load_tracker("zoeken_klaar"))  # empty catalogue: nothing found
    assert import_paths(action_database, [CATALOGUE]).ok
    run_action(
        ActionToonActiviteiten(),
        load_tracker("zoeken_klaar", slots={"zoekwoord": "breien met mijn buurvrouw"}),
    )
    run_action(ActionMeerActiviteiten(), load_tracker("zoeken_klaar"))  # the next page: no new search
    found = sorted(
        (r["theme_code"], r["municipality_code"], r["uitkomst"], r["aantal"]) for r in rows(action_database)
    )
    assert found == [("eenzaamheid", "GM1942", "geen", 1), ("eenzaamheid", "GM1942", "lokaal", 1)]
    # The search words are nowhere in the table.
    assert not any("breien" in str(value) for row in rows(action_database) for value in row.values())


def test_parallel_searches_on_postgresql_are_all_counted(postgres_url):
    """Several action-server threads count the same key at once: none is lost (PostgreSQL)."""
    import threading

    from sociale_kaart.db import make_engine, migrate

    migrate(postgres_url)
    engine = make_engine(postgres_url, pool_size=8)
    errors = []

    def work():
        try:
            for _ in range(10):
                demand.record_search(engine, "GM0402", "eenzaamheid", "geen", today=MONDAY)
        except Exception as problem:  # noqa: BLE001 - reported below
            errors.append(problem)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert [(r["uitkomst"], r["aantal"]) for r in rows(engine)] == [("geen", 60)]
    with engine.connect() as connection:
        assert demand.demand_report(connection, weeks=1, today=MONDAY).totals["geen"] == 60
    engine.dispose()
