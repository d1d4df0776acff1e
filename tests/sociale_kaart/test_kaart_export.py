"""YAML and CSV exports round-trip exactly (the HSDS export: test_hsds_export.py)."""

from __future__ import annotations

import copy

from kaart_helpers import fresh_engine, good_document, write_yaml

from sociale_kaart.export_csv import write_catalogue_csv
from sociale_kaart.export_yaml import catalogue_yaml
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


def test_broken_json_is_refused(tmp_path):
    engine = fresh_engine(tmp_path)
    broken = tmp_path / "kapot.json"
    broken.write_text("{", encoding="utf-8")
    assert [p.code for p in import_paths(engine, [broken]).problems] == ["json_onleesbaar"]
