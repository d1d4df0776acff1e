"""The read-only Open Referral API at /api/hsds/ over the real web app and a real SQLite file
with the demo catalogue: every response valid against the official HSDS 3.0 schemas (format
checks on), the spec's paging, search, taxonomy_term_id, modified_after; only published entries."""

from __future__ import annotations

import copy
import datetime as dt
import time
from pathlib import Path

import pytest
import yaml
from channel_standins import channel_settings, unused_url
from jsonschema import Draft202012Validator
from sqlalchemy import func, or_, select
from starlette.testclient import TestClient

from bot.web.app import create_app
from sociale_kaart import models
from sociale_kaart.db import make_engine, migrate
from sociale_kaart.export_hsds import organization_id, service_id, taxonomy_id, term_id
from sociale_kaart.hsds_schema import format_checker, object_errors, openapi, page_errors
from sociale_kaart.importer import import_paths
from sociale_kaart.records import ACTIVITY

ROOT = Path(__file__).resolve().parents[2]
DEMO = sorted((ROOT / "sociale_kaart" / "demo").glob("*.yml"))
GOOD = ROOT / "tests" / "sociale_kaart" / "fixtures" / "kaart_good.yml"


def _later_file(tmp_path) -> Path:
    """The test catalogue: one entry ended, one past its end date, the others published."""
    document = copy.deepcopy(yaml.safe_load(GOOD.read_text(encoding="utf-8")))
    document["activiteiten"][1]["status"] = "beeindigd"
    document["activiteiten"][2]["geldig_tot"] = "2020-01-01"
    document["activiteiten"][2]["geldig_van"] = "2019-01-01"
    path = tmp_path / "later.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hsds_api")
    with pytest.MonkeyPatch.context() as monkeypatch:
        settings = channel_settings(monkeypatch, tmp_path, unused_url())
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    assert import_paths(engine, DEMO).ok
    time.sleep(1.1)
    between = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    time.sleep(1.1)
    assert import_paths(engine, [_later_file(tmp_path)]).ok
    with TestClient(create_app(settings)) as client:
        client.engine, client.between = engine, between
        yield client


def get(api, path: str, status: int = 200, **params):
    response = api.get(f"/api/hsds{path}", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def published_count(api, *where) -> int:
    today = dt.date.today()
    with api.engine.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(ACTIVITY)
            .where(
                ACTIVITY.c.status != "beeindigd",
                or_(ACTIVITY.c.geldig_tot.is_(None), ACTIVITY.c.geldig_tot >= today),
                *where,
            )
        ).scalar_one()


def test_metadata_root_and_openapi(api):
    root = get(api, "/")
    assert root["version"] == "3.0" and root["openapi_url"].endswith("/api/hsds/openapi.json")
    # The root's schema in the spec's openapi.json, with the format checks (profile, openapi_url: uri).
    schema = openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert list(Draft202012Validator(schema, format_checker=format_checker()).iter_errors(root)) == []
    bad = {**root, "openapi_url": "geen adres"}
    assert list(Draft202012Validator(schema, format_checker=format_checker()).iter_errors(bad))
    spec = get(api, "/openapi.json")
    assert {"/services", "/services/{id}", "/organizations", "/service_at_locations"} <= set(spec["paths"])
    assert "REQUIRED" not in spec["info"]["title"] and spec["servers"][0]["url"].endswith("/api/hsds")
    assert api.get("/api/hsds/services").headers["access-control-allow-origin"] == "*"


