"""Export the catalogue as HSDS 3.0 JSON (Open Referral), valid against the official schemas.

Mapping (docs/sociale_kaart.md, "HSDS 3.0"): organisation -> organization, activity -> service with nested
service_at_locations (location + addresses), schedules (iCal parts), service_areas
(municipalities, the region or "online"), cost_options, phones, languages, and
attributes that link categories, themes and target groups as taxonomy terms.

Every HSDS id is a UUID 5 over a fixed project namespace and the entry's readable id
(slug), so the same entry gets the same id in every export. The slugs stay readable:
``organization_identifiers`` (scheme ``welzijnswijzer``) for organisations, an attribute
with link_type ``welzijnswijzer_id`` for services, ``external_identifier`` for locations.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from sociale_kaart.record_schema import record_fields
from sociale_kaart.records import ACTIVITY, load_catalogue
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy
from sociale_kaart.texts import message, target_groups

HSDS_VERSION = "3.0"
# Never change this: it is what keeps the exported ids the same across exports and versions.
NAMESPACE = uuid.UUID("6f1c7a52-3f0e-5b8e-9a57-0c6d2e1b9a41")
ID_SCHEME = "welzijnswijzer"  # organization_identifiers.identifier_scheme, location.external_identifier_type
SLUG_ATTRIBUTE = "welzijnswijzer_id"  # service attribute (link_type) that holds our readable id
STATUS = {"actief": "active", "tijdelijk_gesloten": "temporarily closed", "beeindigd": "defunct"}
FREQ = {"wekelijks": "WEEKLY", "maandelijks": "MONTHLY"}
DAY = {"ma": "MO", "di": "TU", "wo": "WE", "do": "TH", "vr": "FR", "za": "SA", "zo": "SU"}
# Our own vocabularies as HSDS taxonomies: kind -> taxonomy name (also taxonomy_term.taxonomy).
TAXONOMIES = {
    "categorie": "welzijnswijzer-categorieen",
    "thema": "welzijnswijzer-themas",
    "doelgroep": "welzijnswijzer-doelgroepen",
}
_TAXONOMY_TITLES = {"categorie": "Categorieen", "thema": "Thema's", "doelgroep": "Doelgroepen"}
_TAXONOMY_TEXTS = {"categorie": "hsds.categorieen", "thema": "hsds.themas", "doelgroep": "hsds.doelgroepen"}


@lru_cache(maxsize=1 << 18)
def hsds_id(*parts) -> str:
    """The stable UUID of one HSDS object, e.g. hsds_id("service", "act-wandelen") (memoised:
    the API computes the same few ids for every page)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(part) for part in parts)))


def service_id(slug: str) -> str:
    return hsds_id("service", slug)


def organization_id(slug: str) -> str:
    return hsds_id("organization", slug)


def term_id(kind: str, code: str) -> str:
    return hsds_id("taxonomy_term", kind, code)


def taxonomy_id(kind: str) -> str:
    return hsds_id("taxonomy", TAXONOMIES[kind])


def _compact(value: dict) -> dict:
    return {key: item for key, item in value.items() if item not in (None, "", [])}


def taxonomy_terms(taxonomy: Taxonomy | None = None) -> list[dict]:
    """Our categories, themes and target groups as HSDS taxonomy terms."""
    taxonomy = taxonomy or load_taxonomy()
    entries = [
        ("categorie", c.code, c.label, ", ".join(c.words) or c.label) for c in taxonomy.categories.values()
    ]
    entries += [("thema", t.code, t.label, t.covers or t.label) for t in taxonomy.themes.values()]
    entries += [("doelgroep", code, label, label) for code, label in target_groups().items()]
    return [
        {
            "id": term_id(kind, code),
            "code": code,
            "name": label,
            "description": description,
            "taxonomy": TAXONOMIES[kind],
            "taxonomy_id": taxonomy_id(kind),
            "language": "nl",
        }
        for kind, code, label, description in entries
    ]


def taxonomies() -> list[dict]:
    return [
        {
            "id": taxonomy_id(kind),
            "name": _TAXONOMY_TITLES[kind],
            "description": message(_TAXONOMY_TEXTS[kind]),
            "version": TAXONOMIES[kind],
        }
        for kind in TAXONOMIES
    ]


