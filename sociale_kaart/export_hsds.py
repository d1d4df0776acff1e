"""Export the catalogue as HSDS 3.0 JSON (Open Referral).

Mapping (docs/sociale_kaart.md): organisation -> organization, activity -> service
with nested service_at_locations (location + address), schedules (RRULE parts),
service_areas (municipalities, the region or "online"), cost_options, phones,
languages, and attributes that link categories and themes as taxonomy terms.
"""

from __future__ import annotations

import json

from sqlalchemy.engine import Engine

from sociale_kaart.records import load_catalogue
from sociale_kaart.taxonomy import Taxonomy, load_taxonomy
from sociale_kaart.texts import message, target_groups

HSDS_VERSION = "3.0"
STATUS = {"actief": "active", "tijdelijk_gesloten": "temporarily closed", "beeindigd": "defunct"}
FREQ = {"wekelijks": "WEEKLY", "maandelijks": "MONTHLY"}
DAY = {"ma": "MO", "di": "TU", "wo": "WE", "do": "TH", "vr": "FR", "za": "SA", "zo": "SU"}
TAXONOMY_IDS = {
    "categorie": "welzijnswijzer-categorieen",
    "thema": "welzijnswijzer-themas",
    "doelgroep": "welzijnswijzer-doelgroepen",
}


def _compact(value: dict) -> dict:
    return {key: item for key, item in value.items() if item not in (None, "", [])}


def _terms(taxonomy: Taxonomy) -> list[dict]:
    terms = [
        {
            "id": f"categorie-{c.code}",
            "code": c.code,
            "name": c.label,
            "description": ", ".join(c.words) or c.label,
            "taxonomy_id": TAXONOMY_IDS["categorie"],
            "language": "nl",
        }
        for c in taxonomy.categories.values()
    ]
    terms += [
        {
            "id": f"thema-{t.code}",
            "code": t.code,
            "name": t.label,
            "description": t.covers or t.label,
            "taxonomy_id": TAXONOMY_IDS["thema"],
            "language": "nl",
        }
        for t in taxonomy.themes.values()
    ]
    terms += [
        {
            "id": f"doelgroep-{code}",
            "code": code,
            "name": label,
            "description": label,
            "taxonomy_id": TAXONOMY_IDS["doelgroep"],
            "language": "nl",
        }
        for code, label in target_groups().items()
    ]
    return terms


def _taxonomies() -> list[dict]:
    return [
        {"id": TAXONOMY_IDS["categorie"], "name": "Categorieen", "description": message("hsds.categorieen")},
        {"id": TAXONOMY_IDS["thema"], "name": "Thema's", "description": message("hsds.themas")},
        {"id": TAXONOMY_IDS["doelgroep"], "name": "Doelgroepen", "description": message("hsds.doelgroepen")},
    ]


def _attributes(record: dict, terms: dict[str, dict]) -> list[dict]:
    links = [("categorie", code) for code in record["categorieen"]]
    links += [("thema", code) for code in record["themas"]]
    links += [("doelgroep", code) for code in record["doelgroep"]["groepen"]]
    attributes = [
        {
            "id": f"{record['id']}-{kind}-{code}",
            "link_id": record["id"],
            "link_type": kind,
            "link_entity": "service",
            "taxonomy_term_id": f"{kind}-{code}",
            "taxonomy_term": terms[f"{kind}-{code}"],
        }
        for kind, code in links
    ]
    for link_type, value in _plain_attributes(record).items():
        if value is not None:
            attributes.append(
                {
                    "id": f"{record['id']}-{link_type}",
                    "link_id": record["id"],
                    "link_type": link_type,
                    "link_entity": "service",
                    "value": value,
                }
            )
    return attributes


