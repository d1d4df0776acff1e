"""The CSV layout of catalogue files: one row per activity, lists joined with ';'.

Organisations and the catalogue header are separate CSV files (see docs/sociale_kaart.md).
"""

from __future__ import annotations

import re

from sociale_kaart import record_schema

# Derived from the one record description (record_schema.yml).
CATALOGUE_COLUMNS = record_schema.csv_columns("catalogus")
ORGANISATION_COLUMNS = record_schema.csv_columns("organisatie")
ACTIVITY_COLUMNS = record_schema.csv_columns("activiteit")
LIST_COLUMNS = record_schema.list_columns("activiteit")
LOCATION_FIELDS = record_schema.nested_keys("activiteit")["locaties"]
SEPARATOR = ";"

_INDEX = re.compile(r"\[\d+\]")
_RECORD_PREFIX = re.compile(r"^(activiteiten|organisaties)\[\d+\]\.|^catalogus\.")
_RULE = re.compile(
    r"^(?P<freq>\S+)\s+(?:(?P<week>-?\d+)\s+)?(?P<dag>\S+)(?:\s+(?P<van>\S+?)\s*[-\u2013]\s*(?P<tot>\S+))?$"
)


def column_for(path: str) -> str:
    """The CSV column that holds a field path such as ``locaties[1].postcode``."""
    column = _INDEX.sub("", _RECORD_PREFIX.sub("", path)).replace(".", "_")
    return "rooster_regels" if column.startswith("rooster_regels") else column


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def split_parallel(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR)] if cell.strip() else []


def format_rule(rule: dict) -> str:
    parts = [rule["freq"]]
    if rule.get("week") is not None:
        parts.append(str(rule["week"]))
    parts.append(rule["dag"])
    if rule.get("van") or rule.get("tot"):
        parts.append(f"{rule.get('van') or ''}-{rule.get('tot') or ''}")
    return " ".join(parts)


def parse_rule(text: str) -> dict | None:
    """'maandelijks 1 do 19:30-21:30' -> {freq, week, dag, van, tot}; None when unreadable."""
    found = _RULE.match(text.strip())
    if not found or found["freq"] not in ("wekelijks", "maandelijks"):
        return None
    rule = {"freq": found["freq"], "dag": found["dag"]}
    if found["week"] is not None:
        rule["week"] = found["week"]
    if found["van"]:
        rule["van"], rule["tot"] = found["van"], found["tot"]
    return rule


def format_bool(value: bool | None) -> str:
    if value is None:
        return ""
    return "ja" if value else "nee"


_FORMULA = re.compile(r"^(=|@|[+-][^0-9 ])")


def guard_formula(text: str) -> str:
    """Spreadsheets run a cell that starts with = (or @, +A, -A) as a formula: prefix a quote."""
    return "'" + text if _FORMULA.match(text) else text


def unguard_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA.match(text[1:]) else text
