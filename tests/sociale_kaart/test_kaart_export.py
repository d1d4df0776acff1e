"""HSDS 3.0 export validates against the official schemas; YAML and CSV exports round-trip exactly."""

from __future__ import annotations

import copy
import json

from kaart_helpers import GOOD_YAML, fresh_engine, good_document, write_yaml

from sociale_kaart.export_csv import write_catalogue_csv
from sociale_kaart.export_hsds import catalogue_hsds
from sociale_kaart.export_yaml import catalogue_yaml
from sociale_kaart.hsds_schema import SCHEMA_DIR, hsds_errors
from sociale_kaart.importer import import_paths
from sociale_kaart.records import load_catalogue


def catalogue(engine) -> dict:
    with engine.connect() as connection:
        return load_catalogue(connection)


def rich_catalogue(tmp_path):
    """The good fixture plus an activity with a phone, two locations and a last-week rule."""
    document = good_document()
    extra = copy.deepcopy(document["activiteiten"][0])
    extra.update(
        id="act-twee-plekken",
        naam="Wandelgroep",
        categorieen=["bewegen_sporten", "natuur"],
        themas=["gezond_leven"],
        aanbod_in={"gemeenten": ["GM1942"]},
    )
    extra["contact"] = {"telefoon": "035 123 45 67", "email": "wandel@buurt.example.org"}
    extra["locaties"] = [
        {
            "naam": "Start bij de kerk",
            "straat": "Kerkstraat 1",
            "postcode": "1401 AB",
            "woonplaats": "Bussum",
        },
        {"naam": "Het bos"},
    ]
    extra["rooster"] = {
        "omschrijving": "laatste vrijdag van de maand",
        "regels": [{"freq": "maandelijks", "week": -1, "dag": "vr", "van": "09:00", "tot": "10:30"}],
    }
    extra["kosten"] = {"bedrag": "1,75", "per": "keer", "omschrijving": "eerste keer gratis"}
    extra["toegankelijkheid"] = '=HYPERLINK("https://evil.example.org") < 18 jaar: met ouder'
    document["activiteiten"].append(extra)
    return write_yaml(tmp_path / "rijk.yml", document)


def test_hsds_export_validates_against_the_official_schemas(tmp_path):
    engine = fresh_engine(tmp_path)
    assert import_paths(engine, [rich_catalogue(tmp_path)]).ok
    document = catalogue_hsds(engine)
    assert hsds_errors(document) == []
    assert len(document["services"]) == 4
    walk = next(s for s in document["services"] if s["id"] == "act-twee-plekken")
    assert walk["schedules"][0]["byday"] == "-1FR" and walk["schedules"][0]["freq"] == "MONTHLY"
    assert walk["phones"][0]["number"] == "035 123 45 67"
    assert walk["cost_options"][0]["amount"] == 1.75
    assert [s["name"] for s in walk["service_areas"]] == ["Gooise Meren"]
    address = walk["service_at_locations"][0]["location"]["addresss"][0]
    assert (address["city"], address["state_province"], address["country"]) == (
        "Bussum",
        "Noord-Holland",
        "NL",
    )
    assert "addresss" not in walk["service_at_locations"][1]["location"]
    terms = {a["taxonomy_term"]["code"] for a in walk["attributes"] if "taxonomy_term" in a}
    assert {"bewegen_sporten", "natuur", "gezond_leven", "ouderen"} <= terms
    values = {a["link_type"]: a["value"] for a in walk["attributes"] if "value" in a}
    assert values["aanmelden_wijze"] == "gewoon_langskomen" and values["eerste_keer_begeleiding"] == "ja"
    closed = next(s for s in document["services"] if s["id"] == "act-mantelzorg-regio")
    assert closed["status"] == "temporarily closed"
    json.dumps(document)  # plain JSON, no dates or other objects


def test_schema_check_catches_broken_exports(tmp_path):
    engine = fresh_engine(tmp_path)
    import_paths(engine, [GOOD_YAML])
    document = catalogue_hsds(engine)
    document["services"][0]["status"] = "open"
    del document["services"][0]["service_at_locations"][0]["location"]["addresss"][0]["postal_code"]
    document["organizations"][0].pop("description")
    errors = hsds_errors(document)
    assert len(errors) == 3
    assert any("services[0].service_at_locations[0].location.addresss[0]" in e for e in errors)


