"""Matching on a real SQLite catalogue built with the importer: rules as properties, plus free text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from sociale_kaart import models
from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_records
from sociale_kaart.matching import MatchQuery, match_activities, match_coverage
from sociale_kaart.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
TODAY = dt.date(2026, 11, 22)
# Two municipalities of one region, one of another region.
HILVERSUM, HUIZEN, LEIDEN = "GM0402", "GM0406", "GM0546"
GEMEENTEN = (HILVERSUM, HUIZEN, LEIDEN)
THEMES = tuple(TAXONOMY.themes)
CATEGORIES = tuple(TAXONOMY.categories)
NAMES = [
    ("Wandelgroep", "We wandelen elke week een uur door het park.", ["bewegen_sporten", "natuur"]),
    ("Buurtkoor", "Een gezellig koor voor de hele buurt.", ["creatief_cultuur"]),
    ("Kookcafe", "Samen koken en daarna samen eten.", ["koken_eten", "contact_ontmoeten"]),
    ("Koffieochtend", "Een kop koffie en een praatje met buren.", ["contact_ontmoeten"]),
    ("Schilderclub", "Schilderen en tekenen op dinsdag.", ["creatief_cultuur"]),
    ("Spreekuur geldzaken", "Hulp bij schulden en rekeningen.", ["hulp_advies"]),
    ("Moestuin", "Tuinieren met anderen in de buurttuin.", ["natuur"]),
    ("Vrijwilligerspunt", "Vind vrijwilligerswerk dat bij je past.", ["vrijwilligerswerk"]),
]


def _activity(n: int, rng: random.Random) -> dict:
    name, description, categories = rng.choice(NAMES)
    roll = rng.random()
    if roll < 0.6:
        offered = {"gemeenten": rng.sample(GEMEENTEN, k=rng.choice([1, 1, 2]))}
    elif roll < 0.8:
        offered = {"regio": TAXONOMY.municipalities[rng.choice(GEMEENTEN)].regio}
    else:
        offered = {"online": True}
    valid_from = TODAY - dt.timedelta(days=rng.randrange(-60, 400))
    valid_to = rng.choice([None, None, TODAY + dt.timedelta(days=rng.randrange(-90, 90))])
    if valid_to and valid_to < valid_from:
        valid_to = valid_from
    hour = rng.choice([9, 10, 14, 15, 19, 20])
    record = {
        "id": f"act-{n:04d}",
        "organisatie": "org-test",
        "naam": f"{name} {n}",
        "beschrijving": description,
        "categorieen": categories,
        "themas": rng.sample(THEMES, k=rng.choice([1, 2])),
        "aanbod_in": offered,
        "rooster": {
            "regels": [
                {
                    "freq": "wekelijks",
                    "dag": rng.choice(["ma", "di", "wo"]),
                    "van": f"{hour:02d}:00",
                    "tot": f"{hour + 1:02d}:30",
                }
            ]
        },
        "kosten": rng.choice([{"gratis": True}, {"bedrag": 2.5, "per": "keer"}]),
        "aanmelden": {"wijze": "gewoon_langskomen"},
        "contact": {"email": "info@test.example.org"},
        "status": rng.choices(["actief", "tijdelijk_gesloten", "beeindigd"], weights=[7, 2, 1])[0],
        "geldig_van": valid_from.isoformat(),
        "geldig_tot": valid_to.isoformat() if valid_to else None,
    }
    if rng.random() < 0.3:
        record["doelgroep"] = {"groepen": [rng.choice(["ouderen", "jongeren", "mantelzorgers", "iedereen"])]}
    if rng.random() < 0.2:
        record.setdefault("doelgroep", {})["leeftijd_min"] = rng.choice([18, 55, 65])
    return record


def _catalogue(records: list[dict]) -> dict:
    return {
        "catalogus": {"naam": "Testcatalogus matching", "voorbeeldgegevens": True},
        "organisaties": [{"id": "org-test", "naam": "Stichting Test"}],
        "activiteiten": records,
    }


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    rng = random.Random(20261122)
    records = [_activity(n, rng) for n in range(400)]
    url = f"sqlite:///{tmp_path_factory.mktemp('matching') / 'kaart.db'}"
    migrate(url)
    engine = make_engine(url)
    report = import_records(engine, _catalogue(records), source="test")
    assert report.ok, report.problems[:3]
    yield engine, {r["id"]: r for r in records}
    engine.dispose()


# -- an independent statement of the rules, on the source records -----------------


def _scope_of(record: dict, gemeente: str) -> str | None:
    offered = record["aanbod_in"]
    if gemeente in offered.get("gemeenten", []):
        return "gemeente"
    if offered.get("regio") == TAXONOMY.municipalities[gemeente].regio:
        return "regio"
    if offered.get("online"):
        return "online"
    return None


def _is_valid(record: dict, today: dt.date) -> bool:
    start = dt.date.fromisoformat(record["geldig_van"]) if record["geldig_van"] else None
    end = dt.date.fromisoformat(record["geldig_tot"]) if record["geldig_tot"] else None
    return (
        record["status"] == "actief" and (start is None or start <= today) and (end is None or end >= today)
    )


def _passes_filters(record: dict, query: MatchQuery) -> bool:
    if query.free_only and not record["kosten"].get("gratis"):
        return False
    group = record.get("doelgroep", {})
    if query.age is not None and group.get("leeftijd_min") and group["leeftijd_min"] > query.age:
        return False
    groups = group.get("groepen") or []
    if query.group and groups and query.group not in groups and "iedereen" not in groups:
        return False
    if query.dagdeel:
        start = record["rooster"]["regels"][0]["van"]
        bounds = {"ochtend": ("00:00", "12:00"), "middag": ("12:00", "18:00"), "avond": ("18:00", "99:99")}
        low, high = bounds[query.dagdeel]
        if not low <= start < high:
            return False
    return True


def _category_rank(record: dict, query: MatchQuery) -> int:
    preferred = query.preferred_categories
    return min((preferred.index(c) for c in record["categorieen"] if c in preferred), default=len(preferred))


def _fits_theme(record: dict, query: MatchQuery) -> bool:
    if not query.themes and not query.categories:
        return True
    return _category_rank(record, query) < len(query.preferred_categories) or bool(
        set(record["themas"]) & set(query.themes)
    )


SCOPE_ORDER = {"gemeente": 0, "regio": 1, "online": 2}

queries = st.builds(
    MatchQuery,
    themes=st.lists(st.sampled_from(THEMES), max_size=2, unique=True),
    categories=st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True),
    gemeente_code=st.sampled_from(GEMEENTEN + ("GM1942",)),
    text=st.none() | st.sampled_from(["wandelen", "zingn", "iets met koken", "koffie", "🙂", "xqzv", "tuin"]),
    free_only=st.booleans(),
    dagdeel=st.none() | st.sampled_from(["ochtend", "middag", "avond"]),
    age=st.none() | st.sampled_from([17, 40, 70]),
    group=st.none() | st.sampled_from(["ouderen", "jongeren", "mantelzorgers"]),
    today=st.dates(min_value=TODAY - dt.timedelta(days=120), max_value=TODAY + dt.timedelta(days=120)),
)
PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(query=queries)
def test_results_obey_scope_status_dates_and_filters(catalogue, query):
    engine, records = catalogue
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=20)
    for result in results:
        record = records[result.activity.id]
        assert _scope_of(record, query.gemeente_code) == result.scope, (result.activity.id, result.scope)
        assert _is_valid(record, query.today), record
        assert _passes_filters(record, query), record


@PROPERTY_SETTINGS
@given(query=queries)
def test_gemeente_ranks_above_regio_above_online_and_nothing_better_is_skipped(catalogue, query):
    engine, records = catalogue
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=50)
    order = [SCOPE_ORDER[r.scope] for r in results]
    assert order == sorted(order)
    if query.text or not results:
        return
    # Without free text: every eligible, fitting activity of a better scope comes first.
    eligible = [
        r
        for r in records.values()
        if _scope_of(r, query.gemeente_code)
        and _is_valid(r, query.today)
        and _passes_filters(r, query)
        and _fits_theme(r, query)
    ]
    shown = {r.activity.id for r in results}
    worst_shown = max(order)
    for record in eligible:
        if SCOPE_ORDER[_scope_of(record, query.gemeente_code)] < worst_shown:
            assert record["id"] in shown, record["id"]


@PROPERTY_SETTINGS
@given(query=queries)
def test_category_preference_is_honoured_within_a_scope(catalogue, query):
    engine, records = catalogue
    query = dataclasses.replace(query, text=None)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=50)
    for scope in SCOPE_ORDER:
        ranks = [_category_rank(records[r.activity.id], query) for r in results if r.scope == scope]
        assert ranks == sorted(ranks), (scope, ranks)
        if query.categories and ranks:
            # The first one of a scope has the best category there is in that scope.
            candidates = [
                _category_rank(r, query)
                for r in records.values()
                if _scope_of(r, query.gemeente_code) == scope
                and _is_valid(r, query.today)
                and _passes_filters(r, query)
                and _fits_theme(r, query)
            ]
            assert ranks[0] == min(candidates)


@PROPERTY_SETTINGS
@given(query=queries, offset=st.integers(min_value=0, max_value=6))
def test_same_query_same_list_and_pages_line_up(catalogue, query, offset):
    engine, _ = catalogue
    with session_scope(engine) as session:
        first = [r.activity.id for r in match_activities(session, query, limit=10)]
        again = [r.activity.id for r in match_activities(session, query, limit=10)]
        page = [r.activity.id for r in match_activities(session, query, limit=3, offset=offset)]
    assert first == again
    assert len(set(first)) == len(first)
    assert page == first[offset : offset + 3]


@pytest.mark.parametrize(
    "text,expected_name",
    [
        ("wandelen", "Wandelgroep"),
        ("wandelgroep", "Wandelgroep"),
        ("wandelne", "Wandelgroep"),
        ("zingen", "Buurtkoor"),
        ("zingn", "Buurtkoor"),
        ("koor", "Buurtkoor"),
        ("iets met koken", "Kookcafe"),
        ("Kóken", "Kookcafe"),
        ("koffie", "Koffieochtend"),
        ("schilderen", "Schilderclub"),
        ("tuinieren", "Moestuin"),
        ("schulden", "Spreekuur geldzaken"),
    ],
)
def test_free_text_with_typos_finds_the_right_activity(catalogue, text, expected_name):
    engine, _ = catalogue
    query = MatchQuery(themes=["eenzaamheid"], gemeente_code=HILVERSUM, text=text, today=TODAY)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=3)
    assert results, text
    assert results[0].activity.name.startswith(expected_name), [r.activity.name for r in results]
    assert all(r.activity.name.startswith(expected_name) for r in results if r.scope == results[0].scope)


def test_reasons_are_dutch_fragments_from_the_yaml(catalogue):
    engine, _ = catalogue
    query = MatchQuery(themes=["eenzaamheid"], gemeente_code=HILVERSUM, free_only=True, today=TODAY)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=3)
    assert results
    first = results[0]
    assert first.reasons[0] == "in jouw gemeente"
    assert "past bij eenzaamheid" in first.reasons
    assert "gratis" in first.reasons
    view = first.activity
    assert view.cost_line == "Gratis"
    assert view.join_line.startswith("Je kunt gewoon langskomen")
    assert view.contact_line == "Mail naar info@test.example.org"
    assert view.organisation_name == "Stichting Test"
    assert view.schedule_line.startswith("Elke ")


def test_text_reason_names_the_understood_word(catalogue):
    engine, _ = catalogue
    query = MatchQuery(themes=[], gemeente_code=HILVERSUM, text="zingn", today=TODAY)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=1)
    assert "gaat over zingen" in results[0].reasons


def _single_catalogue_engine(tmp_path, records):
    url = f"sqlite:///{tmp_path / 'klein.db'}"
    migrate(url)
    engine = make_engine(url)
    assert import_records(engine, _catalogue(records), source="klein").ok
    return engine


def test_coverage_says_honestly_when_the_gemeente_has_nothing(tmp_path):
    rng = random.Random(5)
    regional = {
        **_activity(1, rng),
        "status": "actief",
        "geldig_van": None,
        "geldig_tot": None,
        "aanbod_in": {"regio": TAXONOMY.municipalities[HILVERSUM].regio},
    }
    elsewhere = {
        **_activity(2, rng),
        "status": "actief",
        "geldig_van": None,
        "geldig_tot": None,
        "aanbod_in": {"gemeenten": [HUIZEN]},
    }
    for record in (regional, elsewhere):
        record.pop("doelgroep", None)
    engine = _single_catalogue_engine(tmp_path, [regional, elsewhere])
    query = MatchQuery(gemeente_code=HILVERSUM, today=TODAY)
    with session_scope(engine) as session:
        coverage = match_coverage(session, query)
        results = match_activities(session, query, limit=5)
        in_huizen = match_coverage(session, MatchQuery(gemeente_code=HUIZEN, today=TODAY))
        nowhere = match_coverage(session, MatchQuery(gemeente_code=LEIDEN, today=TODAY))
    assert (coverage.gemeente, coverage.regio, coverage.online) == (False, True, False)
    assert coverage.only_elsewhere
    assert [r.activity.id for r in results] == [regional["id"]]
    assert in_huizen.gemeente and not in_huizen.only_elsewhere
    assert not nowhere.any
    engine.dispose()


def test_a_change_behind_the_index_is_still_caught_by_the_database_check(tmp_path):
    rng = random.Random(9)
    records = []
    for n in range(3):
        record = {
            **_activity(n, rng),
            "status": "actief",
            "geldig_van": None,
            "geldig_tot": None,
            "aanbod_in": {"gemeenten": [HILVERSUM]},
        }
        record.pop("doelgroep", None)
        records.append(record)
    engine = _single_catalogue_engine(tmp_path, records)
    query = MatchQuery(gemeente_code=HILVERSUM, today=TODAY)
    with session_scope(engine) as session:
        assert len(match_activities(session, query, limit=5)) == 3
    # An edit that does not touch laatst_gewijzigd_op, so the cached index looks current.
    with engine.begin() as connection:
        connection.execute(
            update(models.Activity.__table__)
            .where(models.Activity.id == "act-0001")
            .values(status="beeindigd")
        )
    with session_scope(engine) as session:
        ids = [r.activity.id for r in match_activities(session, query, limit=5)]
    assert ids == ["act-0000", "act-0002"]
    engine.dispose()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀😀😀",
        "<script>alert(1)</script>",
        "'; DROP TABLE activity; --",
        "x" * 5000,
        "hello how are you",
    ],
)
def test_odd_free_text_changes_nothing_and_stays_in_scope(catalogue, text):
    engine, records = catalogue
    query = MatchQuery(themes=["eenzaamheid"], gemeente_code=LEIDEN, text=text, today=TODAY)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=5)
        coverage = match_coverage(session, query)
    for result in results:
        assert _scope_of(records[result.activity.id], LEIDEN) == result.scope
    assert coverage.any == bool(results)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"gemeente_code": "GM9999"},
        {"gemeente_code": "Hilversum"},
        {"gemeente_code": HILVERSUM, "themes": ["bestaat_niet"]},
        {"gemeente_code": HILVERSUM, "categories": ["sport"]},
        {"gemeente_code": HILVERSUM, "dagdeel": "nacht"},
        {"gemeente_code": HILVERSUM, "group": "marsmannetjes"},
        {"gemeente_code": HILVERSUM, "age": -1},
        {"gemeente_code": HILVERSUM, "age": "zeventig"},
    ],
)
def test_unknown_codes_are_refused(kwargs):
    with pytest.raises(ValueError):
        MatchQuery(**kwargs)


def test_limit_and_offset_are_bounded(catalogue):
    engine, _ = catalogue
    query = MatchQuery(gemeente_code=HILVERSUM, today=TODAY)
    with session_scope(engine) as session:
        assert match_activities(session, query, limit=0) == []
        assert len(match_activities(session, query, limit=10_000)) <= 50
        assert match_activities(session, query, limit=3, offset=10_000) == []


def test_a_category_word_finds_that_category_and_says_so(catalogue):
    engine, records = catalogue
    # "fietsen" is a word of bewegen_sporten in categories.yml; no activity is about cycling.
    query = MatchQuery(gemeente_code=HILVERSUM, text="fietsen", today=TODAY)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=5)
    assert results
    for result in results:
        assert "bewegen_sporten" in records[result.activity.id]["categorieen"]
        assert "bewegen en sporten" in result.reasons
        assert not any(reason.startswith("gaat over") for reason in result.reasons)


def test_every_code_has_a_dutch_fragment():
    from sociale_kaart.activity_view import fragments
    from sociale_kaart.models import JOIN_METHODS

    texts = fragments()
    assert set(texts["themas"]) == set(TAXONOMY.themes)
    assert set(texts["categorieen"]) == set(TAXONOMY.categories)
    assert set(texts["regels"]["aanmelden"]) == set(JOIN_METHODS)
    assert set(texts["redenen"]["dagdeel"]) == {"ochtend", "middag", "avond"}
