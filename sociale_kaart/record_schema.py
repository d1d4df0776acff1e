"""One description of a catalogue record, read from record_schema.yml.

The file format's keys (validation.ACTIVITY_KEYS, NESTED_KEYS, ...), the CSV columns
(csv_format.ACTIVITY_COLUMNS, ...) and the HSDS attributes of our own fields
(export_hsds.plain_attributes) derive from it, so a field is described in one place.
Each field also carries its Dutch label, form widget hint and possible problem codes for
the editors' form. The readers of single values stay in fields.py, the checks in validation.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

SCHEMA_FILE = Path(__file__).resolve().parent / "record_schema.yml"


@dataclass(frozen=True)
class RecordField:
    pad: str  # "naam", "kosten.bedrag", "locaties[].postcode"
    label: str
    soort: str
    verplicht: bool = False
    max: int | None = None
    lijst: str | None = None
    csv: str | None = None
    hsds: str | None = None
    hsds_naam: str | None = None
    invoer: str | None = None
    fouten: tuple[str, ...] = ()
    delen: tuple[str, ...] = ()  # the keys of each item (rooster.regels)

    @property
    def top(self) -> str:
        return self.pad.split(".")[0].removesuffix("[]")

    @property
    def inner(self) -> str | None:
        return self.pad.split(".", 1)[1] if "." in self.pad else None

    @property
    def column(self) -> str:
        return self.csv or self.pad.replace("[].", "_").replace(".", "_")

    @property
    def attribute(self) -> str | None:
        """The link_type of the HSDS attribute that holds this field, when HSDS has no field for it."""
        if self.hsds != "attribute":
            return None
        return self.hsds_naam or self.pad.rsplit(".", 1)[-1]


@cache
def record_fields(kind: str) -> tuple[RecordField, ...]:
    """The fields of 'activiteit', 'organisatie' or 'catalogus', in file order."""
    data = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    return tuple(
        RecordField(
            **{**entry, "fouten": tuple(entry.get("fouten") or ()), "delen": tuple(entry.get("delen") or ())}
        )
        for entry in data[kind]
    )


def top_keys(kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.top for f in record_fields(kind)))


def nested_keys(kind: str) -> dict[str, tuple[str, ...]]:
    """Block -> its keys, e.g. {"kosten": ("gratis", "bedrag", "per", "omschrijving"), ...}."""
    result: dict[str, list[str]] = {}
    for f in record_fields(kind):
        if f.inner:
            result.setdefault(f.top, []).append(f.inner)
        if f.delen:
            result[f.pad.rsplit(".", 1)[-1]] = list(f.delen)
    return {key: tuple(values) for key, values in result.items()}


def csv_columns(kind: str) -> tuple[str, ...]:
    return tuple(f.column for f in record_fields(kind))


def list_columns(kind: str) -> tuple[str, ...]:
    """CSV columns with a list joined with ';' (codes, languages; not the parallel location columns)."""
    return tuple(f.column for f in record_fields(kind) if f.soort in ("codes", "taal"))


def field_at(kind: str, pad: str) -> RecordField:
    return next(f for f in record_fields(kind) if f.pad == pad)