def test_services_pages_are_valid_and_walk_every_published_entry(api):
    expected = published_count(api)
    assert expected > 400
    seen, page = [], 1
    while True:
        body = get(api, "/services", page=page, per_page=100)
        assert page_errors(body, "compiled/service_list.json") == []
        assert body["total_items"] == expected and body["page_number"] == page
        assert body["total_pages"] == -(-expected // 100) and body["first_page"] == (page == 1)
        seen += [s["id"] for s in body["contents"]]
        if body["last_page"]:
            break
        assert body["size"] == 100
        page += 1
    assert len(seen) == len(set(seen)) == expected
    # Only published: the ended entry and the one past its end date are not there.
    assert service_id("act-mantelzorg-regio") not in seen and service_id("act-online-geld") not in seen
    assert service_id("act-koffie-oost") in seen
    beyond = get(api, "/services", page=page + 1, per_page=100)
    assert beyond["contents"] == [] and beyond["empty"] is False and beyond["last_page"] is True


def test_full_services_and_one_service_are_valid_nested_hsds(api):
    body = get(api, "/services", per_page=25, full="true")
    assert page_errors(body, "service.json") == [] and len(body["contents"]) == 25
    assert all(s["attributes"] and s["organization"]["id"] for s in body["contents"])
    one = get(api, f"/services/{service_id('act-koffie-oost')}")
    assert object_errors(one, "service.json") == []
    assert one["name"] == "Koffieochtend in de buurtkamer" and one["organization"]["name"]
    assert [s["byday"] for s in one["schedules"]] == ["TU", "1TH"]
    get(api, f"/services/{service_id('act-mantelzorg-regio')}", status=404)  # ended
    get(api, f"/services/{service_id('act-online-geld')}", status=404)  # past its end date
    assert "bestaat niet" in get(api, "/services/act-koffie-oost", status=404)["error"]


def test_a_list_item_is_the_one_to_one_part_of_the_full_service(api):
    """The list pages are built by a faster path (one joined query, cached JSON): the same fields."""
    for page in (1, 3):
        listed = get(api, "/services", per_page=40, page=page)["contents"]
        full = get(api, "/services", per_page=40, page=page, full="true")["contents"]
        assert len(listed) == len(full) == 40
        for short, whole in zip(listed, full, strict=True):
            flat = {k: v for k, v in whole.items() if not isinstance(v, (list, dict))}
            assert {k: v for k, v in short.items() if k != "organization"} == flat
            assert short["organization"] == {
                k: v for k, v in whole["organization"].items() if not isinstance(v, list)
            }
    again = get(api, "/services", per_page=40, page=3)  # now from the cache of serialised services
    assert [s["id"] for s in again["contents"]] == [s["id"] for s in listed]


def test_search(api):
    body = get(api, "/services", search="koffie", per_page=200)
    assert page_errors(body, "compiled/service_list.json") == []
    assert body["total_items"] >= 2
    assert all("koffie" in (s["name"] + s["description"]).lower() for s in body["contents"])
    expected = published_count(
        api, or_(ACTIVITY.c.naam.ilike("%koffie%"), ACTIVITY.c.beschrijving.ilike("%koffie%"))
    )
    assert body["total_items"] == expected
    assert get(api, "/services", search="100%_zeker")["empty"] is True  # LIKE wildcards are escaped


def test_taxonomy_term_and_taxonomy_filters(api):
    term = term_id("thema", "eenzaamheid")
    body = get(api, "/services", taxonomy_term_id=term, per_page=1000, full="true")
    assert page_errors(body, "service.json") == []
    links = models.ActivityTheme.__table__
    expected = published_count(
        api, ACTIVITY.c.id.in_(select(links.c.activity_id).where(links.c.theme_code == "eenzaamheid"))
    )
    assert body["total_items"] == expected > 0
    assert all(any(a.get("taxonomy_term_id") == term for a in s["attributes"]) for s in body["contents"])
    assert get(api, "/services", taxonomy_term_id="geen-term")["empty"] is True
    groups = get(api, "/services", taxonomy_id=taxonomy_id("doelgroep"))
    assert 0 < groups["total_items"] < published_count(api)


def test_modified_after(api):
    since = api.between.isoformat().replace("+00:00", "Z")
    body = get(api, "/services", modified_after=since)
    assert page_errors(body, "compiled/service_list.json") == []
    assert {s["name"] for s in body["contents"]} == {"Koffieochtend in de buurtkamer"}
    assert all(s["last_modified"] >= since for s in body["contents"])
    assert get(api, "/services", modified_after="2000-01-01")["total_items"] == published_count(api)
    assert "geen datum" in get(api, "/services", modified_after="gisteren", status=400)["error"]


def test_organizations(api):
    body = get(api, "/organizations", per_page=200)
    assert page_errors(body, "compiled/organization_list.json") == []
    assert body["total_items"] == len(body["contents"]) > 3
    ids = {o["id"] for o in body["contents"]}
    assert organization_id("org-buurt-hilversum") in ids
    full = get(api, "/organizations", per_page=5, full="true")
    assert page_errors(full, "organization.json") == []
    one = get(api, f"/organizations/{organization_id('org-buurt-hilversum')}")
    assert object_errors(one, "organization.json") == []
    assert [s["name"] for s in one["services"]] == ["Koffieochtend in de buurtkamer"]
    assert one["organization_identifiers"][0]["identifier"] == "org-buurt-hilversum"
    # Its services through the organization_id filter.
    by_org = get(api, "/services", organization_id=organization_id("org-buurt-hilversum"))
    assert [s["name"] for s in by_org["contents"]] == ["Koffieochtend in de buurtkamer"]
    # An organisation with nothing published is not published either.
    get(api, f"/organizations/{organization_id('org-regio-gooi')}", status=404)
    assert organization_id("org-regio-gooi") not in ids


def test_minimal_format_and_full_service_of_the_spec(api):
    minimal = get(api, "/services", minimal="true", per_page=1000)
    assert page_errors({**minimal, "contents": []}, "compiled/service_list.json") == []
    assert minimal["total_items"] == minimal["size"] == published_count(api)  # all in one call
    assert all(set(item) == {"id", "last_modified"} for item in minimal["contents"])
    full = get(api, "/services", per_page=1000)["contents"]
    assert minimal["contents"] == [{"id": s["id"], "last_modified": s["last_modified"]} for s in full]
    for item in minimal["contents"][:50]:  # the formats of those two fields, with the official checks
        assert object_errors({**item, "name": "x", "status": "active"}, "compiled/service_list.json") == []
    assert get(api, "/services", format="json", per_page=3)["size"] == 3
    assert "format=json" in get(api, "/services", status=400, format="ndjson")["error"]
    one = get(api, f"/organizations/{organization_id('org-buurt-hilversum')}", full_service="true")
    assert object_errors(one, "organization.json") == []
    [service] = one["services"]
    assert object_errors(service, "service.json") == [] and service["schedules"] and service["attributes"]
    assert (
        "true of false"
        in get(
            api, f"/organizations/{organization_id('org-buurt-hilversum')}", status=400, full_service="ja"
        )["error"]
    )


def test_taxonomies_and_terms(api):
    taxonomies = get(api, "/taxonomies")
    assert page_errors(taxonomies, "taxonomy.json") == [] and taxonomies["total_items"] == 3
    themes = get(api, "/taxonomy_terms", taxonomy_id=taxonomy_id("thema"), per_page=100)
    assert page_errors(themes, "taxonomy_term.json") == []
    assert themes["total_items"] == len(themes["contents"]) >= 10
    assert {t["taxonomy_id"] for t in themes["contents"]} == {taxonomy_id("thema")}
    one = get(api, f"/taxonomy_terms/{term_id('thema', 'eenzaamheid')}")
    assert object_errors(one, "taxonomy_term.json") == [] and one["code"] == "eenzaamheid"
    assert object_errors(get(api, f"/taxonomies/{taxonomy_id('thema')}"), "taxonomy.json") == []
    assert get(api, "/taxonomy_terms", search="eenzaam")["total_items"] >= 1


def test_service_at_locations(api):
    body = get(api, "/service_at_locations", per_page=50)
    assert page_errors(body, "compiled/service_at_location_list.json") == []
    assert body["total_items"] > 50 and body["size"] == 50
    first = body["contents"][0]
    one = get(api, f"/service_at_locations/{first['id']}")
    assert object_errors(one, "service_at_location.json") == []
    assert object_errors(one["service"], "service.json") == []
    assert one["location"]["id"] == first["location_id"]
    koffie = get(api, "/service_at_locations", organization_id=organization_id("org-buurt-hilversum"))
    assert [s["location"]["name"] for s in koffie["contents"]] == ["Buurtkamer Oost"]
    get(api, "/service_at_locations/00000000-0000-0000-0000-000000000000", status=404)


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "twee"}, {"per_page": "100000"}, {"full": "misschien"}, {"search": "x" * 201}],
)
def test_bad_parameters_get_a_400_in_dutch(api, params):
    error = get(api, "/services", status=400, **params)["error"]
    assert "moet" in error or "hoogstens" in error


