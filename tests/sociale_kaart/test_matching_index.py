"""The in-memory match index follows the database: new imports, background rebuilds, free-text index."""

from __future__ import annotations

import datetime as dt
import time

from sociale_kaart import match_index as match_index_module
from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_records
from sociale_kaart.keyword_index import KeywordIndex
from sociale_kaart.match_index import catalogue_version, match_index
from sociale_kaart.matching import MatchQuery, match_activities

TODAY = dt.date(2026, 11, 22)
HILVERSUM = "GM0402"


def _record(
    n: int, name: str, description: str = "Samen iets doen.", categories=("contact_ontmoeten",)
) -> dict:
    return {
        "id": f"act-idx-{n:03d}",
        "organisatie": "org-idx",
        "naam": name,
        "beschrijving": description,
        "categorieen": list(categories),
        "themas": ["eenzaamheid"],
        "aanbod_in": {"gemeenten": [HILVERSUM]},
        "kosten": {"gratis": True},
        "aanmelden": {"wijze": "gewoon_langskomen"},
        "contact": {"email": "idx@test.example.org"},
        "status": "actief",
    }


def _document(records: list[dict]) -> dict:
    return {
        "catalogus": {"naam": "Indextest", "voorbeeldgegevens": True},
        "organisaties": [{"id": "org-idx", "naam": "Stichting Index"}],
        "activiteiten": records,
    }


def _engine(tmp_path, records):
    url = f"sqlite:///{tmp_path / 'index.db'}"
    migrate(url)
    engine = make_engine(url)
    assert import_records(engine, _document(records), source="idx").ok
    return engine


def _names(engine, text=None) -> list[str]:
    query = MatchQuery(gemeente_code=HILVERSUM, text=text, today=TODAY)
    with session_scope(engine) as session:
        return [r.activity.name for r in match_activities(session, query, limit=10)]


def test_a_new_import_is_found_at_once_in_a_small_catalogue(tmp_path):
    engine = _engine(tmp_path, [_record(1, "Koffieochtend")])
    assert _names(engine, "koor") == ["Koffieochtend"]  # nothing matches the text, so it is not a filter
    assert import_records(
        engine, _document([_record(1, "Koffieochtend"), _record(2, "Buurtkoor")]), source="idx"
    ).ok
    assert _names(engine, "koor") == ["Buurtkoor"]
    engine.dispose()


def test_a_large_index_is_rebuilt_in_the_background_and_then_used(tmp_path, monkeypatch):
    monkeypatch.setattr(match_index_module, "BACKGROUND_REBUILD_FROM", 1)
    engine = _engine(tmp_path, [_record(1, "Koffieochtend")])
    with session_scope(engine) as session:
        first = match_index(session)
    assert import_records(
        engine, _document([_record(1, "Koffieochtend"), _record(2, "Buurtkoor")]), source="idx"
    ).ok
    with session_scope(engine) as session:
        # The old index keeps serving while the new one is built.
        assert match_index(session) is first or len(match_index(session)) == 2
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with session_scope(engine) as session:
            if len(match_index(session)) == 2:
                break
        time.sleep(0.05)
    assert _names(engine, "koor") == ["Buurtkoor"]
    engine.dispose()


def test_catalogue_version_changes_with_an_import(tmp_path):
    engine = _engine(tmp_path, [_record(1, "Koffieochtend")])
    with session_scope(engine) as session:
        before = catalogue_version(session)
    time.sleep(0.01)
    assert import_records(engine, _document([_record(1, "Koffieochtend", "Nu met thee.")]), source="idx").ok
    with session_scope(engine) as session:
        assert catalogue_version(session) != before
    engine.dispose()


def test_keyword_index_compounds_synonyms_typos_and_lemmas():
    index = KeywordIndex(
        [
            ("a", "Wandelgroep De Linde", "Elke week een uur lopen."),
            ("b", "Zangkoor", "We oefenen liedjes."),
            ("c", "Kookcafe", "Samen koken."),
            ("d", "Leesclub", "We hebben gezongen en gelezen."),
        ]
    )

    def found(text):
        match = index.search(text)
        return sorted(index.ids[o] for o in match.scores)

    assert found("wandelen") == ["a"]  # start of a compound
    assert found("groep") == ["a"]  # end of a compound
    assert found("koor") == ["b", "d"]  # end of "zangkoor", and its group (zingen) finds "gezongen"
    assert found("zingen") == ["b", "d"]  # synonym group (koor) and lemma (gezongen -> zingen)
    assert found("zingn") == ["b", "d"]  # typo
    assert found("iets met KÓKEN!") == ["c"]
    assert found("de het een") == []
    assert index.search("de het een").understood == ()
    match = index.search("wandelen")
    assert match.scores[0] > 0 and "bewegen_sporten" in match.categories


def test_matching_indexes_exist_and_the_migrations_have_one_head(tmp_path):
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from sociale_kaart.db import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
    engine = _engine(tmp_path, [_record(1, "Koffieochtend")])
    inspector = inspect(engine)
    activity_indexes = {index["name"] for index in inspector.get_indexes("activity")}
    assert {"ix_activity_scope_regio", "ix_activity_laatst_gewijzigd_op"} <= activity_indexes
    link_indexes = {index["name"] for index in inspector.get_indexes("activity_municipality")}
    assert "ix_activity_municipality_code_activity" in link_indexes
    engine.dispose()


def test_two_in_memory_databases_do_not_share_an_index():
    from sqlalchemy.pool import StaticPool

    engines = []
    for name in ("Buurtkoor", "Wandelgroep"):
        engine = make_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
        migrate(engine)
        assert import_records(engine, _document([_record(1, name)]), source="idx").ok
        engines.append(engine)
    assert _names(engines[0]) == ["Buurtkoor"]
    assert _names(engines[1]) == ["Wandelgroep"]
    for engine in engines:
        engine.dispose()


def test_warm_up_builds_the_index_that_matching_then_uses(tmp_path):
    from sociale_kaart.matching import warm_up

    engine = _engine(tmp_path, [_record(1, "Koffieochtend")])
    with session_scope(engine) as session:
        warm_up(session)
        built = match_index(session)
    with session_scope(engine) as session:
        assert match_index(session) is built
    assert _names(engine) == ["Koffieochtend"]
    engine.dispose()
