"""Validate HSDS 3.0 objects against the official schemas shipped in schemas/hsds3 (no network)."""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "hsds3"
# Which schema each top-level list of our export holds.
LIST_SCHEMAS = {
    "organizations": "organization.json",
    "services": "service.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


@lru_cache(maxsize=1)
def _store() -> dict:
    return {path.as_uri(): json.loads(path.read_text(encoding="utf-8")) for path in SCHEMA_DIR.glob("*.json")}


@cache
def validator(schema_file: str) -> Draft202012Validator:
    """The HSDS files declare no $schema; they use only keywords that mean the same in Draft 2020-12."""
    uri = (SCHEMA_DIR / schema_file).as_uri()
    schema = _store()[uri]
    resolver = RefResolver(base_uri=uri, referrer=schema, store=_store())
    return Draft202012Validator(schema, resolver=resolver, format_checker=FormatChecker())


def hsds_errors(document: dict) -> list[str]:
    """Every schema error in an export, as 'services[3].schedules[0].freq: ...'."""
    errors = []
    for key, schema_file in LIST_SCHEMAS.items():
        check = validator(schema_file)
        for index, item in enumerate(document.get(key, [])):
            for error in check.iter_errors(item):
                where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
                errors.append(f"{key}[{index}]{where}: {error.message}")
    return errors
