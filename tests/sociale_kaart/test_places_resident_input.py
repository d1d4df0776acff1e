"""Places and postcodes as residents type them (issue 9, held-out style inputs):
a province after the name, Frisian names, woonplaatsen elsewhere, postcodes with a
dash, a dot or two spaces. Real vocabularies, no stack."""

from __future__ import annotations

import pytest

from sociale_kaart.places import PlaceResolver, find_postcode, is_postcode_only

ELSEWHERE = [
    ("Alkmaar (Noord-Holland)", "Alkmaar"),
    ("purmerend nh", "Purmerend"),
    ("ik woon in enschede (overijssel)", "Enschede"),
    ("Den Haag zuid-holland", "Den Haag"),
    ("sneek, friesland", "Sneek"),
    ("Bergen NH", "Bergen"),
    ("ljouwert", "Ljouwert"),
    ("snits", "Snits"),
    ("dokkum", "Dokkum"),
    ("ik woon in het dorp ureterp", "Ureterp"),
    ("ik kom uit drachten", "Drachten"),
    ("ik woon in monster", "Monster"),
    ("gemeente Harns", "Harns"),
    ("It Hearrenfean", "It Hearrenfean"),
    ("ik woon in zeist", "Zeist"),
    ("uit zwolle (ov)", "Zwolle"),
    ("wij wonen in assen drenthe", "Assen"),
    ("ik kom uit drachtn", "Drachten"),
    ("franeker", "Franeker"),
]


@pytest.mark.parametrize("text, name", ELSEWHERE)
def test_a_place_elsewhere_as_residents_type_it(text, name):
    result = PlaceResolver.default().resolve(text)
    assert (result.status, result.outside_region, result.matched_name) == ("unknown", True, name)


@pytest.mark.parametrize(
    "text, naam",
    [("Laren (NH)", "Laren"), ("Huizen NH", "Huizen"), ("Bussum (noord-holland)", "Gooise Meren")],
)
def test_a_province_after_one_of_our_places_keeps_it_ours(text, naam):
    result = PlaceResolver.default().resolve(text)
    assert result.found and result.municipality.naam == naam


@pytest.mark.parametrize("text", ["groningen", "utrecht", "ik woon in groningen"])
def test_a_province_that_is_also_a_city_is_still_the_city(text):
    result = PlaceResolver.default().resolve(text)
    assert result.outside_region and result.matched_name


@pytest.mark.parametrize(
    "text", ["ik heb een monster van een rekening", "mijn buren", "er ligt een balk op de weg"]
)
def test_an_ordinary_word_that_is_a_woonplaats_elsewhere_is_not_a_place_in_a_sentence(text):
    assert not PlaceResolver.default().resolve(text).outside_region


POSTCODES = [
    ("1215-AB", "1215 AB"),
    ("1215  ab", "1215 AB"),
    ("1215 - ab", "1215 AB"),
    ("postcode: 1215-ab", "1215 AB"),
    ("1215.AB", "1215 AB"),
    ("(1215 AB)", "1215 AB"),
    ("pc 2201 ab", "2201 AB"),
    ("mijn pc is 1211XY", "1211 XY"),
    ("postcode 1402", "1402"),
    ("1215 a b", "1215 AB"),
    ("postcode is 1221-KL", "1221 KL"),
    ("1402cd.", "1402 CD"),
]


@pytest.mark.parametrize("text, postcode", POSTCODES)
def test_a_postcode_in_any_spelling(text, postcode):
    assert find_postcode(text) == postcode
    assert is_postcode_only(text)


@pytest.mark.parametrize("text", ["1215. ik ben moe", "ik ben 1215 dagen alleen", "1215-12", "om 12.15 uur"])
def test_a_number_with_a_dot_or_dash_is_no_postcode(text):
    assert not is_postcode_only(text)