def _attributes(record: dict, terms: dict[str, dict]) -> list[dict]:
    key, own_id = record["id"], service_id(record["id"])
    links = [("categorie", code) for code in record["categorieen"]]
    links += [("thema", code) for code in record["themas"]]
    links += [("doelgroep", code) for code in record["doelgroep"]["groepen"]]
    attributes = [
        {
            "id": hsds_id("attribute", key, kind, code),
            "link_id": own_id,
            "link_type": kind,
            "link_entity": "service",
            "taxonomy_term_id": term_id(kind, code),
            "taxonomy_term": terms[term_id(kind, code)],
        }
        for kind, code in links
    ]
    values = {SLUG_ATTRIBUTE: key, **plain_attributes(record)}
    for link_type, value in values.items():
        if value is not None:
            attributes.append(
                {
                    "id": hsds_id("attribute", key, link_type),
                    "link_id": own_id,
                    "link_type": link_type,
                    "link_entity": "service",
                    "value": value,
                }
            )
    return attributes


def plain_attributes(record: dict) -> dict:
    """Our fields that HSDS 3.0 has no place for (``hsds: attribute`` in record_schema.yml),
    as attributes with a value (read back by import_hsds); ja/nee for yes/no, ISO dates."""
    result = {}
    for field in record_fields("activiteit"):
        if field.attribute:
            value = field_value(record, field.pad)
            if field.soort == "ja_nee":
                value = _yes_no(value)
            elif field.soort == "datum":
                value = _iso(value)
            result[field.attribute] = value
    return result


def field_value(record: dict, pad: str):
    """The value at a record_schema path without lists, e.g. 'aanmelden.wijze'."""
    value = record
    for part in pad.split("."):
        value = (value or {}).get(part)
    return value


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def _areas(record: dict, taxonomy: Taxonomy) -> list[dict]:
    offered, key = record["aanbod_in"] or {}, record["id"]
    own_id = service_id(key)
    if offered.get("online"):
        return [
            {
                "id": hsds_id("service_area", key, "online"),
                "service_id": own_id,
                "name": "online",
                "description": message("hsds.online"),
            }
        ]
    if offered.get("regio"):
        return [
            {
                "id": hsds_id("service_area", key, "regio", offered["regio"]),
                "service_id": own_id,
                "name": offered["regio"],
                "description": message("hsds.regio", regio=offered["regio"]),
            }
        ]
    areas = []
    for code in offered.get("gemeenten") or []:
        municipality = taxonomy.municipalities[code]
        areas.append(
            {
                "id": hsds_id("service_area", key, code),
                "service_id": own_id,
                "name": municipality.naam,
                "uri": code,
                "description": message("hsds.gemeente", naam=municipality.naam, code=code),
            }
        )
    return areas


def _province_of(woonplaats: str | None, taxonomy: Taxonomy) -> str:
    for municipality in taxonomy.municipalities.values():
        if woonplaats and (woonplaats in municipality.woonplaatsen or woonplaats == municipality.naam):
            return municipality.provincie
    return ""


def location_id(slug: str, index: int) -> str:
    return hsds_id("location", slug, index)


def service_at_location_id(slug: str, index: int) -> str:
    return hsds_id("service_at_location", slug, index)


def service_at_locations(record: dict, taxonomy: Taxonomy) -> list[dict]:
    result = []
    own_id = service_id(record["id"])
    for index, place in enumerate(record["locaties"], start=1):
        own_location = location_id(record["id"], index)
        location = _compact(
            {
                "id": own_location,
                "location_type": "physical",
                "name": place["naam"],
                "organization_id": organization_id(record["organisatie"]),
                "external_identifier": f"{record['id']}-locatie-{index}",
                "external_identifier_type": ID_SCHEME,
            }
        )
        if place["straat"] and place["postcode"] and place["woonplaats"]:
            location["addresses"] = [
                {
                    "id": hsds_id("address", record["id"], index),
                    "location_id": own_location,
                    "address_1": place["straat"],
                    "city": place["woonplaats"],
                    "state_province": _province_of(place["woonplaats"], taxonomy),
                    "postal_code": place["postcode"],
                    "country": "NL",
                    "address_type": "physical",
                }
            ]
        result.append(
            {
                "id": service_at_location_id(record["id"], index),
                "service_id": own_id,
                "location_id": own_location,
                "location": location,
            }
        )
    return result


def _schedules(record: dict) -> list[dict]:
    key, schedule = record["id"], record["rooster"]
    common = _compact(
        {
            "service_id": service_id(key),
            "description": schedule["omschrijving"],
            "valid_from": _iso(record["geldig_van"]),
            "valid_to": _iso(record["geldig_tot"]),
        }
    )
    if not schedule["regels"]:
        return [{"id": hsds_id("schedule", key), **common}] if schedule["omschrijving"] else []
    result = []
    for index, rule in enumerate(schedule["regels"], start=1):
        byday = f"{rule['week']}{DAY[rule['dag']]}" if rule["week"] is not None else DAY[rule["dag"]]
        result.append(
            _compact(
                {
                    "id": hsds_id("schedule", key, index),
                    **common,
                    "freq": FREQ[rule["freq"]],
                    "interval": 1,
                    "byday": byday,
                    "opens_at": _hms(rule["van"]),
                    "closes_at": _hms(rule["tot"]),
                }
            )
        )
    return result


