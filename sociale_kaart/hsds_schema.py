"""Validate HSDS 3.0 objects against the official schemas shipped in schemas/hsds3 (no network).

``schemas/hsds3/*.json`` are the object schemas (they $ref each other by file name);
``schemas/hsds3/compiled/*_list.json`` are the official flat schemas of list items
(what the API's paged lists hold). Format checks are on: ids must be UUIDs, and
date-time, date, uri and email are checked too. jsonschema silently skips a format whose
optional library is missing (date-time needs rfc3339-validator, uri rfc3986-validator), so
``format_checker()`` refuses to work without them instead of passing everything.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "hsds3"
# Where the Open Referral API spec (openapi.json) says the schemas live.
OFFICIAL_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# Which schema each top-level list of our export holds.
# The formats the HSDS 3.0 schemas use (and "date", which the spec's examples use as a string).
CHECKED_FORMATS = ("uuid", "date-time", "date", "uri", "email")
LIST_SCHEMAS = {
    "organizations": "organization.json",
    "services": "service.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


class FormatCheckMissing(RuntimeError):
    """A format the HSDS schemas use would not be checked (its optional library is missing)."""


@lru_cache(maxsize=1)
def format_checker() -> FormatChecker:
    """A FormatChecker that really checks every format of CHECKED_FORMATS."""
    checker = FormatChecker(CHECKED_FORMATS)
    missing = [name for name in CHECKED_FORMATS if name not in checker.checkers]
    if missing:
        raise FormatCheckMissing(
            f"jsonschema cannot check the formats {missing}: install rfc3339-validator and rfc3986-validator"
        )
    return checker


@lru_cache(maxsize=1)
def _store() -> dict:
    store = {}
    for path in [*SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("compiled/*.json")]:
        schema = json.loads(path.read_text(encoding="utf-8"))
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        store[path.as_uri()] = schema
        store[OFFICIAL_BASE + relative] = schema
    return store


@cache
def validator(schema_file: str) -> Draft202012Validator:
    """A validator for ``service.json`` or ``compiled/service_list.json`` with format checks.

    The HSDS files declare no $schema; they use only keywords that mean the same in Draft 2020-12.
    """
    uri = (SCHEMA_DIR / schema_file).as_uri()
    schema = _store()[uri]
    resolver = RefResolver(base_uri=uri, referrer=schema, store=_store())
    return Draft202012Validator(schema, resolver=resolver, format_checker=format_checker())


def _where(error) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def object_errors(item, schema_file: str, prefix: str = "") -> list[str]:
    """Every schema error of one object, as 'prefix.schedules[0].freq: ...'."""
    return [f"{prefix}{_where(error)}: {error.message}" for error in validator(schema_file).iter_errors(item)]


def hsds_errors(document: dict) -> list[str]:
    """Every schema error in an export, as 'services[3].schedules[0].freq: ...'."""
    errors = []
    for key, schema_file in LIST_SCHEMAS.items():
        for index, item in enumerate(document.get(key, [])):
            errors += object_errors(item, schema_file, f"{key}[{index}]")
    return errors


@lru_cache(maxsize=1)
def openapi() -> dict:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


def page_errors(page: dict, item_schema: str) -> list[str]:
    """Errors of one paged API response: the spec's Page fields, then each of ``contents``."""
    page_schema = openapi()["components"]["schemas"]["Page"]
    errors = [
        f"{_where(e) or 'page'}: {e.message}"
        for e in Draft202012Validator(page_schema, format_checker=format_checker()).iter_errors(page)
    ]
    missing = [key for key in (*page_schema["properties"], "contents") if key not in page]
    errors += [f"{key}: ontbreekt" for key in missing]
    for index, item in enumerate(page.get("contents") or []):
        errors += object_errors(item, item_schema, f"contents[{index}]")
    return errors
