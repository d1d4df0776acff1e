"""Others' HSDS 3.0 data (the official examples: every JSON shape and the CSV datapackage) imports
through the taxonomy crosswalk; what does not map is reported per field in Dutch, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kaart_helpers import fresh_engine
from test_kaart_export import catalogue, rich_catalogue

from sociale_kaart.cli import main
from sociale_kaart.crosswalk import CrosswalkError, load_crosswalk
from sociale_kaart.export_hsds import catalogue_hsds
from sociale_kaart.import_hsds import import_hsds
from sociale_kaart.importer import import_paths

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "hsds3"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"  # the one service of the official examples
FULL_SHAPES = ["service_full.json", "organization_full.json", "service_at_location_full.json"]
LIST_SHAPES = [
    "service_list.json",
    "service_at_location_list.json",
    "csv",
    "csv/datapackage.json",
    "tabular.json",  # the same tables in one JSON object
]


@pytest.mark.parametrize("shape", FULL_SHAPES)
def test_the_full_official_examples_import_with_the_crosswalk(tmp_path, shape):
    engine = fresh_engine(tmp_path)
    result = import_hsds(engine, EXAMPLES / shape, load_crosswalk(EXAMPLES / "crosswalk.yml"))
    assert result.imported, [s.problems for s in result.services]
    [activity] = catalogue(engine)["activiteiten"]
    assert activity["id"] == SERVICE and activity["naam"] == "Community Counselling"
    assert (activity["categorieen"], activity["themas"]) == (["hulp_advies"], ["stress"])
    assert activity["aanbod_in"] == {"gemeenten": ["GM0402"]}  # the address's city, through 'plaatsen'
    # iCal byday "TH,FR" with HH:MM:SS times: two weekly rules.
    assert activity["rooster"]["regels"] == [
        {"freq": "wekelijks", "dag": "do", "week": None, "van": "10:00", "tot": "18:00"},
        {"freq": "wekelijks", "dag": "vr", "week": None, "van": "10:00", "tot": "18:00"},
    ]
    assert (activity["doelgroep"]["leeftijd_min"], activity["doelgroep"]["leeftijd_max"]) == (12, 100)
    assert activity["contact"]["telefoon"] == "+44 1234 234567"
    assert activity["kosten"]["bedrag"] is None and "£50" in activity["kosten"]["omschrijving"]
    assert activity["locaties"] == [
        {"naam": "MyCity Civic Center", "straat": None, "postcode": None, "woonplaats": None}
    ]
    assert activity["organisatie"] == "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    [entry] = result.services
    warned = dict(entry.warnings)
    assert "GBP" in warned["kosten.bedrag"] and "Nederlands adres" in warned["locaties[0]"]
    assert any("byweekno" in reason for where, reason in entry.warnings if where == "rooster")


@pytest.mark.parametrize("shape", LIST_SHAPES)
def test_the_list_shapes_and_the_csv_datapackage_import_with_source_defaults(tmp_path, shape):
    engine = fresh_engine(tmp_path)
    bare = import_hsds(engine, EXAMPLES / shape, load_crosswalk(EXAMPLES / "crosswalk.yml"))
    assert not bare.imported and catalogue(engine)["activiteiten"] == []
    assert {where for where, _ in bare.services[0].problems} >= {"categorieen", "themas"}
    result = import_hsds(engine, EXAMPLES / shape, load_crosswalk(EXAMPLES / "crosswalk_lijsten.yml"))
    assert result.imported, [s.problems for s in result.services]
    [activity] = catalogue(engine)["activiteiten"]
    assert activity["id"] == SERVICE and activity["aanbod_in"] == {"gemeenten": ["GM0402"]}
    assert activity["categorieen"] == ["hulp_advies"]
    if shape.startswith(("csv", "tabular")):  # the tabular form carries the schedule and the phone too
        assert [r["dag"] for r in activity["rooster"]["regels"]] == ["do", "vr"]
        assert activity["contact"]["telefoon"] == "+44 1234 234567"
        assert activity["talen"] == ["ur"]


def test_unmappable_records_are_reported_per_field_in_dutch_and_nothing_is_imported(tmp_path):
    engine = fresh_engine(tmp_path)
    document = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    other = json.loads(json.dumps(document))
    other["id"] = "0c7b0b0a-8f1c-4d8e-9a8e-0f6d1b2c3d4e"
    other["name"] = "Elders"
    other["status"] = "open"
    other["attributes"][0]["taxonomy_term"]["code"] = "onbekend"
    other["service_areas"] = [{"id": "1c7b0b0a-8f1c-4d8e-9a8e-0f6d1b2c3d4e", "name": "Atlantis"}]
    other["service_at_locations"] = []
    other["cost_options"], other["fees_description"], other["fees"] = [], None, None
    path = tmp_path / "twee.json"
    path.write_text(json.dumps({"services": [document, other]}), encoding="utf-8")
    crosswalk = load_crosswalk(EXAMPLES / "crosswalk.yml")
    result = import_hsds(engine, path, crosswalk)
    assert not result.imported and catalogue(engine)["activiteiten"] == []
    good, bad = result.services
    assert good.fits and not bad.fits
    reasons = dict(bad.problems)
    assert set(reasons) == {"categorieen", "themas", "aanbod_in", "status", "kosten"}
    assert (
        "staan niet in de crosswalk" in reasons["categorieen"] and "'onbekend'" not in reasons["categorieen"]
    )
    assert "'Atlantis' is geen gemeente" in reasons["aanbod_in"]
    assert "status 'open' kennen we niet" in reasons["status"]
    # With the option, the one that fits goes in.
    partial = import_hsds(engine, path, crosswalk, only_fitting=True)
    assert partial.imported and [a["naam"] for a in catalogue(engine)["activiteiten"]] == [
        "Community Counselling"
    ]


def test_our_own_export_round_trips_exactly(tmp_path):
    first = fresh_engine(tmp_path, "eerste.db")
    assert import_paths(first, [rich_catalogue(tmp_path)]).ok
    exported = tmp_path / "hsds.json"
    exported.write_text(json.dumps(catalogue_hsds(first), ensure_ascii=False), encoding="utf-8")
    second = fresh_engine(tmp_path, "tweede.db")
    result = import_hsds(second, exported)
    assert result.imported, [(s.hsds_id, s.problems) for s in result.unfit]
    assert all(not s.warnings for s in result.services)
    assert catalogue(second) == catalogue(first)
    # The general import command reads it too.
    third = fresh_engine(tmp_path, "derde.db")
    report = import_paths(third, [exported])
    assert report.ok, [str(p) for p in report.problems]
    assert catalogue(third) == catalogue(first)


def test_a_broken_crosswalk_is_refused_with_dutch_reasons(tmp_path):
    path = tmp_path / "cw.yml"
    path.write_text(
        "termen:\n  - code: x\n    categorieen: [bestaat_niet]\nplaatsen:\n  Ergens: Nergenshuizen\n",
        encoding="utf-8",
    )
    with pytest.raises(CrosswalkError) as caught:
        load_crosswalk(path)
    text = " ".join(caught.value.problems)
    assert "'bestaat_niet' is geen categorie" in text and "'Nergenshuizen' is geen gemeente" in text


def test_cli_import_hsds_and_crosswalk(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert main(["--database-url", url, "migrate"]) == 0
    example = str(EXAMPLES / "service_full.json")
    assert main(["--database-url", url, "import-hsds", example]) == 1
    out = capsys.readouterr().out
    assert "Er is niets ingelezen" in out and "staan niet in de crosswalk" in out
    crosswalk = str(EXAMPLES / "crosswalk.yml")
    assert main(["--database-url", url, "import-hsds", example, "--crosswalk", crosswalk]) == 0
    assert "1 toegevoegd" in capsys.readouterr().out
    assert main(["crosswalk", example, "--crosswalk", crosswalk]) == 1  # the service area sentence
    out = capsys.readouterr().out
    assert "MyCity: GM0402" in out and "NIET HERKEND" in out and "stress" in out


def test_unreadable_input_gets_one_dutch_reason(tmp_path):
    engine = fresh_engine(tmp_path)
    deep = tmp_path / "diep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    broken = tmp_path / "kapot.json"
    broken.write_text('{"services": [', encoding="utf-8")
    other = tmp_path / "anders.json"
    other.write_text('{"items": [1, 2]}', encoding="utf-8")
    empty = tmp_path / "leeg"
    empty.mkdir()
    reasons = [import_hsds(engine, path).read_problem for path in (deep, broken, other, empty)]
    assert "te diep genest" in reasons[0]
    assert "geen geldige JSON" in reasons[1]
    assert "geen HSDS-bestand" in reasons[2]
    assert "services.csv" in reasons[3]


def test_the_general_import_command_gives_the_mapping_reasons_too(tmp_path):
    engine = fresh_engine(tmp_path)
    report = import_paths(engine, [EXAMPLES / "service_full.json"])
    assert not report.ok and catalogue(engine)["activiteiten"] == []
    texts = [str(p) for p in report.problems if p.code == "hsds_niet_passend"]
    assert any("services[0] (Community Counselling).categorieen" in t and "crosswalk" in t for t in texts)
    assert any(".aanbod_in" in t and "'MyCity'" in t for t in texts)
