"""Others' HSDS 3.0 data is not as tidy as the official examples: unknown extra fields, null for
lists and values, numbers as text, iCal byday lists, times with timezones, several taxonomies,
a CSV folder without datapackage.json. Our own made-up fixtures (tests/fixtures/hsds3/anderen)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from kaart_helpers import fresh_engine
from test_kaart_export import catalogue

from sociale_kaart.crosswalk import load_crosswalk
from sociale_kaart.import_hsds import import_hsds

OTHERS = Path(__file__).resolve().parents[1] / "fixtures" / "hsds3" / "anderen"
REPAIR = "7d3c4a2e-51b0-4f7e-9a11-2f0c8e6b1a01"
WALK = "9a0b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def _by_name(result) -> dict:
    return {entry.naam: entry for entry in result.services}


def test_a_directory_with_quirks_imports_what_maps_and_says_why_per_field(tmp_path):
    engine = fresh_engine(tmp_path)
    crosswalk = load_crosswalk(OTHERS / "crosswalk.yml")
    everything = import_hsds(engine, OTHERS / "buurtgids.json", crosswalk)
    assert not everything.imported and catalogue(engine)["activiteiten"] == []
    assert [s.naam for s in everything.unfit] == ["Budgetcursus"]
    budget = dict(_by_name(everything)["Budgetcursus"].problems)
    assert set(budget) == {"categorieen", "themas", "aanbod_in"}
    assert "'Geld' (code MONEY, taxonomie Een Taxonomie Die Niemand Kent)" in budget["categorieen"]
    assert "'Utrecht' is geen gemeente" in budget["aanbod_in"]
    assert "freq 'DAILY'" in dict(_by_name(everything)["Budgetcursus"].warnings)["rooster"]

    result = import_hsds(engine, OTHERS / "buurtgids.json", crosswalk, only_fitting=True)
    assert result.imported and result.report.added == 3
    activities = {a["id"]: a for a in catalogue(engine)["activiteiten"]}
    assert set(activities) == {REPAIR, "4711", WALK}  # a numeric id of others becomes text

    repair = activities[REPAIR]
    # Three taxonomies: activities (by name), needs (by the uri of its taxonomy_detail), Open Eligibility.
    assert (repair["categorieen"], repair["themas"]) == (
        ["creatief_cultuur"],
        ["eenzaamheid", "werk_en_meedoen"],
    )
    assert repair["doelgroep"] == {"leeftijd_min": 16, "leeftijd_max": None, "groepen": ["ouderen"]}
    # byday "TH,FR", times HH:MM:SS with a timezone offset: the local clock time.
    assert repair["rooster"]["regels"] == [
        {"freq": "wekelijks", "dag": "do", "week": None, "van": "13:30", "tot": "16:00"},
        {"freq": "wekelijks", "dag": "vr", "week": None, "van": "13:30", "tot": "16:00"},
    ]
    # The physical address, not the postal one; the postcode written our way.
    assert repair["locaties"] == [
        {
            "naam": "Wijkcentrum De Lelie",
            "straat": "Leliestraat 4",
            "postcode": "1215 AB",
            "woonplaats": "Hilversum",
        }
    ]
    assert repair["aanbod_in"] == {"gemeenten": ["GM0402"]}
    assert repair["talen"] == ["nl", "en"] and repair["kosten"]["gratis"] is True
    assert repair["laatst_gecontroleerd"]["datum"] == dt.date(2026, 9, 30)  # from 2026-09-30T14:00:00+02:00
    assert repair["contact"]["website"] == "https://repaircafe.example.org/"
    warned = dict(_by_name(result)["Repair Café De Schroevendraaier"].warnings)
    assert warned == {
        "categorieen": "de term met id 't-verdwenen' staat nergens in het bestand; die term is overgeslagen."
    }

    online = activities["4711"]
    # A term named only by its id (written out at the top of the list) and one by taxonomy_id.
    assert (online["categorieen"], online["themas"]) == (["contact_ontmoeten"], ["taal_en_regelzaken"])
    assert online["doelgroep"]["groepen"] == ["nieuwkomers"] and online["status"] == "actief"  # "ACTIVE"
    assert online["aanbod_in"] == {"online": True} and online["locaties"] == []
    assert [(r["dag"], r["van"], r["tot"]) for r in online["rooster"]["regels"]] == [
        ("ma", "19:00", "20:30"),
        ("wo", "19:00", "20:30"),
    ]  # "mo, we"; "19:00" and "20:30:00Z"
    assert online["contact"] == {
        "telefoon": None,
        "email": "info@buurtgids.example.org",
        "website": "https://buurtgids.example.org",
    }
    assert "die van de organisatie" in dict(_by_name(result)["Taalcafé online"].warnings)["contact"]

    walk = activities[WALK]
    assert walk["rooster"]["regels"] == [
        {"freq": "maandelijks", "dag": "za", "week": 1, "van": "10:00", "tot": "11:00"}
    ]
    assert walk["aanbod_in"] == {"gemeenten": ["GM0406", "GM0376"]}  # two service areas
    # The needs term is named by its taxonomy's name only here; the uri is known from the other service.
    assert (walk["categorieen"], walk["themas"]) == (
        ["bewegen_sporten", "natuur"],
        ["eenzaamheid", "werk_en_meedoen"],
    )
    assert (walk["kosten"]["bedrag"], walk["kosten"]["per"]) == (2.5, "per keer")  # no currency: euro

    organisations = catalogue(engine)["organisaties"]
    assert [(o["id"], o["naam"], o["beschrijving"]) for o in organisations] == [
        ("3f1b9c62-6a55-4c55-8a6e-1d2e3f405060", "Stichting Buurtgids", None)
    ]


def test_a_csv_folder_without_datapackage_with_bom_crlf_and_other_columns(tmp_path):
    engine = fresh_engine(tmp_path)
    folder = tmp_path / "tabel"
    shutil.copytree(OTHERS / "tabel", folder)
    assert not (folder / "datapackage.json").exists() and not (folder / "phones.csv").exists()
    assert (folder / "services.csv").read_bytes().startswith(b"\xef\xbb\xbfstatus,name,id")
    crosswalk = load_crosswalk(OTHERS / "crosswalk_tabel.yml")
    result = import_hsds(engine, folder, crosswalk, only_fitting=True)
    assert result.imported and result.report.added == 1
    assert dict(_by_name(result)["Zomerwandeling"].problems) == {
        "kosten": "er staat niets over kosten bij deze dienst (geen cost_options en geen fees_description)."
    }
    [cooking] = catalogue(engine)["activiteiten"]
    assert cooking["naam"] == "Samen koken" and cooking["organisatie"] == "org-77"
    # Terms that name their taxonomy only by taxonomy_id: matched by its uri and by its name.
    assert (cooking["categorieen"], cooking["themas"]) == (["koken_eten"], ["eenzaamheid"])
    assert cooking["doelgroep"] == {"leeftijd_min": 18, "leeftijd_max": None, "groepen": ["volwassenen"]}
    assert [r["dag"] for r in cooking["rooster"]["regels"]] == ["di", "do"]
    assert cooking["rooster"]["omschrijving"] == "Dinsdag en donderdag"
    assert cooking["locaties"][0]["woonplaats"] == "Huizen" and cooking["aanbod_in"] == {
        "gemeenten": ["GM0406"]
    }
    assert cooking["kosten"]["omschrijving"] == "EUR 3,50 per keer"
    assert cooking["laatst_gecontroleerd"]["datum"] == dt.date(2026, 5, 1)


def test_the_other_directory_with_a_fee_added_for_the_summer_walk(tmp_path):
    """What editors do after the report: add what is missing, import again, and it fits."""
    engine = fresh_engine(tmp_path)
    folder = tmp_path / "tabel"
    shutil.copytree(OTHERS / "tabel", folder)
    (folder / "cost_options.csv").write_text(
        "id,service_id,amount,currency,amount_description\n"
        "co-1,6c1f2a3b-4d5e-4f6a-9b0c-1d2e3f4a5b6c,0,EUR,\n",
        encoding="utf-8",
    )
    result = import_hsds(engine, folder, load_crosswalk(OTHERS / "crosswalk_tabel.yml"))
    assert result.imported and result.report.added == 2
    walk = next(a for a in catalogue(engine)["activiteiten"] if a["naam"] == "Zomerwandeling")
    assert walk["status"] == "tijdelijk_gesloten"  # HSDS "inactive"
    assert walk["aanbod_in"] == {"gemeenten": ["GM1942", "GM0406"]}  # a name and a CBS code
    assert [(r["dag"], r["van"], r["tot"]) for r in walk["rooster"]["regels"]] == [("zo", "10:00", "12:00")]
    assert walk["kosten"]["gratis"] is True


def test_nulls_everywhere_do_not_break_the_reader(tmp_path):
    document = json.loads((OTHERS / "buurtgids.json").read_text(encoding="utf-8"))
    service = document["contents"][0]
    for key in ("phones", "schedules", "languages", "cost_options", "service_areas", "attributes"):
        service[key] = None
    service["service_at_locations"] = [None, {"id": "x", "location": None}]
    service["organization"]["organization_identifiers"] = None
    document["contents"] = [service, None, 7]
    path = tmp_path / "leeg.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = import_hsds(fresh_engine(tmp_path), path, load_crosswalk(OTHERS / "crosswalk.yml"))
    assert result.read_problem is None and not result.imported
    [entry] = result.services
    assert {"categorieen", "themas", "aanbod_in"} <= {where for where, _ in entry.problems}
