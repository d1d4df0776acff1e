"""The JSON shapes of HSDS 3.0 into one HsdsData.

Read: our bulk export ``{organizations, services, ...}``; one service with its organization;
one organization with its services; one service_at_location with its service and location;
the API's paged lists (``contents``) and plain lists. A folder or datapackage.json goes to the
tabular reader (import_hsds_tabular), and so does the tables-in-one-JSON form (tabular.json).
"""

from __future__ import annotations

import json
from pathlib import Path

from sociale_kaart.import_hsds_data import MAX_FILE_BYTES, HsdsData, HsdsReadError
from sociale_kaart.import_hsds_shape import NOTES, reason, tidy
from sociale_kaart.import_hsds_tabular import collect_tabular, collect_tabular_json, is_tabular_json


def is_hsds(data) -> bool:
    if isinstance(data, list):
        return bool(data) and all(isinstance(item, dict) for item in data)
    if not isinstance(data, dict):
        return False
    if "services" in data or "organizations" in data or isinstance(_page_items(data), list):
        return True
    if is_tabular_json(data):
        return True
    return "id" in data and ("name" in data or "service" in data or "location" in data)


def read_hsds(path: str | Path) -> HsdsData:
    """A JSON file, a datapackage.json, or a folder with the tabular CSV files."""
    path = Path(path)
    data = _read(path)
    if not data.services:
        raise HsdsReadError("geen_dienst", text=reason("geen_dienst", pad=path))
    return data