def test_a_change_in_the_catalogue_is_served_at_once(tmp_path):
    """The API caches id lists per catalogue version; an import or an ended entry shows at once."""
    from sociale_kaart.hsds_feed import HsdsFeed, Query

    url = f"sqlite:///{tmp_path / 'k.db'}"
    migrate(url)
    engine = make_engine(url)
    document = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    first = tmp_path / "k.yml"
    first.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert import_paths(engine, [first]).ok
    feed = HsdsFeed(engine)
    before = feed.services(Query())["total_items"]
    assert feed.service(service_id("act-koffie-oost")) is not None
    document["activiteiten"][0]["status"] = "beeindigd"
    first.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert import_paths(engine, [first]).ok
    assert feed.services(Query())["total_items"] == before - 1
    assert feed.service(service_id("act-koffie-oost")) is None
    # A new organisation with a new activity, seconds after the last page was read.
    organisation = {**document["organisaties"][0], "id": "org-nieuw", "naam": "Nieuwe Stichting"}
    activity = {
        **document["activiteiten"][0],
        "id": "act-nieuw",
        "organisatie": "org-nieuw",
        "status": "actief",
    }
    document["organisaties"].append(organisation)
    document["activiteiten"].append(activity)
    first.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert import_paths(engine, [first]).ok
    page = feed.services(Query(per_page=100))
    assert page["total_items"] == page["size"] == before
    [new] = [s for s in page["contents"] if s["id"] == service_id("act-nieuw")]
    assert new["organization"]["name"] == "Nieuwe Stichting"


