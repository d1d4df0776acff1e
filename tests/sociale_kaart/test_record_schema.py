"""The one record description (record_schema.yml) drives the file format's keys, the CSV columns
and the HSDS attributes; every field has a Dutch label, a form hint and known problem codes."""

from __future__ import annotations

import yaml

from sociale_kaart import csv_format, validation
from sociale_kaart.export_hsds import plain_attributes
from sociale_kaart.record_schema import record_fields
from sociale_kaart.texts import PACKAGE_DIR

# The layout as it was written out by hand before the schema: the derivation must not change it.
ACTIVITY_COLUMNS = (
    "id organisatie naam beschrijving categorieen themas aanbod_in_gemeenten aanbod_in_regio "
    "aanbod_in_online locaties_naam locaties_straat locaties_postcode locaties_woonplaats "
    "rooster_omschrijving rooster_regels kosten_gratis kosten_bedrag kosten_per kosten_omschrijving "
    "doelgroep_leeftijd_min doelgroep_leeftijd_max doelgroep_groepen toegankelijkheid talen "
    "aanmelden_wijze aanmelden_indicatie_nodig eerste_keer_begeleiding contact_telefoon contact_email "
    "contact_website status geldig_van geldig_tot laatst_gecontroleerd_datum laatst_gecontroleerd_door"
).split()
NESTED_KEYS = {
    "aanbod_in": ("gemeenten", "regio", "online"),
    "locaties": ("naam", "straat", "postcode", "woonplaats"),
    "rooster": ("omschrijving", "regels"),
    "regels": ("freq", "dag", "week", "van", "tot"),
    "kosten": ("gratis", "bedrag", "per", "omschrijving"),
    "doelgroep": ("leeftijd_min", "leeftijd_max", "groepen"),
    "aanmelden": ("wijze", "indicatie_nodig"),
    "contact": ("telefoon", "email", "website"),
    "laatst_gecontroleerd": ("datum", "door"),
}


def test_csv_columns_and_file_keys_derive_from_the_schema():
    assert csv_format.ACTIVITY_COLUMNS == tuple(ACTIVITY_COLUMNS)
    assert csv_format.ORGANISATION_COLUMNS == ("id", "naam", "beschrijving", "website", "email")
    assert csv_format.CATALOGUE_COLUMNS == ("naam", "voorbeeldgegevens")
    assert csv_format.LIST_COLUMNS == (
        "categorieen",
        "themas",
        "aanbod_in_gemeenten",
        "doelgroep_groepen",
        "talen",
    )
    assert csv_format.LOCATION_FIELDS == ("naam", "straat", "postcode", "woonplaats")
    assert validation.NESTED_KEYS == NESTED_KEYS
    assert validation.ACTIVITY_KEYS[:4] == ("id", "organisatie", "naam", "beschrijving")
    assert (
        len(validation.ACTIVITY_KEYS) == 20
        and validation.ORGANISATION_KEYS == csv_format.ORGANISATION_COLUMNS
    )


def test_every_field_is_described_completely():
    messages = yaml.safe_load((PACKAGE_DIR / "messages.yml").read_text(encoding="utf-8"))["fouten"]
    widgets = {"tekst", "tekstvak", "ja_nee", "keuze", "meerkeuze", "getal", "datum", "regels", "verborgen"}
    for kind in ("activiteit", "organisatie", "catalogus"):
        for field in record_fields(kind):
            assert field.label and field.hsds and field.invoer in widgets, field
            assert field.fouten and set(field.fouten) <= set(messages), field
            assert (field.soort in ("codes", "keuze")) == (
                field.lijst is not None
            ) or field.pad == "organisatie"


def test_hsds_attributes_follow_the_schema():
    record = {
        "aanmelden": {"wijze": "aanmelden", "indicatie_nodig": True},
        "eerste_keer_begeleiding": False,
        "toegankelijkheid": "Drempelvrij.",
        "rooster": {"omschrijving": "elke week"},
        "geldig_van": None,
        "geldig_tot": None,
        "laatst_gecontroleerd": {"door": "Redactie"},
    }
    assert plain_attributes(record) == {
        "rooster_omschrijving": "elke week",
        "toegankelijkheid": "Drempelvrij.",
        "aanmelden_wijze": "aanmelden",
        "indicatie_nodig": "ja",
        "eerste_keer_begeleiding": "nee",
        "geldig_van": None,
        "geldig_tot": None,
        "laatst_gecontroleerd_door": "Redactie",
    }
