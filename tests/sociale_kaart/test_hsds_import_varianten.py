"""HSDS 3.0 as other producers write it, beyond tests/fixtures/hsds3/anderen: our own made-up
files in tests/fixtures/hsds_varianten (README.md there says what each one does differently).

What maps is imported; what does not is reported per field with a Dutch reason; no shape of
a field gives a traceback."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from kaart_helpers import fresh_engine
from test_kaart_export import catalogue

from sociale_kaart.crosswalk import CrosswalkError, load_crosswalk
from sociale_kaart.export_hsds import catalogue_hsds
from sociale_kaart.hsds_schema import hsds_errors
from sociale_kaart.import_hsds import check_services, import_hsds, read_hsds
from sociale_kaart.import_hsds_data import HsdsReadError
from sociale_kaart.import_hsds_json import collect
from sociale_kaart.import_hsds_map import map_services

VARIANTS = Path(__file__).resolve().parents[1] / "fixtures" / "hsds_varianten"
OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "hsds3"


@pytest.fixture(scope="module")
def crosswalk():
    return load_crosswalk(VARIANTS / "crosswalk.yml")


def _by_name(result) -> dict:
    return {entry.naam: entry for entry in result.services}


def _activities(engine) -> dict:
    return {a["naam"]: a for a in catalogue(engine)["activiteiten"]}


def test_a_bulk_file_with_a_bom_locations_apart_and_no_status(tmp_path, crosswalk):
    path = VARIANTS / "gemeente_bulk.json"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    engine = fresh_engine(tmp_path)
    result = import_hsds(engine, path, crosswalk, only_fitting=True)
    assert result.read_problem is None and result.imported and result.report.added == 2
    assert [s.naam for s in result.unfit] == ["Jeugdsoos"]
    youth = dict(_by_name(result)["Jeugdsoos"].problems)
    # The mapping's reasons, and our validation's other ones in the same report.
    assert set(youth) == {"categorieen", "themas", "aanbod_in", "kosten", "contact", "organisatie"}
    assert youth["organisatie"] == "de organisatie 'org-onbekend' staat niet in de organisaties."
    assert (
        "'Youth' (code YTH, taxonomie ORUK Service Types) staan niet in de crosswalk" in youth["categorieen"]
    )
    assert "'Noord-Brabant' is geen gemeente" in youth["aanbod_in"]

    activities = _activities(engine)
    coffee = activities["Koffieochtend in het dorpshuis"]
    # No status: the crosswalk's standaard.status, with a warning.
    assert coffee["status"] == "actief"
    warned = dict(_by_name(result)["Koffieochtend in het dorpshuis"].warnings)
    assert "standaard" in warned["status"] and "'Arabisch'" in warned["talen"]
    assert "geen geldig webadres" in warned["organisatie.website"]  # no https://
    # The organisation by organization_id only; the location by location_id only (given apart).
    assert coffee["organisatie"] == "org-wijdemeren-01"
    assert coffee["locaties"] == [
        {
            "naam": "Dorpshuis De Kwakel",
            "straat": "Dorpsstraat 12",
            "postcode": "1231 AB",
            "woonplaats": "Loosdrecht",
        }
    ]
    assert coffee["aanbod_in"] == {"gemeenten": ["GM1696"]}  # Loosdrecht is in Wijdemeren
    # Terms by taxonomy_term_id, their taxonomy by taxonomy_id (matched on its uri).
    assert (coffee["categorieen"], coffee["themas"]) == (["contact_ontmoeten"], ["eenzaamheid"])
    # One schedule object instead of a list; byday as a list; freq in lower case; H:MM.
    assert [(r["freq"], r["dag"], r["van"], r["tot"]) for r in coffee["rooster"]["regels"]] == [
        ("wekelijks", "di", "09:30", "11:30"),
        ("wekelijks", "do", "09:30", "11:30"),
    ]
    assert coffee["kosten"]["gratis"] is True  # one cost_option object, "0.00" "eur"
    assert coffee["talen"] == ["nl"]  # ["nl", "Arabisch"]: codes as text
    assert coffee["contact"]["telefoon"] == "035-123 45 67"  # the organisation's phone
    assert coffee["laatst_gecontroleerd"]["datum"] == dt.date(2026, 11, 15)

    digi = activities["Digi-café"]
    assert digi["id"] == "2" and digi["status"] == "actief"  # a number as id; "Active"
    # A term by name only, its taxonomy by name only; a location with only latitude/longitude.
    assert (digi["categorieen"], digi["themas"]) == (["hulp_advies"], ["taal_en_regelzaken", "eenzaamheid"])
    assert digi["locaties"] == [] and digi["aanbod_in"] == {"gemeenten": ["GM1696"]}
    assert digi["rooster"]["regels"] == [
        {"freq": "maandelijks", "dag": "ma", "week": 1, "van": "14:00", "tot": "16:00"}
    ]
    assert digi["rooster"]["omschrijving"] == "Elke eerste maandag van de maand, 14:00-16:00"
    assert digi["laatst_gecontroleerd"]["datum"] == dt.date(2026, 10, 1)  # a date-time with offset


def test_a_page_of_service_at_locations_in_english(tmp_path, crosswalk):
    engine = fresh_engine(tmp_path)
    result = import_hsds(engine, VARIANTS / "oruk_pagina.json", crosswalk)
    assert result.imported and result.report.added == 2 and not result.unfit
    activities = _activities(engine)
    chair = activities["Chair-based exercise for over-60s"]
    # Two rows for one service: one service, the schedules of both; a row naming its location
    # only by an id that is nowhere in the file adds no location.
    assert [(r["dag"], r["van"]) for r in chair["rooster"]["regels"]] == [("wo", "10:00"), ("vr", "14:00")]
    assert [p["woonplaats"] for p in chair["locaties"]] == ["Bussum"]
    assert chair["aanbod_in"] == {"gemeenten": ["GM1942"]}  # Bussum is in Gooise Meren
    assert chair["talen"] == ["en", "nl"]  # "en-GB"
    assert chair["contact"]["telefoon"] == "+31 35 765 43 21"  # under the location
    assert chair["doelgroep"]["groepen"] == ["ouderen"] and chair["doelgroep"]["leeftijd_min"] == 60
    garden = activities["Community garden"]
    assert garden["status"] == "tijdelijk_gesloten"  # "temporarily_closed"
    warned = dict(_by_name(result)["Community garden"].warnings)
    assert set(warned) >= {"contact.email", "contact.website", "locaties[0]"}
    assert "'garden@' is geen geldig e-mailadres" in warned["contact.email"]


def test_a_datapackage_with_other_file_names_columns_and_line_breaks(tmp_path, crosswalk):
    folder = VARIANTS / "tabel"
    assert (folder / "datapackage.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (folder / "diensten.csv").read_bytes()
    engine = fresh_engine(tmp_path)
    result = import_hsds(engine, folder, crosswalk, only_fitting=True)
    assert result.imported and result.report.added == 1
    assert sorted(s.naam for s in result.services) == [
        "Klaverjassen",
        "Naaiatelier",
        "Samen eten in Het Buurthuis",
    ]
    sewing = dict(_by_name(result)["Naaiatelier"].problems)
    # The taxonomy named by taxonomy_id only: its name from taxonomies.csv, in the reason.
    assert "'Naaien' (code NAAI, taxonomie Buurthuis) staan niet in de crosswalk" in sewing["categorieen"]
    assert set(sewing) == {"categorieen", "themas", "kosten"}
    assert any("bymonthday: 15" in text for _, text in _by_name(result)["Naaiatelier"].warnings)
    cards = _by_name(result)["Klaverjassen"]
    assert set(dict(cards.problems)) == {"aanbod_in", "beschrijving"}  # its only location has no address
    assert "interval 2" in dict(cards.warnings)["rooster"]

    [dinner] = catalogue(engine)["activiteiten"]
    # A quoted cell with a line break (CRLF) keeps it; headers in capitals; columns in another order.
    assert dinner["beschrijving"] == (
        "Elke donderdag koken we samen.\nDaarna eten we samen aan één lange tafel."
    )
    assert dinner["status"] == "actief" and dinner["organisatie"] == "org-bh"
    assert dinner["talen"] == ["nl", "tr"] and dinner["contact"]["telefoon"] == "035 523 45 67"
    assert dinner["locaties"][0]["straat"] == "Kerkstraat 8" and dinner["aanbod_in"] == {
        "gemeenten": ["GM0406"]
    }
    assert dinner["rooster"]["regels"] == [
        {"freq": "wekelijks", "dag": "do", "week": None, "van": "17:30", "tot": "20:00"}
    ]
    assert dinner["kosten"]["bedrag"] == 4.5 and dinner["kosten"]["per"] == "per maaltijd"  # "4,50"


def test_a_semicolon_csv_is_refused_with_a_dutch_reason(tmp_path):
    folder = tmp_path / "puntkomma"
    folder.mkdir()
    (folder / "services.csv").write_text("id;name;status\nsvc-1;Koffie;active\n", encoding="utf-8")
    with pytest.raises(HsdsReadError) as error:
        read_hsds(folder)
    assert "geen kolom 'id'" in error.value.text and "komma" in error.value.text
    result = import_hsds(fresh_engine(tmp_path), folder, load_crosswalk(VARIANTS / "crosswalk.yml"))
    assert result.read_problem == error.value.text and not result.imported


def test_a_crosswalk_status_default_must_be_one_of_ours(tmp_path):
    path = tmp_path / "crosswalk.yml"
    path.write_text("standaard:\n  status: open\n", encoding="utf-8")
    with pytest.raises(CrosswalkError) as error:
        load_crosswalk(path)
    assert "'open' is geen status" in str(error.value)


def test_without_a_status_default_a_service_without_status_does_not_fit(tmp_path):
    path = tmp_path / "crosswalk.yml"
    path.write_text(
        (VARIANTS / "crosswalk.yml").read_text(encoding="utf-8").replace("  status: actief\n", ""),
        encoding="utf-8",
    )
    result = import_hsds(fresh_engine(tmp_path), VARIANTS / "gemeente_bulk.json", load_crosswalk(path))
    reasons = dict(_by_name(result)["Koffieochtend in het dorpshuis"].problems)
    assert set(reasons) == {"status"} and "er staat geen status bij deze dienst" in reasons["status"]


# Shapes that real files hold where the schema says otherwise.
ODD = [None, {}, 7.5, True, "x", ["a", 3, None, {}]]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _documents() -> list[tuple[str, object]]:
    # (service_at_location_full.json is left out: oruk_pagina.json is a page of those.)
    names = ["service_full.json", "organization_full.json", "tabular.json"]
    documents = [(name, json.loads((OFFICIAL / name).read_text(encoding="utf-8"))) for name in names]
    for name in ("gemeente_bulk.json", "oruk_pagina.json"):
        documents.append((name, json.loads((VARIANTS / name).read_text(encoding="utf-8-sig"))))
    return documents


def test_no_shape_of_any_field_gives_a_traceback(crosswalk):
    """Each field of each file, in turn, holds each odd shape: the file is read and mapped
    (what cannot be used is a problem or warning), or refused with a Dutch read error."""
    tried = 0
    for name, document in _documents():
        for path in [p for p in _paths(document) if p]:
            for odd in ODD:
                target = document
                for key in path[:-1]:
                    target = target[key]
                kept, target[path[-1]] = target[path[-1]], copy.deepcopy(odd)
                try:
                    data = collect(document)  # reads a tidied copy: the document stays as it is
                except HsdsReadError:
                    continue
                except Exception as error:  # pragma: no cover - the message says where
                    raise AssertionError(f"{name} {path} = {odd!r}: {error!r}") from error
                finally:
                    target[path[-1]] = kept
                try:
                    mapped = map_services(data, crosswalk)
                    if tried % 3 == 0:  # our validation of what was mapped: every third (time)
                        check_services(None, mapped, name, data.catalogus)
                except Exception as error:  # pragma: no cover
                    raise AssertionError(f"{name} {path} = {odd!r}: {error!r}") from error
                tried += 1
    assert tried > 2000


def test_a_wrong_shape_is_a_warning_on_its_field(crosswalk):
    document = json.loads((VARIANTS / "oruk_pagina.json").read_text(encoding="utf-8"))
    service = document["contents"][0]["service"]
    service["name"] = ["Chair-based exercise", "Stoelgym"]
    service["cost_options"][0]["amount"] = {"value": 3.5}
    service["languages"] = "en"
    [chair, _garden] = map_services(collect(document), crosswalk)
    warned = dict(chair.warnings)
    assert warned["name"].startswith("hier hoort één waarde (tekst of getal), maar er staat een lijst")
    assert "een object" in warned["cost_options[0].amount"]
    assert warned["languages"].startswith("hier hoort een lijst, maar er staat een tekst")
    assert chair.naam == "Chair-based exercise for over-60s"  # from the page's other row of it


def test_a_copy_of_the_folder_without_datapackage_still_reads_the_standard_names(tmp_path, crosswalk):
    """datapackage.json gone: the standard file names are read; ours are not (diensten.csv)."""
    folder = tmp_path / "tabel"
    shutil.copytree(VARIANTS / "tabel", folder)
    (folder / "datapackage.json").unlink()
    with pytest.raises(HsdsReadError) as error:
        read_hsds(folder)
    assert "services.csv" in error.value.text
    (folder / "diensten.csv").rename(folder / "services.csv")
    (folder / "organisaties.csv").rename(folder / "organizations.csv")
    assert len(read_hsds(folder).services) == 3


def test_a_contact_person_and_a_term_given_as_term_text(crosswalk):
    document = json.loads((VARIANTS / "oruk_pagina.json").read_text(encoding="utf-8"))
    garden = document["contents"][2]["service"]
    del garden["email"], garden["url"]
    garden["contacts"] = [
        {"id": "c-1", "name": "Els", "email": None, "phones": []},
        {
            "id": "c-2",
            "name": "Ahmed",
            "email": "ahmed@tuin.example.nl",
            "phones": [{"number": "06 12345678"}],
        },
    ]
    garden["attributes"] = [
        {"id": "a9", "taxonomy_term": {"term": "Community gardening", "taxonomy": "Open Eligibility"}}
    ]
    data = collect(document)
    mapped = {m.naam: m for m in map_services(data, crosswalk)}["Community garden"]
    assert mapped.activity["contact"] == {"telefoon": "06 12345678", "email": "ahmed@tuin.example.nl"}
    # HSDS 2 style: the term's text as "term" (no name, no code), matched by the crosswalk's naam.
    assert (mapped.activity["categorieen"], mapped.activity["themas"]) == (["natuur"], ["gezond_leven"])


def test_what_came_from_others_exports_as_valid_hsds_with_format_checks(tmp_path, crosswalk):
    """Others' ids (svc-001, 2), dates, urls and e-mails, through our catalogue, out again:
    valid against the official schemas with uuid, date, date-time, uri and email checked."""
    engine = fresh_engine(tmp_path)
    for name in ("gemeente_bulk.json", "oruk_pagina.json", "tabel"):
        assert import_hsds(engine, VARIANTS / name, crosswalk, only_fitting=True).imported
    document = catalogue_hsds(engine)
    assert len(document["services"]) == 5
    assert hsds_errors(document) == []
    again = collect(document)  # and our export reads back: the same five, by our slugs
    assert sorted(m.activity["id"] for m in map_services(again, crosswalk)) == [
        "2",
        "svc-001",
        "svc-chair",
        "svc-garden",
        "svc-k1",
    ]


def test_an_html_description_becomes_plain_text(tmp_path, crosswalk):
    """HSDS allows HTML in descriptions; our catalogue holds plain text (and refuses tags)."""
    document = json.loads((VARIANTS / "oruk_pagina.json").read_text(encoding="utf-8"))
    service = document["contents"][0]["service"]
    service["description"] = (
        "<p>Koffie &amp; thee.</p><p>Daarna:<br/>bewegen</p>"
        "<ul><li>op een stoel</li><li>met muziek</li></ul><script>alert(1)</script>"
    )
    service["organization"]["description"] = "<b>Sport</b> voor iedereen"
    path = tmp_path / "html.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    engine = fresh_engine(tmp_path)
    result = import_hsds(engine, path, crosswalk)
    assert result.imported and not result.unfit
    chair = _activities(engine)["Chair-based exercise for over-60s"]
    assert chair["beschrijving"] == "Koffie & thee.\n\nDaarna:\nbewegen\n\n- op een stoel\n- met muziek"
    warned = dict(_by_name(result)["Chair-based exercise for over-60s"].warnings)
    assert warned["beschrijving"].startswith("de HTML-opmaak is weggehaald")
    [organisation] = catalogue(engine)["organisaties"]
    assert organisation["beschrijving"] == "Sport voor iedereen"


def test_an_attribute_of_an_organisation_with_the_id_of_a_service_is_not_the_services(tmp_path, crosswalk):
    """Tabular ids are unique per table only: organisation svc-k1 may exist beside service svc-k1."""
    folder = tmp_path / "tabel"
    shutil.copytree(VARIANTS / "tabel", folder)
    with (folder / "attributes.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("at-9,svc-k1,,organization,,tt-naai,\r\n")
    dinner = {m.naam: m for m in map_services(read_hsds(folder), crosswalk)}["Samen eten in Het Buurthuis"]
    assert dinner.warnings == [] and dinner.activity["categorieen"] == ["koken_eten"]


def test_a_schedule_that_has_ended_is_kept_with_a_warning(crosswalk):
    document = json.loads((VARIANTS / "oruk_pagina.json").read_text(encoding="utf-8"))
    document["contents"][1]["schedules"][0]["valid_to"] = "2020-12-31T23:59:59Z"
    chair = {m.naam: m for m in map_services(collect(document), crosswalk)}[
        "Chair-based exercise for over-60s"
    ]
    assert [r["dag"] for r in chair.activity["rooster"]["regels"]] == ["wo", "vr"]
    rooster = [text for where, text in chair.warnings if where == "rooster"]
    assert any("gold dit rooster tot 2020-12-31" in text for text in rooster)


@pytest.mark.parametrize(
    "content",
    [
        '[{"id": "loc-1", "name": "Buurthuis", "location_type": "physical"}]',  # locations only
        '{"total_items": 0, "contents": []}',  # an empty page
        '\ufeff{"id": "org-1", "name": "Stichting", "services": []}',  # an organisation, no services
    ],
)
def test_a_file_without_any_service_is_said_so(tmp_path, crosswalk, content):
    path = tmp_path / "leeg.json"
    path.write_text(content, encoding="utf-8")
    result = import_hsds(fresh_engine(tmp_path), path, crosswalk)
    assert result.read_problem.startswith(f"In {path} staat geen enkele dienst")
    assert result.services == [] and not result.imported


def test_older_shapes_locations_on_the_service_and_addresses_in_the_location(crosswalk):
    """HSDS 1/2 and simple adapters: a service's own locations, the address in the location's
    own fields or in physical_addresses; the organisation's website as url."""
    service = {
        "id": "svc-oud",
        "name": "Inloopspreekuur",
        "status": "active",
        "organization": {"id": "org-oud", "name": "Wijkteam", "url": "https://wijkteam.example.nl"},
        "fees_description": "Gratis",
        "attributes": [{"taxonomy_term": {"code": "1201", "taxonomy": "Open Eligibility"}}],
        "locations": [
            {"name": "Wijkpost Noord", "address_1": "Noordweg 2", "city": "Huizen", "postal_code": "1272AB"},
            {
                "name": "Bibliotheek",
                "physical_addresses": [{"address_1": "Plein 1", "city": "Laren", "postal_code": "1251 CD"}],
            },
        ],
    }
    [mapped] = map_services(collect([service]), crosswalk)
    assert [(p["naam"], p["straat"], p["postcode"]) for p in mapped.activity["locaties"]] == [
        ("Wijkpost Noord", "Noordweg 2", "1272 AB"),
        ("Bibliotheek", "Plein 1", "1251 CD"),
    ]
    assert mapped.activity["aanbod_in"] == {"gemeenten": ["GM0406", "GM0417"]}
    assert mapped.activity["contact"]["website"] == "https://wijkteam.example.nl"


