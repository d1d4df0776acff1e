"""Matching on the demo catalogue as shipped: every gemeente and theme gets a local, fitting answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_paths
from sociale_kaart.matching import MatchQuery, match_activities, match_coverage
from sociale_kaart.taxonomy import load_taxonomy

DEMO = sorted((Path(__file__).resolve().parents[2] / "sociale_kaart" / "demo").glob("*.yml"))
TAXONOMY = load_taxonomy()


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    if not DEMO:
        pytest.skip("no demo catalogue")
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    migrate(url)
    engine = make_engine(url)
    assert import_paths(engine, DEMO).ok
    yield engine
    engine.dispose()


def test_every_gemeente_and_theme_gets_a_local_fitting_first_answer(demo_engine):
    missing = []
    with session_scope(demo_engine) as session:
        for code in TAXONOMY.municipalities:
            for theme in TAXONOMY.themes:
                results = match_activities(session, MatchQuery(themes=[theme], gemeente_code=code), limit=3)
                if not results or results[0].scope != "gemeente":
                    missing.append((code, theme))
                    continue
                label = f"past bij {_short_theme(theme)}"
                assert label in results[0].reasons, (code, theme, results[0].reasons)
                coverage = match_coverage(session, MatchQuery(themes=[theme], gemeente_code=code))
                assert coverage.gemeente and not coverage.only_elsewhere
    assert not missing, missing


def test_free_text_on_the_demo_catalogue_stays_in_scope(demo_engine):
    with session_scope(demo_engine) as session:
        for code in ("GM1942", "GM0394", "GM0546"):
            for text in ("wandelen", "zingen", "iets met koken", "schulden"):
                for result in match_activities(session, MatchQuery(gemeente_code=code, text=text), limit=5):
                    view = result.activity
                    if result.scope == "regio":
                        assert view.regio == TAXONOMY.municipalities[code].regio
                    assert result.scope in ("gemeente", "regio", "online")


def _short_theme(theme: str) -> str:
    from sociale_kaart.activity_view import fragments

    return fragments()["themas"][theme]