def _hms(value: str | None) -> str | None:
    """HSDS times are HH:MM:SS (ours HH:MM)."""
    return f"{value}:00" if value else None


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def timestamp(value: dt.datetime | None) -> str | None:
    """A naive UTC datetime from the database as RFC 3339 (HSDS last_modified)."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + "Z"


def service_fields(record: dict, modified: dt.datetime | None = None) -> dict:
    """The one-to-one fields of a service (the shape of compiled/service_list.json, without organization)."""
    joining = record["aanmelden"]
    process = [message(f"hsds.aanmelden.{joining['wijze']}")]
    if joining["indicatie_nodig"]:
        process.append(message("hsds.indicatie_nodig"))
    if record["eerste_keer_begeleiding"]:
        process.append(message("hsds.begeleiding"))
    groups = target_groups()
    return _compact(
        {
            "id": service_id(record["id"]),
            "organization_id": organization_id(record["organisatie"]),
            "name": record["naam"],
            "description": record["beschrijving"],
            "url": record["contact"]["website"],
            "email": record["contact"]["email"],
            "status": STATUS[record["status"]],
            "application_process": " ".join(process),
            "fees_description": record["kosten"]["omschrijving"],
            "eligibility_description": ", ".join(groups[g] for g in record["doelgroep"]["groepen"]) or None,
            "minimum_age": record["doelgroep"]["leeftijd_min"],
            "maximum_age": record["doelgroep"]["leeftijd_max"],
            "assured_date": _iso(record["laatst_gecontroleerd"]["datum"]),
            "last_modified": timestamp(modified),
        }
    )


def service(
    record: dict, taxonomy: Taxonomy, terms: dict, modified: dt.datetime | None = None, organization=None
) -> dict:
    """One activity as a fully nested HSDS service; ``terms`` maps term ids to terms."""
    key, cost = record["id"], record["kosten"]
    cost_options = []
    if cost["gratis"] or cost["bedrag"] is not None:
        cost_options.append(
            _compact(
                {
                    "id": hsds_id("cost_option", key),
                    "service_id": service_id(key),
                    "currency": "EUR",
                    "amount": 0 if cost["gratis"] else cost["bedrag"],
                    "amount_description": message("hsds.gratis") if cost["gratis"] else cost["per"],
                }
            )
        )
    own_id = service_id(key)
    nested = {
        "schedules": _schedules(record),
        "languages": [
            {"id": hsds_id("language", key, code), "service_id": own_id, "name": code, "code": code}
            for code in record["talen"]
        ],
        "service_at_locations": service_at_locations(record, taxonomy),
        "phones": [
            {"id": hsds_id("phone", key), "service_id": own_id, "number": record["contact"]["telefoon"]}
        ]
        if record["contact"]["telefoon"]
        else [],
        "cost_options": cost_options,
        "service_areas": _areas(record, taxonomy),
        "attributes": _attributes(record, terms),
    }
    result = {**service_fields(record, modified), **_compact(nested)}
    if organization is not None:
        result["organization"] = organization
    return result


def organization(row: dict) -> dict:
    own_id = organization_id(row["id"])
    return _compact(
        {
            "id": own_id,
            "name": row["naam"],
            "description": row["beschrijving"] or row["naam"],
            "website": row["website"],
            "email": row["email"],
            "organization_identifiers": [
                {
                    "id": hsds_id("organization_identifier", row["id"]),
                    "organization_id": own_id,
                    "identifier_scheme": ID_SCHEME,
                    "identifier_type": "slug",
                    "identifier": row["id"],
                }
            ],
        }
    )


def modified_times(connection: Connection) -> dict[str, dt.datetime]:
    return dict(connection.execute(select(ACTIVITY.c.id, ACTIVITY.c.laatst_gewijzigd_op)).all())


def catalogue_hsds(engine: Engine) -> dict:
    taxonomy = load_taxonomy()
    with engine.connect() as connection:
        catalogue = load_catalogue(connection)
        modified = modified_times(connection)
    terms = taxonomy_terms(taxonomy)
    by_id = {term["id"]: term for term in terms}
    return {
        "hsds_version": HSDS_VERSION,
        "catalogus": catalogue["catalogus"],
        "organizations": [organization(o) for o in catalogue["organisaties"]],
        "services": [
            service(record, taxonomy, by_id, modified.get(record["id"]))
            for record in catalogue["activiteiten"]
        ],
        "taxonomies": taxonomies(),
        "taxonomy_terms": terms,
    }


def catalogue_hsds_json(engine: Engine) -> str:
    return json.dumps(catalogue_hsds(engine), ensure_ascii=False, indent=2)
