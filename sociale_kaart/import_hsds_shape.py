"""Others' HSDS objects into the shapes the mapping reads, before anything else looks at them.

Real producers do not always write what the schema says: one object where a list belongs,
``null`` for a list, a list of language codes as text, a number or a list where a text
belongs. ``tidy`` makes a cleaned copy: a list field is a list of objects (one object becomes
a list of one, ``null`` and empty entries go), an object field is an object, and a field we
read as a value holds a value. What had to go is noted on the object (``NOTES``) and the
mapping reports it per field as a warning (import_hsds_shape.yml); unknown extra fields
(extensions) are kept as they are.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

NOTES = "_vorm_weggelaten"  # [(HSDS field path, Dutch reason)] on the object tidied

# HSDS 3.0 fields that hold a list of objects, and fields that hold one object.
LIST_FIELDS = frozenset(
    {
        "accessibility",
        "addresses",
        "attributes",
        "capacities",
        "contacts",
        "contents",
        "cost_options",
        "funding",
        "languages",
        "locations",
        "metadata",
        "organization_identifiers",
        "phones",
        "physical_addresses",
        "postal_addresses",
        "programs",
        "required_documents",
        "schedules",
        "service_areas",
        "service_at_locations",
        "service_capacities",
        "services",
        "taxonomies",
        "taxonomy_terms",
        "urls",
    }
)
OBJECT_FIELDS = frozenset(
    {"location", "organization", "program", "service", "taxonomy_detail", "taxonomy_term"}
)
# Fields the mapping reads as one value (text or number).
VALUE_FIELDS = frozenset(
    {
        "address_1",
        "address_type",
        "amount",
        "amount_description",
        "assured_date",
        "byday",
        "city",
        "closes_at",
        "code",
        "country",
        "currency",
        "description",
        "email",
        "external_identifier",
        "external_identifier_type",
        "fees",
        "fees_description",
        "freq",
        "id",
        "identifier",
        "identifier_scheme",
        "interval",
        "link_id",
        "link_type",
        "location_id",
        "location_type",
        "maximum_age",
        "minimum_age",
        "name",
        "number",
        "opens_at",
        "organization_id",
        "postal_code",
        "service_id",
        "status",
        "taxonomy",
        "taxonomy_id",
        "taxonomy_term_id",
        "term",
        "uri",
        "url",
        "website",
    }
)
# byday may come as a list of days (["MO", "WE"]); it is the same as "MO,WE".
_JOINED = frozenset({"byday"})
_DEPTH = 12  # HSDS nests a few levels (service > service_at_location > location > addresses)


@cache
def _reasons() -> dict:
    path = Path(__file__).resolve().with_suffix(".yml")
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {**texts["vorm"], **{key: text for key, text in texts.items() if isinstance(text, str)}}


def reason(code: str, **values) -> str:
    """A Dutch text of import_hsds_shape.yml."""
    return _reasons()[code].format(**values)


def _reason(code: str, **values) -> str:
    return _reasons()[code].format(**values)


def _kind(value) -> str:
    return _reason(
        "soort_lijst"
        if isinstance(value, list)
        else "soort_object"
        if isinstance(value, dict)
        else "soort_tekst"
        if isinstance(value, str)
        else "soort_waarde"
    )


def tidy(item: dict) -> dict:
    """A cleaned copy of one HSDS object (service, organization, service_at_location, term)."""
    notes: list[tuple[str, str]] = list(item.get(NOTES) or [])
    cleaned = _tidy_object(item, "", notes, 0)
    if notes:
        cleaned[NOTES] = list(dict.fromkeys(notes))
    return cleaned


def _tidy_object(item: dict, where: str, notes: list, depth: int) -> dict:
    result = {}
    for key, value in item.items():
        key = str(key)
        if key == NOTES:
            continue
        path = f"{where}.{key}" if where else key
        if key == "services" and depth == 0:
            # An organisation's services: each one is a record with notes of its own.
            result[key] = [tidy(s) for s in _tidy_list(key, value, path, notes, _DEPTH)]
        elif key in LIST_FIELDS:
            result[key] = _tidy_list(key, value, path, notes, depth)
        elif key in OBJECT_FIELDS:
            if isinstance(value, dict):
                result[key] = _tidy_object(value, path, notes, depth + 1) if depth < _DEPTH else {}
            elif key == "organization" and isinstance(value, (str, int)) and not isinstance(value, bool):
                result[key] = None  # an organisation named by its id only
                result.setdefault("organization_id", value)
            elif value is not None:
                notes.append((path, _reason("geen_object", soort=_kind(value))))
                result[key] = None
            else:
                result[key] = None
        elif key in VALUE_FIELDS and isinstance(value, (list, dict)):
            if key in _JOINED and isinstance(value, list) and all(isinstance(v, str) for v in value):
                result[key] = ",".join(value)
            elif value in ([], {}):
                result[key] = None
            else:
                notes.append((path, _reason("geen_waarde", soort=_kind(value))))
                result[key] = None
        else:
            result[key] = value
    return result


def _tidy_list(key: str, value, path: str, notes: list, depth: int) -> list:
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]  # one object where the schema has a list of them
    if not isinstance(value, list):
        if value != "":
            notes.append((path, _reason("geen_lijst", soort=_kind(value))))
        return []
    result = []
    for index, entry in enumerate(value):
        if isinstance(entry, dict):
            if depth >= _DEPTH:
                result.append(dict(entry))  # tidied on its own by the caller
            else:
                result.append(_tidy_object(entry, f"{path}[{index}]", notes, depth + 1))
        elif key == "languages" and isinstance(entry, str) and entry.strip():
            result.append({"code": entry.strip(), "name": entry.strip()})  # ["nl", "en"]
        elif entry not in (None, ""):
            notes.append((f"{path}[{index}]", _reason("geen_object", soort=_kind(entry))))
    return result
