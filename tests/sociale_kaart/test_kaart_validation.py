"""Every kind of validation problem, reported in Dutch with file, line/row and field."""

from __future__ import annotations

from pathlib import Path

import pytest
from kaart_helpers import GOOD_YAML, good_document, write_yaml

from sociale_kaart.readers import read_path
from sociale_kaart.validation import validate_documents


def problems_of(*paths):
    return validate_documents([read_path(p) for p in paths]).problems


def first_activity(document):
    return document["activiteiten"][0]


def test_good_file_has_no_problems():
    validation = validate_documents([read_path(GOOD_YAML)])
    assert validation.problems == []
    assert validation.activity_count == 3
    koffie = validation.sources[0].activities[0]
    assert koffie["aanbod_in"] == {"gemeenten": ["GM0402", "GM0406"]}  # a name became its code
    assert koffie["locaties"][0]["postcode"] == "1216 AB"
    assert koffie["rooster"]["regels"][1]["van"] == "19:30"  # unquoted 19:30 is base 60 in YAML 1.1
    assert validation.sources[0].activities[1]["categorieen"] == ["hulp_advies", "contact_ontmoeten"]


def _set(path, value):
    def change(activity):
        target = activity
        for key in path[:-1]:
            target = target.setdefault(key, {}) if not isinstance(key, int) else target[key]
        target[path[-1]] = value

    return change


def _delete(*keys):
    def change(activity):
        for key in keys:
            activity.pop(key, None)

    return change


