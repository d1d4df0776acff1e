"""Hypothesis generates whole small catalogues; each is imported with the real importer into
one SQLite file (re-importing the same source ends what disappeared), then matched."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_records
from sociale_kaart.matching import MatchQuery, match_activities, match_coverage
from sociale_kaart.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy()
TODAY = dt.date(2026, 11, 22)
GEMEENTEN = ("GM0402", "GM0406", "GM0546", "GM0394")  # Gooi (2), Zuid-Holland Noord, Haarlemmermeer
SCOPE_ORDER = {"gemeente": 0, "regio": 1, "online": 2}
NAMES = ("Wandelgroep", "Buurtkoor", "Kookcafe", "Koffieochtend", "Taalcafe", "Moestuin")


def _offered(kind: str, codes: list[str]) -> dict:
    if kind == "online":
        return {"online": True}
    if kind == "regio":
        return {"regio": TAXONOMY.municipalities[codes[0]].regio}
    return {"gemeenten": codes}


activity = st.fixed_dictionaries(
    {
        "naam": st.sampled_from(NAMES),
        "categorieen": st.lists(
            st.sampled_from(tuple(TAXONOMY.categories)), min_size=1, max_size=2, unique=True
        ),
        "themas": st.lists(st.sampled_from(tuple(TAXONOMY.themes)), min_size=1, max_size=2, unique=True),
        "kind": st.sampled_from(["gemeenten", "gemeenten", "regio", "online"]),
        "codes": st.lists(st.sampled_from(GEMEENTEN), min_size=1, max_size=2, unique=True),
        "status": st.sampled_from(["actief", "actief", "tijdelijk_gesloten", "beeindigd"]),
        "van": st.none() | st.integers(min_value=-300, max_value=60),
        "duur": st.none() | st.integers(min_value=0, max_value=300),
        "gratis": st.booleans(),
    }
)


def _records(drafts: list[dict]) -> list[dict]:
    records = []
    for i, draft in enumerate(drafts):
        start = TODAY + dt.timedelta(days=draft["van"]) if draft["van"] is not None else None
        end = (start or TODAY) + dt.timedelta(days=draft["duur"]) if draft["duur"] is not None else None
        records.append(
            {
                "id": f"act-gen-{i:02d}",
                "organisatie": "org-gen",
                "naam": f"{draft['naam']} {i}",
                "beschrijving": "Een activiteit om te testen.",
                "categorieen": draft["categorieen"],
                "themas": draft["themas"],
                "aanbod_in": _offered(draft["kind"], draft["codes"]),
                "kosten": {"gratis": True} if draft["gratis"] else {"bedrag": 3, "per": "keer"},
                "aanmelden": {"wijze": "aanmelden"},
                "contact": {"website": "https://gen.example.org"},
                "status": draft["status"],
                "geldig_van": start.isoformat() if start else None,
                "geldig_tot": end.isoformat() if end else None,
            }
        )
    return records


def _scope(record: dict, code: str) -> str | None:
    offered = record["aanbod_in"]
    if code in offered.get("gemeenten", []):
        return "gemeente"
    if offered.get("regio") == TAXONOMY.municipalities[code].regio:
        return "regio"
    return "online" if offered.get("online") else None


def _current(record: dict) -> bool:
    start = dt.date.fromisoformat(record["geldig_van"]) if record["geldig_van"] else None
    end = dt.date.fromisoformat(record["geldig_tot"]) if record["geldig_tot"] else None
    return record["status"] == "actief" and (not start or start <= TODAY) and (not end or end >= TODAY)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('generated') / 'kaart.db'}"
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drafts=st.lists(activity, min_size=0, max_size=12),
    code=st.sampled_from(GEMEENTEN),
    themes=st.lists(st.sampled_from(tuple(TAXONOMY.themes)), max_size=1),
    free_only=st.booleans(),
)
def test_generated_catalogues_obey_every_rule(engine, drafts, code, themes, free_only):
    records = _records(drafts)
    document = {
        "catalogus": {"naam": "Gegenereerd", "voorbeeldgegevens": True},
        "organisaties": [{"id": "org-gen", "naam": "Stichting Gegenereerd"}],
        "activiteiten": records,
    }
    assert import_records(engine, document, source="gen").ok
    by_id = {r["id"]: r for r in records}
    query = MatchQuery(themes=themes, gemeente_code=code, free_only=free_only, today=TODAY)
    with session_scope(engine) as session:
        results = match_activities(session, query, limit=50)
        coverage = match_coverage(session, query)

    # Only what is in this import (earlier imports were ended by it), current, in scope.
    for result in results:
        record = by_id.get(result.activity.id)
        assert record is not None, result.activity.id
        assert _current(record), record
        assert _scope(record, code) == result.scope
        assert not free_only or record["kosten"].get("gratis")
    order = [SCOPE_ORDER[r.scope] for r in results]
    assert order == sorted(order)
    assert len({r.activity.id for r in results}) == len(results)

    fitting = [
        r
        for r in records
        if _current(r)
        and _scope(r, code)
        and (not free_only or r["kosten"].get("gratis"))
        and (
            not themes
            or set(r["categorieen"]) & set(TAXONOMY.themes[themes[0]].categories)
            or themes[0] in r["themas"]
        )
    ]
    assert {r.activity.id for r in results} == {r["id"] for r in fitting}
    assert coverage.gemeente == any(_scope(r, code) == "gemeente" for r in fitting)
    assert coverage.regio == any(_scope(r, code) == "regio" for r in fitting)
    assert coverage.online == any(_scope(r, code) == "online" for r in fitting)