def _plain_attributes(record: dict) -> dict:
    """Our fields that HSDS 3.0 has no place for, as attributes with a value (read back by import_hsds)."""
    return {
        "aanmelden_wijze": record["aanmelden"]["wijze"],
        "indicatie_nodig": _yes_no(record["aanmelden"]["indicatie_nodig"]),
        "eerste_keer_begeleiding": _yes_no(record["eerste_keer_begeleiding"]),
        "toegankelijkheid": record["toegankelijkheid"],
        "rooster_omschrijving": record["rooster"]["omschrijving"],
        "geldig_van": _iso(record["geldig_van"]),
        "geldig_tot": _iso(record["geldig_tot"]),
        "laatst_gecontroleerd_door": record["laatst_gecontroleerd"]["door"],
    }


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def _areas(record: dict, taxonomy: Taxonomy) -> list[dict]:
    offered, key = record["aanbod_in"] or {}, record["id"]
    if offered.get("online"):
        return [
            {
                "id": f"{key}-gebied-online",
                "service_id": key,
                "name": "online",
                "description": message("hsds.online"),
            }
        ]
    if offered.get("regio"):
        return [
            {
                "id": f"{key}-gebied-regio",
                "service_id": key,
                "name": offered["regio"],
                "description": message("hsds.regio", regio=offered["regio"]),
            }
        ]
    areas = []
    for code in offered.get("gemeenten") or []:
        municipality = taxonomy.municipalities[code]
        areas.append(
            {
                "id": f"{key}-gebied-{code}",
                "service_id": key,
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


def _service_at_locations(record: dict, taxonomy: Taxonomy) -> list[dict]:
    result = []
    for index, place in enumerate(record["locaties"], start=1):
        location_id = f"{record['id']}-locatie-{index}"
        location = _compact(
            {
                "id": location_id,
                "location_type": "physical",
                "name": place["naam"],
                "organization_id": record["organisatie"],
            }
        )
        if place["straat"] and place["postcode"] and place["woonplaats"]:
            location["addresss"] = [
                {
                    "id": f"{location_id}-adres",
                    "location_id": location_id,
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
                "id": f"{record['id']}-op-locatie-{index}",
                "service_id": record["id"],
                "location_id": location_id,
                "location": location,
            }
        )
    return result


def _schedules(record: dict) -> list[dict]:
    key, schedule = record["id"], record["rooster"]
    common = _compact(
        {
            "service_id": key,
            "description": schedule["omschrijving"],
            "valid_from": _iso(record["geldig_van"]),
            "valid_to": _iso(record["geldig_tot"]),
        }
    )
    if not schedule["regels"]:
        return [{"id": f"{key}-rooster", **common}] if schedule["omschrijving"] else []
    result = []
    for index, rule in enumerate(schedule["regels"], start=1):
        byday = f"{rule['week']}{DAY[rule['dag']]}" if rule["week"] is not None else DAY[rule["dag"]]
        result.append(
            _compact(
                {
                    "id": f"{key}-rooster-{index}",
                    **common,
                    "freq": FREQ[rule["freq"]],
                    "interval": 1,
                    "byday": byday,
                    "opens_at": rule["van"],
                    "closes_at": rule["tot"],
                }
            )
        )
    return result


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _service(record: dict, taxonomy: Taxonomy, terms: dict) -> dict:
    key, cost, joining = record["id"], record["kosten"], record["aanmelden"]
    process = [message(f"hsds.aanmelden.{joining['wijze']}")]
    if joining["indicatie_nodig"]:
        process.append(message("hsds.indicatie_nodig"))
    if record["eerste_keer_begeleiding"]:
        process.append(message("hsds.begeleiding"))
    cost_options = []
    if cost["gratis"] or cost["bedrag"] is not None:
        cost_options.append(
            _compact(
                {
                    "id": f"{key}-kosten",
                    "service_id": key,
                    "currency": "EUR",
                    "amount": 0 if cost["gratis"] else cost["bedrag"],
                    "amount_description": message("hsds.gratis") if cost["gratis"] else cost["per"],
                }
            )
        )
    groups = target_groups()
    return _compact(
        {
            "id": key,
            "organization_id": record["organisatie"],
            "name": record["naam"],
            "description": record["beschrijving"],
            "url": record["contact"]["website"],
            "email": record["contact"]["email"],
            "status": STATUS[record["status"]],
            "application_process": " ".join(process),
            "fees_description": cost["omschrijving"],
            "eligibility_description": ", ".join(groups[g] for g in record["doelgroep"]["groepen"]) or None,
            "minimum_age": record["doelgroep"]["leeftijd_min"],
            "maximum_age": record["doelgroep"]["leeftijd_max"],
            "assured_date": _iso(record["laatst_gecontroleerd"]["datum"]),
            "accreditations": None,
            "schedules": _schedules(record),
            "languages": [
                {"id": f"{key}-taal-{code}", "service_id": key, "name": code, "code": code}
                for code in record["talen"]
            ],
            "service_at_locations": _service_at_locations(record, taxonomy),
            "phones": [{"id": f"{key}-telefoon", "service_id": key, "number": record["contact"]["telefoon"]}]
            if record["contact"]["telefoon"]
            else [],
            "cost_options": cost_options,
            "service_areas": _areas(record, taxonomy),
            "attributes": _attributes(record, terms),
        }
    )


def catalogue_hsds(engine: Engine) -> dict:
    taxonomy = load_taxonomy()
    with engine.connect() as connection:
        catalogue = load_catalogue(connection)
    terms = _terms(taxonomy)
    by_id = {term["id"]: term for term in terms}
    return {
        "hsds_version": HSDS_VERSION,
        "catalogus": catalogue["catalogus"],
        "organizations": [
            _compact(
                {
                    "id": o["id"],
                    "name": o["naam"],
                    "description": o["beschrijving"] or o["naam"],
                    "website": o["website"],
                    "email": o["email"],
                }
            )
            for o in catalogue["organisaties"]
        ],
        "services": [_service(record, taxonomy, by_id) for record in catalogue["activiteiten"]],
        "taxonomies": _taxonomies(),
        "taxonomy_terms": terms,
    }


def catalogue_hsds_json(engine: Engine) -> str:
    return json.dumps(catalogue_hsds(engine), ensure_ascii=False, indent=2)
