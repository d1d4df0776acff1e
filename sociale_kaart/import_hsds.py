"""Read an HSDS 3.0 JSON export (ours, or one that follows the same profile) back into the file format.

Standard fields are read where HSDS has them; our own fields come from service
attributes with a ``value`` (see export_hsds._plain_attributes). The result goes
through the normal validation, so a foreign file gets the same Dutch problems.
"""

from __future__ import annotations

import re

from sociale_kaart.export_hsds import DAY, FREQ, STATUS

_STATUS_BACK = {hsds: ours for ours, hsds in STATUS.items()} | {"inactive": "tijdelijk_gesloten"}
_FREQ_BACK = {hsds: ours for ours, hsds in FREQ.items()}
_DAY_BACK = {hsds: ours for ours, hsds in DAY.items()}
_BYDAY = re.compile(r"^(?P<week>-?\d)?(?P<day>MO|TU|WE|TH|FR|SA|SU)$")
_GEMEENTE = re.compile(r"^GM\d{4}$")


def is_hsds(data) -> bool:
    return isinstance(data, dict) and ("services" in data or "organizations" in data)


def _terms(service: dict, link_type: str) -> list[str]:
    codes = []
    for attribute in service.get("attributes") or []:
        if attribute.get("link_type") != link_type:
            continue
        term = attribute.get("taxonomy_term") or {}
        code = term.get("code") or str(attribute.get("taxonomy_term_id") or "").removeprefix(f"{link_type}-")
        if code:
            codes.append(code)
    return codes


def _values(service: dict) -> dict:
    return {a.get("link_type"): a.get("value") for a in service.get("attributes") or [] if "value" in a}


def _offered_in(service: dict) -> dict:
    areas = service.get("service_areas") or []
    codes = [a["uri"] for a in areas if _GEMEENTE.match(str(a.get("uri") or ""))]
    if codes:
        return {"gemeenten": codes}
    if any(str(a.get("name", "")).lower() == "online" for a in areas):
        return {"online": True}
    if areas:
        return {"regio": areas[0].get("name")}
    return {}


def _locations(service: dict) -> list[dict]:
    result = []
    for link in service.get("service_at_locations") or []:
        location = link.get("location") or {}
        address = (location.get("addresss") or [{}])[0]
        result.append(
            {
                "naam": location.get("name"),
                "straat": address.get("address_1"),
                "postcode": address.get("postal_code"),
                "woonplaats": address.get("city"),
            }
        )
    return result


def _rules(service: dict) -> list[dict]:
    rules = []
    for schedule in service.get("schedules") or []:
        if not schedule.get("freq"):
            continue
        found = _BYDAY.match(str(schedule.get("byday") or ""))
        rule = {
            "freq": _FREQ_BACK.get(schedule["freq"], schedule["freq"]),
            "dag": _DAY_BACK[found["day"]] if found else schedule.get("byday"),
            "van": schedule.get("opens_at"),
            "tot": schedule.get("closes_at"),
        }
        if found and found["week"]:
            rule["week"] = int(found["week"])
        rules.append(rule)
    return rules


def _cost(service: dict) -> dict:
    cost = {"omschrijving": service.get("fees_description")}
    option = (service.get("cost_options") or [None])[0]
    if option and option.get("amount") == 0:
        cost["gratis"] = True
    elif option and option.get("amount") is not None:
        cost["bedrag"] = option["amount"]
        cost["per"] = option.get("amount_description")
    return cost


def _activity(service: dict) -> dict:
    values = _values(service)
    description = values.get("rooster_omschrijving")
    return {
        "id": service.get("id"),
        "organisatie": service.get("organization_id"),
        "naam": service.get("name"),
        "beschrijving": service.get("description"),
        "categorieen": _terms(service, "categorie"),
        "themas": _terms(service, "thema"),
        "aanbod_in": _offered_in(service),
        "locaties": _locations(service),
        "rooster": {"omschrijving": description, "regels": _rules(service)},
        "kosten": _cost(service),
        "doelgroep": {
            "leeftijd_min": service.get("minimum_age"),
            "leeftijd_max": service.get("maximum_age"),
            "groepen": _terms(service, "doelgroep"),
        },
        "toegankelijkheid": values.get("toegankelijkheid"),
        "talen": [
            language.get("code") or language.get("name") for language in service.get("languages") or []
        ],
        "aanmelden": {
            "wijze": values.get("aanmelden_wijze"),
            "indicatie_nodig": values.get("indicatie_nodig"),
        },
        "eerste_keer_begeleiding": values.get("eerste_keer_begeleiding"),
        "contact": {
            "telefoon": (service.get("phones") or [{}])[0].get("number"),
            "email": service.get("email"),
            "website": service.get("url"),
        },
        "status": _STATUS_BACK.get(service.get("status"), service.get("status")),
        "geldig_van": values.get("geldig_van"),
        "geldig_tot": values.get("geldig_tot"),
        "laatst_gecontroleerd": {
            "datum": service.get("assured_date"),
            "door": values.get("laatst_gecontroleerd_door"),
        },
    }


def _organisation(organization: dict) -> dict:
    description = organization.get("description")
    return {
        "id": organization.get("id"),
        "naam": organization.get("name"),
        # Our export fills the required description with the name when there is none.
        "beschrijving": None if description == organization.get("name") else description,
        "website": organization.get("website"),
        "email": organization.get("email"),
    }


def hsds_to_document(data: dict) -> dict:
    document = {
        "organisaties": [_organisation(o) for o in data.get("organizations") or []],
        "activiteiten": [_activity(s) for s in data.get("services") or []],
    }
    if isinstance(data.get("catalogus"), dict):
        document["catalogus"] = data["catalogus"]
    return document
