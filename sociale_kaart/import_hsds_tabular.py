"""The tabular form of HSDS 3.0: a folder with datapackage.json and one CSV file per table, or
the same tables in one JSON object (the spec's examples/tabular.json: {"services.csv": [rows]})."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sociale_kaart.import_hsds_data import MAX_FILE_BYTES, HsdsData, HsdsReadError
from sociale_kaart.import_hsds_shape import reason, tidy


def _read_csv(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    if path.stat().st_size > MAX_FILE_BYTES:
        raise HsdsReadError("te_groot", pad=path, max=MAX_FILE_BYTES // (1024 * 1024))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise HsdsReadError("geen_utf8", pad=path) from None
    try:
        # newline="": a quoted cell may hold line breaks (CRLF or LF); they stay in the text.
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise HsdsReadError("csv_onleesbaar", pad=path, detail=error) from None
    # A header written " name" or "Name" is the field name; a row shorter than the header has None.
    result = [
        {k.strip().lower(): _text_cell(v) for k, v in row.items() if k is not None}
        for row in rows
        if any(v not in ("", None) for k, v in row.items() if k is not None)  # no empty lines
    ]
    if result and "id" not in result[0] and (path.name == "services.csv" or ";" in "".join(result[0])):
        columns = ", ".join(list(result[0])[:8])
        raise HsdsReadError("geen_id_kolom", text=reason("geen_id_kolom", pad=path, kolommen=columns))
    return result


def _text_cell(value):
    if value in ("", None):
        return None
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def collect_tabular(folder: Path) -> HsdsData:
    """The tabular form: one CSV per table, as named in datapackage.json (or the standard names)."""
    paths = {}
    package = folder / "datapackage.json"
    if package.is_file():
        try:
            for resource in json.loads(package.read_text(encoding="utf-8-sig")).get("resources") or []:
                if isinstance(resource.get("path"), str) and resource["path"]:
                    paths[resource.get("name")] = folder / resource["path"]
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError):
            raise HsdsReadError("datapackage_onleesbaar", pad=package) from None

    def table(name: str, standard: str) -> list[dict]:
        return _read_csv(paths.get(name) or folder / standard)

    return _from_tables(table, folder)


def is_tabular_json(data) -> bool:
    return (
        isinstance(data, dict) and bool(data.get("services.csv")) and isinstance(data["services.csv"], list)
    )


def collect_tabular_json(data: dict, where) -> HsdsData:
    """The tables as one JSON object; values as in a CSV cell (empty text is no value)."""

    def table(_name: str, standard: str) -> list[dict]:
        rows = data.get(standard) or []
        return [
            {str(k): _cell(str(k), v) for k, v in row.items()}
            for row in (rows if isinstance(rows, list) else [])
            if isinstance(row, dict)
        ]

    return _from_tables(table, where)


# What else an attribute can be of (HSDS 3.0 link_entity); anything else counts as a service's.
_OTHER_ENTITIES = frozenset(
    {"organization", "location", "service_at_location", "contact", "phone", "program", "address", "schedule"}
)


def _cell(key: str, value):
    """A cell of the tables-in-JSON form: empty text is no value, an id is text (as in a CSV)."""
    if value == "":
        return None
    if (key == "id" or key.endswith("_id")) and isinstance(value, (list, dict)):
        return None
    if (
        (key == "id" or key.endswith("_id"))
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _from_tables(table, where) -> HsdsData:
    services = table("service", "services.csv")
    if not services:
        raise HsdsReadError("geen_diensten", pad=where)

    def by(rows: list[dict], key: str) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for row in rows:
            grouped.setdefault(row.get(key) or "", []).append(row)
        return grouped

    result = HsdsData()
    result.taxonomies = {row["id"]: row for row in table("taxonomy", "taxonomies.csv") if row.get("id")}
    result.terms = {row["id"]: row for row in table("taxonomy_term", "taxonomy_terms.csv") if row.get("id")}
    # Attributes of services only: ids are unique per table, so organisation 1 and service 1
    # may both exist; link_entity says which one an attribute is of (none given: a service's).
    attributes = by(
        [
            row
            for row in table("attribute", "attributes.csv")
            if str(row.get("link_entity") or "").strip().lower() not in _OTHER_ENTITIES
        ],
        "link_id",
    )
    addresses = by(table("address", "addresses.csv"), "location_id")
    locations = {row["id"]: row for row in table("location", "locations.csv") if row.get("id")}
    schedules = table("schedule", "schedules.csv")
    phones = table("phone", "phones.csv")
    # Phones and schedules may hang on a service_at_location, phones on a location or an
    # organisation too (the mapping looks there when the service has none of its own).
    link_parts = {
        "phones": by(phones, "service_at_location_id"),
        "schedules": by(schedules, "service_at_location_id"),
    }
    location_phones = by(phones, "location_id")
    organization_phones = by(phones, "organization_id")
    per_service = {
        "phones": by(phones, "service_id"),
        "schedules": by(schedules, "service_id"),
        "service_areas": by(table("service_area", "service_areas.csv"), "service_id"),
        "languages": by(table("language", "languages.csv"), "service_id"),
        "cost_options": by(table("cost_option", "cost_options.csv"), "service_id"),
    }
    links = by(table("service_at_location", "service_at_location.csv"), "service_id")
    identifiers = by(table("organization_identifier", "organization_identifiers.csv"), "organization_id")
    for row in table("organization", "organizations.csv"):
        if row.get("id"):
            result.organizations[row["id"]] = {
                **row,
                "organization_identifiers": identifiers.get(row["id"], []),
                "phones": organization_phones.get(row["id"], []),
            }
    for row in services:
        if not row.get("id"):
            continue
        service = {**row, **{name: grouped.get(row["id"], []) for name, grouped in per_service.items()}}
        service["attributes"] = attributes.get(row["id"], [])
        service["service_at_locations"] = []
        for link in links.get(row["id"], []):
            location = locations.get(link.get("location_id") or "")
            if location is not None:
                location = {
                    **location,
                    "addresses": addresses.get(location["id"], []),
                    "phones": location_phones.get(location["id"], []),
                }
            parts = {
                name: grouped.get(link["id"], []) if link.get("id") else []
                for name, grouped in link_parts.items()
            }
            service["service_at_locations"].append({**link, **parts, "location": location})
        result.services[row["id"]] = service
    # The tables in one JSON file may hold anything in a cell: the shapes the mapping reads.
    for table_of in (result.services, result.organizations, result.terms, result.taxonomies):
        for key, item in table_of.items():
            table_of[key] = tidy(item)
    return result