CASES = [
    (
        "unknown category",
        _set(["categorieen"], ["contact_ontmoten"]),
        "categorie_onbekend",
        "activiteiten[0].categorieen[0]",
        "Bedoel je contact_ontmoeten?",
    ),
    (
        "unknown theme",
        _set(["themas"], ["eenzaamhied"]),
        "thema_onbekend",
        "activiteiten[0].themas[0]",
        "Bedoel je eenzaamheid?",
    ),
    (
        "unknown municipality",
        _set(["aanbod_in"], {"gemeenten": ["Hilversun"]}),
        "gemeente_onbekend",
        "activiteiten[0].aanbod_in.gemeenten[0]",
        "Bedoel je Hilversum?",
    ),
    (
        "woonplaats instead of gemeente",
        _set(["aanbod_in"], {"gemeenten": ["Bussum"]}),
        "gemeente_is_woonplaats",
        "activiteiten[0].aanbod_in.gemeenten[0]",
        "Gooise Meren (GM1942)",
    ),
    (
        "unknown region",
        _set(["aanbod_in"], {"regio": "Gooi en Vechtstraat"}),
        "regio_onbekend",
        "activiteiten[0].aanbod_in.regio",
        "Bedoel je Gooi en Vechtstreek?",
    ),
    (
        "two scopes",
        _set(["aanbod_in"], {"regio": "Amstelland", "online": True}),
        "aanbod_in_keuze",
        "activiteiten[0].aanbod_in",
        "precies een",
    ),
    (
        "bad postcode",
        _set(["locaties", 0, "postcode"], "1216 A"),
        "postcode_ongeldig",
        "activiteiten[0].locaties[0].postcode",
        "vier cijfers en twee letters",
    ),
    (
        "postcode starting with 0",
        _set(["locaties", 0, "postcode"], "0216 AB"),
        "postcode_ongeldig",
        "activiteiten[0].locaties[0].postcode",
        None,
    ),
    (
        "half an address",
        _set(["locaties", 0, "straat"], None),
        "locatie_onvolledig",
        "activiteiten[0].locaties[0]",
        None,
    ),
    (
        "end before start",
        _set(["geldig_tot"], "2023-12-31"),
        "datum_volgorde",
        "activiteiten[0].geldig_tot",
        "2023-12-31",
    ),
    (
        "bad date",
        _set(["geldig_van"], "1-1-2024"),
        "datum_ongeldig",
        "activiteiten[0].geldig_van",
        "JJJJ-MM-DD",
    ),
    (
        "no contact route",
        _set(["contact"], {"telefoon": None, "email": None, "website": None}),
        "contact_ontbreekt",
        "activiteiten[0].contact",
        None,
    ),
    ("contact missing", _delete("contact"), "contact_ontbreekt", "activiteiten[0].contact", None),
    (
        "unknown organisation",
        _set(["organisatie"], "org-buurt-hilversun"),
        "organisatie_onbekend",
        "activiteiten[0].organisatie",
        "Bedoel je org-buurt-hilversum?",
    ),
    ("unknown status", _set(["status"], "gesloten"), "status_onbekend", "activiteiten[0].status", "actief"),
    (
        "unknown wijze",
        _set(["aanmelden", "wijze"], "bellen"),
        "wijze_onbekend",
        "activiteiten[0].aanmelden.wijze",
        "gewoon_langskomen",
    ),
    (
        "bad e-mail",
        _set(["contact", "email"], "oost.example.org"),
        "email_ongeldig",
        "activiteiten[0].contact.email",
        None,
    ),
    (
        "bad url",
        _set(["contact", "website"], "www.example.org"),
        "url_ongeldig",
        "activiteiten[0].contact.website",
        "https://",
    ),
    (
        "bad phone",
        _set(["contact", "telefoon"], "bel maar"),
        "telefoon_ongeldig",
        "activiteiten[0].contact.telefoon",
        None,
    ),
    (
        "bad time",
        _set(["rooster", "regels", 0, "van"], "25:00"),
        "tijd_ongeldig",
        "activiteiten[0].rooster.regels[0].van",
        "UU:MM",
    ),
    (
        "end time before start time",
        _set(["rooster", "regels", 0, "tot"], "09:00"),
        "tijd_volgorde",
        "activiteiten[0].rooster.regels[0].tot",
        None,
    ),
    (
        "unknown day",
        _set(["rooster", "regels", 0, "dag"], "dinsdag"),
        "dag_onbekend",
        "activiteiten[0].rooster.regels[0].dag",
        None,
    ),
    (
        "unknown frequency",
        _set(["rooster", "regels", 0, "freq"], "dagelijks"),
        "freq_onbekend",
        "activiteiten[0].rooster.regels[0].freq",
        None,
    ),
    (
        "monthly without week",
        _set(["rooster", "regels", 1, "week"], None),
        "veld_ontbreekt",
        "activiteiten[0].rooster.regels[1].week",
        None,
    ),
    (
        "bad week",
        _set(["rooster", "regels", 1, "week"], 5),
        "week_ongeldig",
        "activiteiten[0].rooster.regels[1].week",
        None,
    ),
    (
        "unknown field",
        _set(["categorien"], ["natuur"]),
        "veld_onbekend",
        "activiteiten[0].categorien",
        "Bedoel je categorieen?",
    ),
    ("missing name", _delete("naam"), "veld_ontbreekt", "activiteiten[0].naam", None),
    ("empty categories", _set(["categorieen"], []), "lijst_leeg", "activiteiten[0].categorieen", None),
    ("bad id", _set(["id"], "act koffie"), "id_ongeldig", "activiteiten[0].id", None),
    ("no cost", _set(["kosten"], {"gratis": False}), "kosten_leeg", "activiteiten[0].kosten", None),
    (
        "free and paid",
        _set(["kosten"], {"gratis": True, "bedrag": 2}),
        "kosten_tegenstrijdig",
        "activiteiten[0].kosten.bedrag",
        None,
    ),
    (
        "bad amount",
        _set(["kosten"], {"bedrag": "twee euro"}),
        "bedrag_ongeldig",
        "activiteiten[0].kosten.bedrag",
        None,
    ),
    (
        "bad age",
        _set(["doelgroep", "leeftijd_min"], 150),
        "leeftijd_ongeldig",
        "activiteiten[0].doelgroep.leeftijd_min",
        None,
    ),
    (
        "ages reversed",
        _set(["doelgroep"], {"leeftijd_min": 65, "leeftijd_max": 18}),
        "leeftijd_volgorde",
        "activiteiten[0].doelgroep.leeftijd_max",
        None,
    ),
    (
        "unknown group",
        _set(["doelgroep", "groepen"], ["oudere"]),
        "groep_onbekend",
        "activiteiten[0].doelgroep.groepen[0]",
        "Bedoel je ouderen?",
    ),
    ("bad language", _set(["talen"], ["Nederlands"]), "taal_ongeldig", "activiteiten[0].talen[0]", None),
    (
        "not yes/no",
        _set(["eerste_keer_begeleiding"], "misschien"),
        "geen_ja_nee",
        "activiteiten[0].eerste_keer_begeleiding",
        None,
    ),
    ("not a list", _set(["locaties"], {"naam": "Buurthuis"}), "geen_lijst", "activiteiten[0].locaties", None),
    (
        "html in a text",
        _set(["beschrijving"], "Kom langs <script>alert(1)</script>"),
        "html_niet_toegestaan",
        "activiteiten[0].beschrijving",
        "zonder HTML-code",
    ),
    (
        "not a number",
        _set(["rooster", "regels", 1, "week"], "eerste"),
        "geen_getal",
        "activiteiten[0].rooster.regels[1].week",
        None,
    ),
    ("not a block", _set(["aanbod_in"], "Hilversum"), "geen_blok", "activiteiten[0].aanbod_in", None),
    ("not a text", _set(["naam"], ["Koffie", "Thee"]), "geen_tekst", "activiteiten[0].naam", None),
    ("text too long", _set(["naam"], "x" * 201), "tekst_te_lang", "activiteiten[0].naam", "200"),
]