def test_schema_files_and_licence_are_shipped():
    names = {path.name for path in SCHEMA_DIR.glob("*.json")}
    assert {
        "service.json",
        "organization.json",
        "location.json",
        "schedule.json",
        "service_area.json",
        "taxonomy_term.json",
        "service_at_location.json",
    } <= names
    assert "Attribution-ShareAlike 4.0" in (SCHEMA_DIR / "LICENSE.md").read_text(encoding="utf-8")


def test_yaml_round_trip_is_exact(tmp_path):
    first = fresh_engine(tmp_path, "eerste.db")
    assert import_paths(first, [rich_catalogue(tmp_path)]).ok
    exported = tmp_path / "export.yml"
    exported.write_text(catalogue_yaml(first), encoding="utf-8")
    second = fresh_engine(tmp_path, "tweede.db")
    report = import_paths(second, [exported])
    assert report.ok, [str(p) for p in report.problems]
    assert catalogue(second) == catalogue(first)
    assert catalogue_yaml(second) == exported.read_text(encoding="utf-8")


def test_csv_round_trip_is_exact(tmp_path):
    first = fresh_engine(tmp_path, "eerste.db")
    assert import_paths(first, [rich_catalogue(tmp_path)]).ok
    files = write_catalogue_csv(first, tmp_path / "csv")
    assert sorted(p.name for p in files) == ["activiteiten.csv", "catalogus.csv", "organisaties.csv"]
    activities_csv = (tmp_path / "csv" / "activiteiten.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in activities_csv  # a spreadsheet shows it as text, not as a formula
    second = fresh_engine(tmp_path, "tweede.db")
    report = import_paths(second, files)
    assert report.ok, [str(p) for p in report.problems]
    assert catalogue(second) == catalogue(first)
    again = write_catalogue_csv(second, tmp_path / "csv2")
    assert [p.read_text(encoding="utf-8") for p in again] == [p.read_text(encoding="utf-8") for p in files]
    # Importing the export into the same database changes nothing.
    same = import_paths(first, files)
    assert (same.added, same.changed, same.ended) == (0, 0, 0)


def test_round_trip_keeps_ended_activities(tmp_path):
    document = good_document()
    document["activiteiten"][2]["status"] = "beeindigd"
    first = fresh_engine(tmp_path, "eerste.db")
    import_paths(first, [write_yaml(tmp_path / "k.yml", document)])
    files = write_catalogue_csv(first, tmp_path / "csv")
    second = fresh_engine(tmp_path, "tweede.db")
    import_paths(second, files)
    assert catalogue(second) == catalogue(first)


def test_hsds_round_trip_is_exact(tmp_path):
    first = fresh_engine(tmp_path, "eerste.db")
    assert import_paths(first, [rich_catalogue(tmp_path)]).ok
    exported = tmp_path / "hsds.json"
    exported.write_text(json.dumps(catalogue_hsds(first), ensure_ascii=False), encoding="utf-8")
    second = fresh_engine(tmp_path, "tweede.db")
    report = import_paths(second, [exported])
    assert report.ok, [str(p) for p in report.problems]
    assert catalogue(second) == catalogue(first)


def test_hsds_import_of_a_foreign_file_gets_dutch_problems(tmp_path):
    engine = fresh_engine(tmp_path)
    foreign = {
        "organizations": [{"id": "org-x", "name": "X", "description": "Een organisatie."}],
        "services": [
            {
                "id": "svc-1",
                "organization_id": "org-x",
                "name": "Hulp",
                "status": "active",
                "description": "Hulp bij post.",
                "email": "hulp@x.example.org",
                "attributes": [{"id": "a1", "link_type": "categorie", "taxonomy_term": {"code": "post"}}],
            }
        ],
    }
    path = tmp_path / "ander.json"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    report = import_paths(engine, [path])
    codes = sorted(p.code for p in report.problems)
    assert codes == ["categorie_onbekend", "kosten_leeg", "lijst_leeg", "veld_ontbreekt", "veld_ontbreekt"]
    assert catalogue(engine)["activiteiten"] == []
    broken = tmp_path / "kapot.json"
    broken.write_text("{", encoding="utf-8")
    assert [p.code for p in import_paths(engine, [broken]).problems] == ["json_onleesbaar"]