def _read(path: Path) -> HsdsData:
    if path.is_dir() or path.name == "datapackage.json":
        return collect_tabular(path if path.is_dir() else path.parent)
    if not path.is_file():
        raise HsdsReadError("niet_gevonden", pad=path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise HsdsReadError("te_groot", pad=path, max=MAX_FILE_BYTES // (1024 * 1024))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # a BOM is allowed
    except UnicodeDecodeError:
        raise HsdsReadError("geen_utf8", pad=path) from None
    except json.JSONDecodeError as error:
        raise HsdsReadError(
            "json_onleesbaar", pad=path, detail=f"regel {error.lineno}: {error.msg}"
        ) from None
    except RecursionError:
        raise HsdsReadError("te_diep", pad=path) from None
    if not is_hsds(data):
        raise HsdsReadError("geen_hsds", pad=path)
    return collect(data)


def collect(data) -> HsdsData:
    """Any of the JSON shapes of HSDS 3.0 into one HsdsData."""
    if is_tabular_json(data):
        return collect_tabular_json(data, "tabular.json")
    result = HsdsData()
    if isinstance(data, list):
        items = data
    elif isinstance(_page_items(data), list):
        items = _page_items(data)
    elif ("services" in data or "organizations" in data) and "id" not in data:
        items = [*_list(data.get("organizations")), *_list(data.get("services"))]
        if isinstance(data.get("catalogus"), dict):
            result.catalogus = data["catalogus"]
    else:
        items = [data]
    if isinstance(data, dict) and "id" not in data:
        # Terms and taxonomies given next to the services (a bulk file, or a list that carries them).
        for term in _list(data.get("taxonomy_terms")):
            if isinstance(term, dict) and term.get("id") not in (None, ""):
                result.terms[str(term["id"])] = tidy(term)
        for taxonomy in _list(data.get("taxonomies")):
            if isinstance(taxonomy, dict) and taxonomy.get("id") not in (None, ""):
                result.taxonomies[str(taxonomy["id"])] = tidy(taxonomy)
        for location in _list(data.get("locations")):
            if isinstance(location, dict) and location.get("id") not in (None, ""):
                result.locations[str(location["id"])] = tidy(location)
    for item in _list(items):
        if isinstance(item, dict):
            _add_item(result, tidy(item))
    _collect_nested_terms(result)
    _link_locations(result)
    return result


def _page_items(data: dict):
    """The items of a paged API response: HSDS 3.0 ``contents``; ``content`` as in Spring/ORUK 1.0."""
    return data.get("contents") if "contents" in data else data.get("content")


def _link_locations(result: HsdsData) -> None:
    """A service_at_location that names its location by location_id only: the location from
    elsewhere in the file (a list of locations, or an organisation's locations)."""
    for organization in result.organizations.values():
        for location in organization.get("locations") or []:
            if location.get("id") not in (None, ""):
                result.locations.setdefault(str(location["id"]), location)
    if not result.locations:
        return
    for service in result.services.values():
        for link in service.get("service_at_locations") or []:
            if not link.get("location") and link.get("location_id") not in (None, ""):
                location = result.locations.get(str(link["location_id"]))
                if location is not None:
                    link["location"] = location


def _list(value) -> list:
    return value if isinstance(value, list) else [value] if isinstance(value, dict) else []


def _collect_nested_terms(result: HsdsData) -> None:
    """Terms and taxonomies written out inside attributes count for the whole file: another
    service may name the same term by its id only, or its taxonomy by name only."""
    for service in result.services.values():
        for attribute in service.get("attributes") or []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if not isinstance(term, dict):
                continue
            if term.get("id"):
                result.terms.setdefault(str(term["id"]), term)
            detail = term.get("taxonomy_detail")
            if isinstance(detail, dict) and detail.get("id"):
                result.taxonomies.setdefault(str(detail["id"]), detail)


# Fields only a service has; a producer may leave out the required status.
_SERVICE_FIELDS = frozenset(
    {
        "status",
        "organization_id",
        "organization",
        "service_at_locations",
        "fees_description",
        "eligibility_description",
        "application_process",
        "minimum_age",
        "maximum_age",
        "cost_options",
        "service_areas",
        "program_id",
        "assured_date",
    }
)


def _is_service(item: dict) -> bool:
    return "services" not in item and any(key in item for key in _SERVICE_FIELDS)


def _add_item(result: HsdsData, item: dict) -> None:
    if "location" in item or ("service" in item and not _is_service(item)):
        service = dict(item.get("service") or {})
        link = {key: value for key, value in item.items() if key not in ("service", NOTES)}
        service["service_at_locations"] = [*(service.get("service_at_locations") or []), link]
        if item.get(NOTES):  # paths from the service, or in its service_at_location
            notes = [
                (
                    where[len("service.") :]
                    if where.startswith("service.")
                    else f"service_at_location.{where}",
                    text,
                )
                for where, text in item[NOTES]
            ]
            service[NOTES] = [*(service.get(NOTES) or []), *notes]
        if service.get("id") not in (None, ""):
            _add_service(result, service)
    elif _is_service(item):
        _add_service(result, dict(item))
    elif item.get("id") not in (None, ""):
        organization = {key: value for key, value in item.items() if key != "services"}
        result.organizations[str(item["id"])] = organization
        for service in item.get("services") or []:
            if service.get("id") not in (None, ""):
                _add_service(
                    result, {**service, "organization_id": service.get("organization_id") or item["id"]}
                )


def _older_shapes(service: dict) -> dict:
    """Shapes of HSDS 1/2 and simple adapters: a service's own ``locations`` (no
    service_at_locations), and a location with its address in its own fields
    (``address_1``, ``city``, ...) or in ``physical_addresses``."""
    links = service.get("service_at_locations") or []
    if not links and service.get("locations"):
        links = [{"location": location} for location in service["locations"]]
    for link in links:
        location = link.get("location")
        if not isinstance(location, dict) or location.get("addresses"):
            continue
        older = location.get("physical_addresses") or location.get("postal_addresses") or []
        own = {key: location[key] for key in _ADDRESS_FIELDS if location.get(key) not in (None, "")}
        addresses = [a for a in older if isinstance(a, dict)] or ([own] if "address_1" in own else [])
        if addresses:
            link["location"] = {**location, "addresses": addresses}
    if links:
        service["service_at_locations"] = links
    return service


_ADDRESS_FIELDS = ("address_1", "address_2", "city", "postal_code", "state_province", "region", "country")


def _add_service(result: HsdsData, service: dict) -> None:
    service = _older_shapes(service)
    organization = service.get("organization")
    if isinstance(organization, dict) and organization.get("id") not in (None, ""):
        result.organizations.setdefault(str(organization["id"]), organization)
        if service.get("organization_id") in (None, ""):
            service["organization_id"] = organization["id"]
    key = str(service["id"])
    known = result.services.get(key)
    if known is None:
        result.services[key] = service
        return
    # The same service again (e.g. one service_at_location per row of a list): merge.
    for name, value in service.items():
        if name == "service_at_locations":
            seen = {str(link["id"]) for link in known.get(name) or [] if link.get("id") is not None}
            new = [v for v in value if v.get("id") is None or str(v["id"]) not in seen]
            known[name] = [*(known.get(name) or []), *new]
        elif name == NOTES:
            known[name] = list(dict.fromkeys([*(known.get(name) or []), *value]))
        elif known.get(name) in (None, "", []):
            known[name] = value