def test_tabular_schedules_and_phones_on_a_service_at_location_or_a_location(tmp_path, crosswalk):
    folder = tmp_path / "tabel"
    shutil.copytree(VARIANTS / "tabel", folder)
    with (folder / "schedules.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("sch-9,,,sal-3,,,,,,,WEEKLY,,FR,,,,,,20:00,23:00,,,\r\n")
    with (folder / "phones.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write("ph-9,loc-bh,,,,,035 111 22 33,,voice,\r\n")
    mapped = {m.naam: m for m in map_services(read_hsds(folder), crosswalk)}
    cards = mapped["Klaverjassen"].activity["rooster"]["regels"]
    assert [(r["dag"], r["van"], r["tot"]) for r in cards] == [("vr", "20:00", "23:00")]
    assert mapped["Naaiatelier"].activity["contact"] == {"telefoon": "035 111 22 33"}  # the location's
    assert mapped["Samen eten in Het Buurthuis"].activity["contact"]["telefoon"] == "035 523 45 67"  # its own


def test_the_crosswalk_listing_names_a_taxonomy_given_by_id_only(crosswalk):
    from sociale_kaart.import_hsds import terms_and_places

    terms, places = terms_and_places(read_hsds(VARIANTS / "tabel"), crosswalk)
    assert dict(terms) == {
        "'Koken en eten' (code KOOK, taxonomie Buurthuis)": "koken_eten, eenzaamheid",
        "'Naaien' (code NAAI, taxonomie Buurthuis)": None,
    }
    assert dict(places) == {"Huizen": "GM0406"}