@pytest.mark.parametrize("label, change, code, field, hint", CASES, ids=[case[0] for case in CASES])
def test_each_problem_kind_is_reported_alone_in_dutch(tmp_path, label, change, code, field, hint):
    document = good_document()
    change(first_activity(document))
    path = write_yaml(tmp_path / "catalogus.yml", document)
    problems = problems_of(path)
    assert [(p.code, p.field) for p in problems] == [(code, field)], [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == str(path)
    assert problem.line is not None
    text = str(problem)
    assert text.startswith(f"{path}, regel {problem.line}, veld '{field}': ")
    if hint:
        assert hint in text


def test_line_numbers_point_at_the_field(tmp_path):
    text = GOOD_YAML.read_text(encoding="utf-8").replace("postcode: 1216ab", "postcode: 12AB")
    path = tmp_path / "kaart.yml"
    path.write_text(text, encoding="utf-8")
    [problem] = problems_of(path)
    expected_line = 1 + text.splitlines().index("        postcode: 12AB")
    assert problem.line == expected_line


def test_every_problem_is_reported_at_once(tmp_path):
    document = good_document()
    first_activity(document)["categorieen"] = ["onbekend"]
    first_activity(document)["status"] = "open"
    document["activiteiten"][1]["aanbod_in"] = {"gemeenten": ["Atlantis"]}
    document["activiteiten"][2]["contact"] = {}
    path = write_yaml(tmp_path / "veel.yml", document)
    codes = sorted(p.code for p in problems_of(path))
    assert codes == ["categorie_onbekend", "contact_ontbreekt", "gemeente_onbekend", "status_onbekend"]


def test_duplicate_ids_within_and_across_files(tmp_path):
    document = good_document()
    document["activiteiten"][1]["id"] = document["activiteiten"][0]["id"]
    one = write_yaml(tmp_path / "een.yml", document)
    other = good_document()
    del other["activiteiten"]
    two = write_yaml(tmp_path / "twee.yml", other)
    problems = problems_of(one, two)
    assert sorted((p.code, p.field) for p in problems) == [
        ("id_dubbel", "activiteiten[1].id"),
        ("id_dubbel", "organisaties[0].id"),
        ("id_dubbel", "organisaties[1].id"),
    ]
    assert "een.yml, regel" in str(problems[0])


def test_organisation_problems(tmp_path):
    document = good_document()
    document["organisaties"][0]["email"] = "info-at-example.org"
    document["organisaties"][0]["website"] = "ftp://example.org"
    path = write_yaml(tmp_path / "org.yml", document)
    assert sorted(p.code for p in problems_of(path)) == ["email_ongeldig", "url_ongeldig"]


def test_unreadable_yaml_and_unknown_file_kind(tmp_path):
    broken = tmp_path / "kapot.yml"
    broken.write_text("activiteiten:\n  - id: a\n   naam: [\n", encoding="utf-8")
    wrong = tmp_path / "kaart.txt"
    wrong.write_text("x", encoding="utf-8")
    missing = tmp_path / "weg.yml"
    codes = [p.code for p in problems_of(broken, wrong, missing)]
    assert codes == ["yaml_onleesbaar", "bestand_soort_onbekend", "bestand_niet_gevonden"]


CSV_HEADER = (
    "id,organisatie,naam,beschrijving,categorieen,themas,aanbod_in_gemeenten,locaties_naam,locaties_straat,"
    "locaties_postcode,locaties_woonplaats,rooster_regels,kosten_gratis,aanmelden_wijze,contact_email,status\n"
)


def test_csv_problems_name_row_and_column(tmp_path):
    organisations = tmp_path / "organisaties.csv"
    organisations.write_text("id,naam\norg-a,Organisatie A\n", encoding="utf-8")
    activities = tmp_path / "activiteiten.csv"
    activities.write_text(
        CSV_HEADER
        + "act-1,org-a,Wandelen,Samen wandelen.,bewegen_sporten,gezond_leven,Hilversum,Start,Kerkstraat 1,"
        "1211 AB,Hilversum,wekelijks di 10:00-11:00,ja,gewoon_langskomen,a@example.org,actief\n"
        + "act-2,org-a,Koken,Samen koken.,koken_eten,eenzaamheid,Hilversun,Keuken;Tuin,Straat 1;Straat 2,"
        "1211 AB;99 ZZ,Hilversum;Hilversum,elke dinsdag,ja,gewoon_langskomen,a@example.org,actief\n",
        encoding="utf-8",
    )
    problems = problems_of(organisations, activities)
    assert sorted((p.line, p.field, p.code) for p in problems) == [
        (3, "aanbod_in_gemeenten", "gemeente_onbekend"),
        (3, "locaties_postcode", "postcode_ongeldig"),
        (3, "rooster_regels", "roosterregel_ongeldig"),
    ]
    assert all(str(p).startswith(f"{activities}, rij 3, veld '") for p in problems)


def test_csv_row_with_too_many_cells(tmp_path):
    path = tmp_path / "organisaties.csv"
    path.write_text("id,naam\norg-a,A,extra\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert (problem.code, problem.line) == ("csv_onleesbaar", 2)


def test_json_that_is_not_hsds(tmp_path):
    path = tmp_path / "iets.json"
    path.write_text('{"items": []}', encoding="utf-8")
    assert [p.code for p in problems_of(path)] == ["hsds_structuur"]


def test_every_problem_kind_in_messages_has_a_test():
    import yaml

    from sociale_kaart.texts import PACKAGE_DIR

    kinds = yaml.safe_load((PACKAGE_DIR / "messages.yml").read_text(encoding="utf-8"))["fouten"]
    tests = "".join(p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py"))
    untested = [kind for kind in kinds if f'"{kind}"' not in tests]
    assert untested == []


def test_csv_with_unknown_columns(tmp_path):
    path = tmp_path / "raar.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert [p.code for p in problems_of(path)] == ["csv_kolommen_onbekend"]
    path.write_text("id,naam,telefoonnummer\norg-a,A,123\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert (problem.code, problem.field, problem.line) == ("veld_onbekend", "telefoonnummer", 1)


def test_top_level_must_be_a_mapping_and_yaml_must_be_utf8(tmp_path):
    listing = tmp_path / "lijst.yml"
    listing.write_text("- id: a\n", encoding="utf-8")
    latin = tmp_path / "latin.yml"
    latin.write_bytes("catalogus:\n  naam: Caf\u00e9\n".encode("latin-1"))
    assert [p.code for p in problems_of(listing, latin)] == ["hoofdstructuur", "geen_utf8"]


def test_excel_csv_with_semicolons_and_windows_encoding(tmp_path):
    organisations = tmp_path / "organisaties.csv"
    organisations.write_bytes("id;naam\norg-a;Caf\u00e9 De Hoek\n".encode("cp1252"))
    validation = validate_documents([read_path(organisations)])
    assert validation.ok
    assert validation.sources[0].organisations[0]["naam"] == "Caf\u00e9 De Hoek"


def test_a_field_written_twice_is_reported(tmp_path):
    text = GOOD_YAML.read_text(encoding="utf-8").replace(
        "    themas: [eenzaamheid, zingeving]\n",
        "    themas: [eenzaamheid, zingeving]\n    themas: [stress]\n",
        1,
    )
    path = tmp_path / "dubbel.yml"
    path.write_text(text, encoding="utf-8")
    [problem] = problems_of(path)
    first = 1 + text.splitlines().index("    themas: [eenzaamheid, zingeving]")
    assert (problem.code, problem.field, problem.line) == ("veld_dubbel", "activiteiten[0].themas", first + 1)
    assert f"eerder op regel {first}" in str(problem)


def test_yaml_merge_keys_are_not_duplicates(tmp_path):
    document = good_document()
    text = write_yaml(tmp_path / "basis.yml", document).read_text(encoding="utf-8")
    text = text.replace(
        "activiteiten:\n- id: act-koffie-oost\n", "activiteiten:\n- &koffie\n  id: act-koffie-oost\n", 1
    )
    text += "- <<: *koffie\n  id: act-koffie-west\n  naam: Koffieochtend West\n"
    path = tmp_path / "samengevoegd.yml"
    path.write_text(text, encoding="utf-8")
    validation = validate_documents([read_path(path)])
    assert validation.problems == []
    west = validation.sources[0].activities[-1]
    assert (west["id"], west["naam"], west["categorieen"]) == (
        "act-koffie-west",
        "Koffieochtend West",
        ["contact_ontmoeten"],
    )