def test_the_warm_up_serialises_every_service_and_pages_stay_the_same(api, monkeypatch):
    """Big catalogues get every list item serialised in the background once per version; the
    pages are the same as without it, and an organisation's edit shows after ORGANISATION_SECONDS."""
    from sociale_kaart import hsds_service_cache
    from sociale_kaart.hsds_feed import HsdsFeed, Query

    monkeypatch.setattr(hsds_service_cache, "PREWARM_FROM", 1)
    cold = HsdsFeed(api.engine, prewarm=False)
    warm = HsdsFeed(api.engine)
    first = warm.services(Query(per_page=7))
    deadline = time.monotonic() + 120
    while warm.serialised_services() < published_count(api):
        assert time.monotonic() < deadline, "warm-up did not finish"
        time.sleep(0.2)
    assert first == cold.services(Query(per_page=7))
    for page in (1, 9, 30):
        assert warm.services(Query(page=page, per_page=13)) == cold.services(Query(page=page, per_page=13))
    # An organisation's own edit (it leaves the activities' version alone).
    monkeypatch.setattr(hsds_service_cache, "ORGANISATION_SECONDS", 0)
    organisations = models.Organisation.__table__
    with api.engine.begin() as connection:
        before = connection.execute(
            select(organisations.c.naam).where(organisations.c.id == "org-buurt-hilversum")
        ).scalar_one()
        connection.execute(
            organisations.update()
            .where(organisations.c.id == "org-buurt-hilversum")
            .values(naam="Buurtwerk Oost")
        )
    try:
        found = warm.services(Query(organization_id=organization_id("org-buurt-hilversum")))
        assert [s["organization"]["name"] for s in found["contents"]] == ["Buurtwerk Oost"]
    finally:
        with api.engine.begin() as connection:
            connection.execute(
                organisations.update().where(organisations.c.id == "org-buurt-hilversum").values(naam=before)
            )


def test_the_feed_on_postgresql(postgres_url, tmp_path):
    """The same queries on PostgreSQL (ILIKE with escapes, the filters, the uuid maps)."""
    from sociale_kaart.hsds_feed import HsdsFeed, Query

    migrate(postgres_url)
    engine = make_engine(postgres_url)
    assert import_paths(engine, [_later_file(tmp_path)]).ok
    feed = HsdsFeed(engine)
    page = feed.services(Query(full=True))
    assert page_errors(page, "service.json") == []
    assert {s["name"] for s in page["contents"]} == {"Koffieochtend in de buurtkamer"}
    assert feed.services(Query(search="KOFFIE"))["total_items"] == 1
    assert feed.services(Query(search="100%"))["empty"] is True
    term = term_id("thema", "eenzaamheid")
    assert feed.services(Query(taxonomy_term_id=term))["total_items"] == 1
    assert feed.services(Query(modified_after=dt.datetime(2000, 1, 1)))["total_items"] == 1
    one = feed.service(service_id("act-koffie-oost"))
    assert object_errors(one, "service.json") == []
    assert feed.service(service_id("act-mantelzorg-regio")) is None
    organizations = feed.organizations(Query())
    assert page_errors(organizations, "compiled/organization_list.json") == []
    assert feed.organization(organization_id("org-buurt-hilversum"))["services"][0]["name"]
    places = feed.service_at_locations(Query())
    assert page_errors(places, "compiled/service_at_location_list.json") == [] and places["total_items"] == 1
    engine.dispose()
