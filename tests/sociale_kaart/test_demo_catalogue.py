"""The demo catalogue (sociale_kaart/demo/*.yml) loads with the real importer and covers what the demo needs.

One real SQLite database per module: migrate, import every demo file, then ask the tables.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from sociale_kaart.catalogue import catalogue_info
from sociale_kaart.db import make_engine, migrate, session_scope
from sociale_kaart.importer import import_paths
from sociale_kaart.models import (
    Activity,
    ActivityCategory,
    ActivityMunicipality,
    ActivityTheme,
    CatalogueSource,
    Location,
    Organisation,
)
from sociale_kaart.taxonomy import load_taxonomy

DEMO_DIR = Path(__file__).resolve().parents[2] / "sociale_kaart" / "demo"
REGION_FILES = ("gooi_en_vechtstreek.yml", "amstelland.yml", "haarlemmermeer.yml", "zuid_holland_noord.yml")
CORE_CATEGORIES = ("contact_ontmoeten", "bewegen_sporten", "hulp_advies")
# Long verified: the editors should see these as stale.
STALE_BEFORE = dt.date(2025, 1, 1)
ENDED_NOTES = ("Deze activiteit is gestopt.", "Deze groep is gestopt.", "Deze groep bestaat niet meer.",
               "Dit aanbod is afgelopen.")
EXAMPLE_DOMAIN = re.compile(r"(^|\.)example\.org$")


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.yml"))


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'kaart.db'}"
    migrate(url)
    engine = make_engine(url)
    report = import_paths(engine, demo_files())
    assert report.ok, "\n".join(str(p) for p in report.problems[:20])
    assert report.added == len(_raw_activities())
    yield engine
    engine.dispose()


@pytest.fixture()
def session(engine):
    with session_scope(engine) as session:
        yield session


@lru_cache(maxsize=1)
def _raw_documents() -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in demo_files()}


def _raw_activities() -> list[dict]:
    return [a for doc in _raw_documents().values() for a in doc["activiteiten"]]


def _count(session, *conditions) -> int:
    return session.execute(select(func.count()).select_from(Activity).where(*conditions)).scalar_one()


def _current(today: dt.date):
    """Activities a resident may be offered: actief and not past their end date."""
    return (Activity.status == "actief") & ((Activity.geldig_tot.is_(None)) | (Activity.geldig_tot >= today))


def test_one_file_per_region_plus_online():
    names = {path.name for path in demo_files()}
    assert set(REGION_FILES) <= names
    assert names - set(REGION_FILES) <= {"online.yml"}


def test_at_least_300_entries(session):
    assert session.execute(select(func.count()).select_from(Activity)).scalar_one() >= 300


def test_flagged_as_fictional_example_data(session):
    info = catalogue_info(session)
    assert info.is_example_data
    assert "fictief" in info.name
    sources = session.execute(select(CatalogueSource.source, CatalogueSource.voorbeeldgegevens)).all()
    assert len(sources) == len(demo_files())
    assert all(example for _, example in sources), sources


def test_every_municipality_has_contact_movement_and_help(session):
    today = dt.date.today()
    rows = session.execute(
        select(ActivityMunicipality.municipality_code, ActivityCategory.category_code)
        .join(Activity, Activity.id == ActivityMunicipality.activity_id)
        .join(ActivityCategory, ActivityCategory.activity_id == Activity.id)
        .where(_current(today))
    ).all()
    found = defaultdict(set)
    for code, category in rows:
        found[code].add(category)
    missing = {
        m.naam: sorted(set(CORE_CATEGORIES) - found[code])
        for code, m in load_taxonomy().municipalities.items()
        if not set(CORE_CATEGORIES) <= found[code]
    }
    assert not missing


def test_all_categories_used(session):
    used = set(session.execute(select(ActivityCategory.category_code).distinct()).scalars())
    assert used == set(load_taxonomy().categories)


def test_every_theme_in_every_region(session):
    taxonomy = load_taxonomy()
    region_of = {code: m.regio for code, m in taxonomy.municipalities.items()}
    by_region = defaultdict(set)
    local = session.execute(
        select(ActivityMunicipality.municipality_code, ActivityTheme.theme_code)
        .join(ActivityTheme, ActivityTheme.activity_id == ActivityMunicipality.activity_id)
    ).all()
    for code, theme in local:
        by_region[region_of[code]].add(theme)
    regional = session.execute(
        select(Activity.regio, ActivityTheme.theme_code)
        .join(ActivityTheme, ActivityTheme.activity_id == Activity.id)
        .where(Activity.scope == "regio")
    ).all()
    for regio, theme in regional:
        by_region[regio].add(theme)
    missing = {r: sorted(set(taxonomy.themes) - by_region[r]) for r in taxonomy.regions}
    missing = {r: themes for r, themes in missing.items() if themes}
    assert not missing


def test_every_municipality_has_a_current_local_entry_for_every_theme(session):
    rows = session.execute(
        select(ActivityMunicipality.municipality_code, ActivityTheme.theme_code)
        .join(Activity, Activity.id == ActivityMunicipality.activity_id)
        .join(ActivityTheme, ActivityTheme.activity_id == Activity.id)
        .where(_current(dt.date.today()))
    ).all()
    found = set(rows)
    taxonomy = load_taxonomy()
    missing = [(m.naam, theme) for code, m in taxonomy.municipalities.items() for theme in taxonomy.themes
               if (code, theme) not in found]
    assert not missing


def test_every_entry_has_themes_and_categories(session):
    without_theme = session.execute(
        select(Activity.id).where(~Activity.id.in_(select(ActivityTheme.activity_id)))
    ).scalars().all()
    without_category = session.execute(
        select(Activity.id).where(~Activity.id.in_(select(ActivityCategory.activity_id)))
    ).scalars().all()
    assert without_theme == [] and without_category == []


def test_free_and_paid_daytime_and_evening(session):
    assert _count(session, Activity.kosten_gratis.is_(True)) >= 50
    assert _count(session, Activity.kosten_bedrag_cent > 0) >= 50
    assert _count(session, Activity.kosten_omschrijving.is_not(None)) >= 5
    starts = [r["van"] for a in _raw_activities() for r in a["rooster"]["regels"]]
    assert any(start < "12:00" for start in starts) and any(start >= "18:00" for start in starts)


def test_online_and_region_wide_offers(session):
    scopes = dict(session.execute(select(Activity.scope, func.count()).group_by(Activity.scope)).all())
    assert scopes.get("online", 0) >= 5 and scopes.get("regio", 0) >= 4
    regions_covered = set(session.execute(select(Activity.regio).where(Activity.scope == "regio")).scalars())
    assert regions_covered == set(load_taxonomy().regions)


def test_lifecycle_cases_present(session):
    today = dt.date.today()
    statuses = dict(session.execute(select(Activity.status, func.count()).group_by(Activity.status)).all())
    assert statuses.get("beeindigd", 0) >= 3
    assert statuses.get("tijdelijk_gesloten", 0) >= 3
    assert _count(session, Activity.status == "actief", Activity.geldig_tot < today) >= 3  # expired
    assert _count(session, Activity.laatst_gecontroleerd_op < STALE_BEFORE) >= 10
    assert _count(session, Activity.laatst_gecontroleerd_op.is_(None)) == 0


def test_dates_are_plausible(session):
    """No verification in the future of the day the catalogue was written, no start after it."""
    written = dt.date(2026, 11, 22)
    rows = session.execute(select(Activity.id, Activity.geldig_van, Activity.geldig_tot,
                                  Activity.laatst_gecontroleerd_op)).all()
    for activity_id, start, end, verified in rows:
        assert verified <= written, activity_id
        assert start is None or start <= written, activity_id
        assert start is None or end is None or start < end, activity_id
    doors = set(session.execute(select(Activity.laatst_gecontroleerd_door)).scalars())
    assert doors and all(door.startswith("Redactie") for door in doors), doors  # a team, never a person


def test_ways_to_join(session):
    ways = dict(session.execute(
        select(Activity.aanmelden_wijze, func.count()).group_by(Activity.aanmelden_wijze)).all())
    assert set(ways) == {"gewoon_langskomen", "aanmelden", "via_coach_of_wijkteam"}
    assert _count(session, Activity.indicatie_nodig.is_(True)) >= 1
    assert _count(session, Activity.eerste_keer_begeleiding.is_(True)) >= 20


def test_no_phone_numbers_anywhere(session):
    assert _count(session, Activity.contact_telefoon.is_not(None)) == 0
    for path in demo_files():
        text = path.read_text(encoding="utf-8")
        # Dutch numbers: 0xx-xxxxxxx, 06-xxxxxxxx, 0800/0900 numbers, +31; dates and postcodes do not match.
        phone_like = re.findall(r"(?:\+31|\b0\d{1,3})[\s-]?\d{2,4}[\s-]?\d{2,4}[\s-]?\d{0,4}\b", text)
        phone_like = [p for p in phone_like if sum(ch.isdigit() for ch in p) >= 9]
        assert phone_like == [], (path.name, phone_like[:5])


def test_only_example_org_addresses(session):
    emails = [e for e in session.execute(select(Organisation.email)).scalars()]
    emails += [e for e in session.execute(select(Activity.contact_email)).scalars()]
    webs = [w for w in session.execute(select(Organisation.website)).scalars()]
    webs += [w for w in session.execute(select(Activity.contact_website)).scalars()]
    assert all(e is None or EXAMPLE_DOMAIN.search(e.rsplit("@", 1)[1]) for e in emails)
    assert all(w is None or EXAMPLE_DOMAIN.search(re.sub(r"^https?://", "", w).split("/")[0]) for w in webs)
    for path in demo_files():
        text = path.read_text(encoding="utf-8")
        for domain in re.findall(r"@([\w.-]+)", text) + re.findall(r"https?://([\w.-]+)", text):
            assert EXAMPLE_DOMAIN.search(domain), (path.name, domain)


def test_organisations_are_fictional_not_the_real_welzijn_organisations(session):
    municipalities = load_taxonomy().municipalities.values()
    real = {m.welzijnsorganisatie.lower() for m in municipalities if m.welzijnsorganisatie}
    for name in session.execute(select(Organisation.naam)).scalars():
        assert name.endswith("(fictief)"), name
        assert not any(r in name.lower() for r in real), name


def test_locations_are_in_the_municipality_offered(session):
    taxonomy = load_taxonomy()
    towns = {code: set(m.woonplaatsen) for code, m in taxonomy.municipalities.items()}
    region_towns = defaultdict(set)
    for m in taxonomy.municipalities.values():
        region_towns[m.regio] |= set(m.woonplaatsen)
    codes = defaultdict(set)
    links = select(ActivityMunicipality.activity_id, ActivityMunicipality.municipality_code)
    for activity_id, code in session.execute(links):
        codes[activity_id].add(code)
    rows = session.execute(
        select(Activity.id, Activity.scope, Activity.regio, Location.woonplaats, Location.postcode)
        .join(Location, Location.activity_id == Activity.id)
    ).all()
    assert rows
    for activity_id, scope, regio, woonplaats, postcode in rows:
        assert re.fullmatch(r"[1-9]\d{3} [A-Z]{2}", postcode), (activity_id, postcode)
        if scope == "gemeenten":
            assert any(woonplaats in towns[c] for c in codes[activity_id]), (activity_id, woonplaats)
        elif scope == "regio":
            assert woonplaats in region_towns[regio], (activity_id, woonplaats)


def test_stable_ids_and_unique_plain_dutch_descriptions():
    activities = _raw_activities()
    assert all(re.fullmatch(r"act-[a-z0-9-]+", a["id"]) for a in activities)
    organisations = [o for doc in _raw_documents().values() for o in doc["organisaties"]]
    assert all(re.fullmatch(r"org-[a-z0-9-]+", o["id"]) for o in organisations)
    descriptions = [a["beschrijving"] for a in activities]
    assert len(set(descriptions)) == len(descriptions), "every description should read differently"
    for text in descriptions:
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
        assert max(len(s.split()) for s in sentences) <= 25, text  # B1: short sentences
        # Residents are spoken to with "je"; only a note about an ended offer may do without.
        addressed = re.search(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", text, re.IGNORECASE)
        assert addressed or text.startswith(ENDED_NOTES), text


def test_bussum_resident_lonely_finds_contact_nearby(session):
    """Walking skeleton: Gooise Meren + eenzaamheid gives a contact_ontmoeten activity in the municipality."""
    from sociale_kaart.matching import MatchQuery, match_activities

    for code, towns in (("GM1942", {"Bussum", "Naarden", "Muiden", "Muiderberg"}), ("GM0402", {"Hilversum"})):
        query = MatchQuery(themes=["eenzaamheid"], categories=["contact_ontmoeten"], gemeente_code=code)
        results = match_activities(session, query, limit=3)
        local = [r for r in results if r.scope == "gemeente"]
        assert local, code
        places = session.execute(
            select(Location.woonplaats).where(Location.activity_id.in_([r.activity.id for r in local]))
        ).scalars().all()
        assert set(places) <= towns and places, (code, places)
    bussum = session.execute(
        select(Activity.id)
        .join(Location, Location.activity_id == Activity.id)
        .join(ActivityTheme, ActivityTheme.activity_id == Activity.id)
        .join(ActivityCategory, ActivityCategory.activity_id == Activity.id)
        .where(Location.woonplaats == "Bussum", ActivityTheme.theme_code == "eenzaamheid",
               ActivityCategory.category_code == "contact_ontmoeten", _current(dt.date.today()))
    ).scalars().all()
    assert bussum


def test_reimport_changes_nothing(engine):
    report = import_paths(engine, demo_files())
    assert report.ok
    assert (report.added, report.changed, report.ended) == (0, 0, 0)
    assert report.unchanged == len(_raw_activities())
