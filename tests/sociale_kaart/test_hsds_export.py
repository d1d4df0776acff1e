"""The HSDS 3.0 export is valid against the current official schemas, with format checks (UUIDs) on."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from kaart_helpers import GOOD_YAML, fresh_engine
from test_kaart_export import rich_catalogue

from sociale_kaart.export_hsds import catalogue_hsds, organization_id, service_id
from sociale_kaart.hsds_schema import CHECKED_FORMATS, SCHEMA_DIR, format_checker, hsds_errors, object_errors
from sociale_kaart.importer import import_paths

DEMO_DIR = Path(__file__).resolve().parents[2] / "sociale_kaart" / "demo"


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    engine = fresh_engine(tmp_path_factory.mktemp("hsds_demo"))
    report = import_paths(engine, sorted(DEMO_DIR.glob("*.yml")))
    assert report.ok, [str(p) for p in report.problems[:5]]
    return engine


def test_the_format_check_rejects_an_id_that_is_not_a_uuid():
    good = {"id": str(uuid.uuid4()), "name": "Koffie", "status": "active"}
    assert object_errors(good, "service.json") == []
    assert object_errors({**good, "id": "act-koffie"}, "service.json") == [
        ".id: 'act-koffie' is not a 'uuid'"
    ]
    nested = {**good, "phones": [{"id": "telefoon-1", "number": "020 123 45 67"}]}
    assert object_errors(nested, "service.json") == [".phones[0].id: 'telefoon-1' is not a 'uuid'"]


def test_every_format_of_the_schemas_is_really_checked():
    """jsonschema skips a format silently when its optional library is missing: date-time and
    uri must be rejected here, not passed."""
    assert set(CHECKED_FORMATS) <= set(format_checker().checkers)
    good = {
        "id": str(uuid.uuid4()),
        "name": "Koffie",
        "status": "active",
        "url": "https://example.org/koffie",
        "email": "info@example.org",
        "last_modified": "2026-12-01T09:30:00Z",
    }
    assert object_errors(good, "service.json") == []
    assert object_errors({**good, "last_modified": "2026-12-01T09:30:00+01:00"}, "service.json") == []
    bad = {
        "last_modified": ["2026-12-01 kwart over negen", "2026-13-01T09:30:00Z", "2026-12-01T09:30:00"],
        "url": ["geen adres", "https://exa mple.org/"],
        "email": ["info.example.org"],
        "id": ["00000000-0000-0000-0000-00000000000", "act-koffie"],
    }
    for key, values in bad.items():
        for value in values:
            errors = object_errors({**good, key: value}, "service.json")
            assert len(errors) == 1 and errors[0].startswith(f".{key}: "), (key, value, errors)
    # The same in the other object schemas and in the flat list schemas of the API.
    term = {"id": str(uuid.uuid4()), "name": "x", "description": "x", "term_uri": "geen uri"}
    assert object_errors(term, "taxonomy_term.json") == [".term_uri: 'geen uri' is not a 'uri'"]
    listed = {**good, "last_modified": "gisteren"}
    assert object_errors(listed, "compiled/service_list.json") == [
        ".last_modified: 'gisteren' is not a 'date-time'"
    ]


def test_the_whole_demo_catalogue_exports_valid_hsds(demo_engine):
    document = catalogue_hsds(demo_engine)
    assert len(document["services"]) == 439
    assert hsds_errors(document) == []
    ids = [s["id"] for s in document["services"]]
    assert len(set(ids)) == len(ids)
    assert all(str(uuid.UUID(i)) == i for i in ids)


def test_two_exports_give_the_same_ids_and_the_slugs_stay_readable(demo_engine, tmp_path):
    first, second = catalogue_hsds(demo_engine), catalogue_hsds(demo_engine)
    assert first == second
    # A fresh database with the same files gives the same ids too (nothing depends on row order).
    other = fresh_engine(tmp_path, "ander.db")
    import_paths(other, sorted(DEMO_DIR.glob("*.yml"), reverse=True))
    again = catalogue_hsds(other)
    assert [s["id"] for s in again["services"]] == [s["id"] for s in first["services"]]
    service = first["services"][0]
    slug = next(a["value"] for a in service["attributes"] if a["link_type"] == "welzijnswijzer_id")
    assert service["id"] == service_id(slug)
    organization = first["organizations"][0]
    identifier = organization["organization_identifiers"][0]
    assert identifier["identifier_scheme"] == "welzijnswijzer"
    assert organization["id"] == organization_id(identifier["identifier"])
    assert service_id("a") != organization_id("a")


def test_hsds_export_maps_our_fields(tmp_path):
    engine = fresh_engine(tmp_path)
    assert import_paths(engine, [rich_catalogue(tmp_path)]).ok
    document = catalogue_hsds(engine)
    assert hsds_errors(document) == []
    assert len(document["services"]) == 4
    walk = next(s for s in document["services"] if s["id"] == service_id("act-twee-plekken"))
    assert walk["schedules"][0]["byday"] == "-1FR" and walk["schedules"][0]["freq"] == "MONTHLY"
    assert (walk["schedules"][0]["opens_at"], walk["schedules"][0]["closes_at"]) == ("09:00:00", "10:30:00")
    assert walk["phones"][0]["number"] == "035 123 45 67"
    assert walk["cost_options"][0]["amount"] == 1.75
    assert [s["name"] for s in walk["service_areas"]] == ["Gooise Meren"]
    assert walk["last_modified"].endswith("Z")
    address = walk["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["city"], address["state_province"], address["country"]) == (
        "Bussum",
        "Noord-Holland",
        "NL",
    )
    assert "addresses" not in walk["service_at_locations"][1]["location"]
    terms = {a["taxonomy_term"]["code"] for a in walk["attributes"] if "taxonomy_term" in a}
    assert {"bewegen_sporten", "natuur", "gezond_leven", "ouderen"} <= terms
    values = {a["link_type"]: a["value"] for a in walk["attributes"] if "value" in a}
    assert values["aanmelden_wijze"] == "gewoon_langskomen" and values["eerste_keer_begeleiding"] == "ja"
    closed = next(s for s in document["services"] if s["id"] == service_id("act-mantelzorg-regio"))
    assert closed["status"] == "temporarily closed"
    json.dumps(document)  # plain JSON, no dates or other objects


def test_schema_check_catches_broken_exports(tmp_path):
    engine = fresh_engine(tmp_path)
    import_paths(engine, [GOOD_YAML])
    document = catalogue_hsds(engine)
    document["services"][0]["status"] = "open"
    del document["services"][0]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    document["organizations"][0].pop("description")
    document["taxonomy_terms"][0]["id"] = "categorie-koffie"
    errors = hsds_errors(document)
    assert len(errors) == 4, errors
    assert any("services[0].service_at_locations[0].location.addresses[0]" in e for e in errors)
    assert any("taxonomy_terms[0].id: 'categorie-koffie' is not a 'uuid'" in e for e in errors)


def test_schema_files_and_licence_are_shipped():
    names = {path.name for path in SCHEMA_DIR.glob("*.json")}
    assert {"service.json", "organization.json", "location.json", "schedule.json", "openapi.json"} <= names
    assert {p.name for p in (SCHEMA_DIR / "compiled").glob("*.json")} == {
        "service_list.json",
        "organization_list.json",
        "service_at_location_list.json",
    }
    licence = (SCHEMA_DIR / "LICENSE.md").read_text(encoding="utf-8")
    assert "Attribution-ShareAlike 4.0" in licence and "279fd2eb3552c349bf698c07c00cc25f5fc8249b" in licence
