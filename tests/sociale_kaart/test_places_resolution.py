"""Place resolution: every name of the vocabulary, typo variants, sentences, ambiguity, unknowns."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from sociale_kaart.places import PlaceResolver, allowed_edits
from sociale_kaart.taxonomy import Municipality, load_taxonomy

TAXONOMY = load_taxonomy()
RESOLVER = PlaceResolver.default()

NAMES = [
    (name, municipality.code)
    for municipality in TAXONOMY.municipalities.values()
    for name in dict.fromkeys((municipality.naam, *municipality.woonplaatsen))
]


def _typo_variants(name: str) -> list[tuple[str, str]]:
    """One deleted, swapped or replaced letter at every position."""
    variants = []
    for i, ch in enumerate(name):
        if ch.isalpha():
            variants.append(("weggelaten", name[:i] + name[i + 1 :]))
            replacement = "x" if ch.lower() != "x" else "q"
            variants.append(("vervangen", name[:i] + replacement + name[i + 1 :]))
        if i + 1 < len(name) and ch.isalpha() and name[i + 1].isalpha() and ch != name[i + 1]:
            variants.append(("verwisseld", name[:i] + name[i + 1] + ch + name[i + 2 :]))
    return variants


TYPO_CASES = [(variant, code, kind, name) for name, code in NAMES for kind, variant in _typo_variants(name)]


def _accented(name: str) -> str:
    """Put an accent on the first vowel: "Bussum" -> "Büssum"."""
    for i, ch in enumerate(name):
        if ch.lower() in "aeiou":
            return name[:i] + unicodedata.normalize("NFC", ch + "\u0308") + name[i + 1 :]
    return name


def _assert_found(text: str, code: str) -> None:
    result = RESOLVER.resolve(text)
    assert result.status == "found", (text, result)
    assert result.municipality.code == code, (text, result.municipality)


def test_every_name_has_cases():
    assert len(NAMES) >= 25 + 40
    assert len(TYPO_CASES) > 1000


@pytest.mark.parametrize("name,code", NAMES)
def test_every_gemeente_and_woonplaats_resolves(name, code):
    _assert_found(name, code)
    _assert_found(name.upper(), code)
    _assert_found(name.lower(), code)
    _assert_found(_accented(name), code)
    _assert_found(f"ik woon in {name}", code)
    _assert_found(f"{name}!", code)
    assert RESOLVER.resolve(name).matched_name == name


@pytest.mark.parametrize("variant,code,kind,name", TYPO_CASES)
def test_typo_variants_resolve(variant, code, kind, name):
    _assert_found(variant, code)


@pytest.mark.parametrize(
    "text,code",
    [
        ("Bussum", "GM1942"),
        ("hilversun", "GM0402"),
        ("'s-Graveland", "GM1696"),
        ("’s-Graveland", "GM1696"),
        ("s graveland", "GM1696"),
        ("s-graveland", "GM1696"),
        ("sgraveland", "GM1696"),
        ("Graveland", "GM1696"),
        ("ik woon in Bussum", "GM1942"),
        ("in naarden", "GM1942"),
        ("Hoofddorp!", "GM0394"),
        ("ik woon in de kwakl", "GM0451"),
        ("Nieuw Vennep", "GM0394"),
        ("nieuwvennep", "GM0394"),
        ("Alphen", "GM0484"),
        ("ouderkerk", "GM0437"),
        ("hilv", "GM0402"),
        ("Mijn adres is Stationsweg 1, 1234 AB Bussum", "GM1942"),
        ("ik kom uit leiden hoor", "GM0546"),
    ],
)
def test_examples_from_the_issue(text, code):
    _assert_found(text, code)


@pytest.mark.parametrize(
    "text,codes",
    [
        ("Noord", {"GM0575", "GM0569"}),  # Noordwijk(erhout) and Noorden
        ("naorden", {"GM1942", "GM0569"}),  # one letter from Naarden and from Noorden
        ("huiden", {"GM1942", "GM0406"}),  # one letter from Muiden and from Huizen
        ("ik woon in Bussum of Huizen", {"GM1942", "GM0406"}),
    ],
)
def test_ambiguous_input_returns_candidates(text, codes):
    result = RESOLVER.resolve(text)
    assert result.status == "ambiguous", result
    assert result.municipality is None
    assert {m.code for m in result.candidates} == codes


def test_woonplaats_shared_by_two_municipalities_is_ambiguous():
    one = Municipality("GM9001", "Eerstegem", "Noord-Holland", "Proefregio", None, ("Middendorp",))
    two = Municipality(
        "GM9002", "Tweedegem", "Noord-Holland", "Proefregio", None, ("Middendorp", "Achterdorp")
    )
    resolver = PlaceResolver([one, two])
    result = resolver.resolve("ik woon in Middendorp")
    assert result.status == "ambiguous"
    assert [m.code for m in result.candidates] == ["GM9001", "GM9002"]
    assert resolver.resolve("Achterdorp").municipality.code == "GM9002"


@pytest.mark.parametrize(
    "text", ["Den Haag", "den haag", "Haarlem", "Amsterdam", "Utrecht", "ik woon in Haag"]
)
def test_places_outside_our_regions_are_unknown_not_a_lookalike(text):
    result = RESOLVER.resolve(text)
    assert result.status == "unknown", result
    assert result.outside_region
    assert result.municipality is None


def test_ordinary_words_in_a_sentence_are_not_typos_of_places():
    assert RESOLVER.resolve("ik wil leren werken met de computer").status == "unknown"
    assert RESOLVER.resolve("leren").municipality.code == "GM0417"  # alone, it may be a typo of Laren
    assert RESOLVER.resolve("ik woon in hilversun").municipality.code == "GM0402"


def test_theme_sentences_of_the_dev_set_name_no_place():
    """Read at run time from ../shared/eval: none of these sentences names a place."""
    import yaml

    path = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev_nlu.yml"
    if not path.exists():
        pytest.skip("no shared dev set")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sentences = [
        line.strip()[2:]
        for item in data["nlu"]
        if item["intent"].startswith("thema_")
        for line in item["examples"].splitlines()
        if line.strip().startswith("- ")
    ]
    assert sentences
    found = [(s, RESOLVER.resolve(s).status) for s in sentences if RESOLVER.resolve(s).status == "found"]
    assert found == []


def test_a_direction_is_not_a_village():
    assert RESOLVER.resolve("ik woon in het noorden").status != "found"
    assert RESOLVER.resolve("ik woon in Noorden").municipality.code == "GM0569"


def test_unknown_but_close_gets_a_suggestion():
    result = RESOLVER.resolve("Lisseee")
    assert result.status == "unknown"
    assert result.suggestion == "Lisse"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "xyz",
        "😀😀",
        "ik woon in een huis",
        "wandelen",
        "koken",
        "<script>alert(1)</script>",
        "'; DROP TABLE municipality; --",
        "a" * 5000,
        "qwertyuiop " * 300,
    ],
)
def test_bad_or_unrelated_input_is_unknown_without_suggestion(text):
    result = RESOLVER.resolve(text)
    assert result.status == "unknown", result
    assert result.municipality is None
    assert result.candidates == ()
    assert result.suggestion is None


def test_typo_budget_grows_with_length():
    assert [allowed_edits(n) for n in (3, 4, 7, 8, 12)] == [0, 1, 1, 2, 3]


def test_default_resolver_is_shared():
    assert PlaceResolver.default() is RESOLVER
