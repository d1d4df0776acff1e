"""Read HSDS 3.0 data of others (and our own export) into the file format, then the normal import.

Shapes read (docs/sociale_kaart.md, "HSDS 3.0"): our bulk export ``{organizations,
services, ...}``; one service with its organization; one organization with its services;
one service_at_location with its service and location; the API's paged lists
(``contents``); and the tabular form (a folder with CSV files, a datapackage.json, or the
tables in one JSON object).

Each service is mapped on its own. What cannot be mapped is reported per field with a Dutch
reason (``problems``, the record is not imported); what is left out but does not stop the
record is a warning. Taxonomy terms and place names of others map through the crosswalk.

Modules, one job each: import_hsds_data (types, per-field reasons), import_hsds_json (the
JSON shapes), import_hsds_tabular (the CSV datapackage), import_hsds_terms, import_hsds_places,
import_hsds_schedule (mapping those parts), import_hsds_map (one activity, the document).
This one checks the mapped services with our validation and imports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from sociale_kaart.crosswalk import Crosswalk, load_crosswalk
from sociale_kaart.import_hsds_data import MAX_FILE_BYTES, HsdsData, HsdsReadError, MappedService
from sociale_kaart.import_hsds_json import collect, is_hsds, read_hsds
from sociale_kaart.import_hsds_map import (
    document_of,
    hsds_source_document,
    hsds_to_document,
    map_services,
    terms_and_places,
)
from sociale_kaart.import_hsds_tabular import collect_tabular
from sociale_kaart.problems import LineDict
from sociale_kaart.readers import SourceDocument
from sociale_kaart.taxonomy import load_taxonomy

__all__ = [
    "MAX_FILE_BYTES",
    "HsdsData",
    "HsdsImport",
    "HsdsReadError",
    "MappedService",
    "check_services",
    "collect",
    "collect_tabular",
    "document_of",
    "hsds_source_document",
    "hsds_to_document",
    "import_hsds",
    "is_hsds",
    "map_services",
    "read_hsds",
    "terms_and_places",
]


@dataclass
class HsdsImport:
    """What an HSDS import found and did: every service with its problems and warnings."""

    source: str
    services: list[MappedService] = field(default_factory=list)
    report: object | None = None  # importer.ImportReport when something was written (or dry run)
    read_problem: str | None = None

    @property
    def fitting(self) -> list[MappedService]:
        return [s for s in self.services if s.fits]

    @property
    def unfit(self) -> list[MappedService]:
        return [s for s in self.services if not s.fits]

    @property
    def imported(self) -> bool:
        return self.report is not None and self.report.ok


def _problems_of(problems) -> list[tuple[str, str]]:
    result = []
    for problem in problems:
        where = re.sub(r"^activiteiten\[\d+\]\.?", "", problem.field or "")
        where = re.sub(r"^organisaties\[\d+\]", "organisatie", where)
        result.append((where or "-", problem.text))
    return result


def check_services(engine: Engine | None, mapped: list[MappedService], source: str, catalogus=None) -> None:
    """Run our normal validation on each mapped service on its own, so problems are per record."""
    from sociale_kaart.importer import _known_organisation_ids
    from sociale_kaart.validation import validate_documents

    known = _known_organisation_ids(engine) if engine is not None else set()
    taxonomy = load_taxonomy()
    for entry in mapped:
        if not entry.fits:
            continue
        document = SourceDocument(source, source, LineDict(document_of([entry], catalogus)))
        validation = validate_documents([document], known, taxonomy)
        entry.problems += _problems_of(validation.problems)


def import_hsds(
    engine: Engine,
    path: str | Path,
    crosswalk: Crosswalk | None = None,
    only_fitting: bool = False,
    dry_run: bool = False,
) -> HsdsImport:
    """Import others' HSDS data. Without ``only_fitting`` nothing is written when any service
    does not fit; with it, the fitting ones are imported (in one transaction)."""
    from sociale_kaart.importer import import_documents

    path = Path(path)
    result = HsdsImport(source=path.name)
    try:
        data = read_hsds(path)
    except HsdsReadError as error:
        result.read_problem = error.text
        return result
    crosswalk = crosswalk or load_crosswalk()
    result.services = map_services(data, crosswalk)
    check_services(engine, result.services, result.source, data.catalogus)
    if result.unfit and not only_fitting:
        return result
    if not result.fitting:
        return result
    document = SourceDocument(
        result.source, result.source, LineDict(document_of(result.fitting, data.catalogus))
    )
    result.report = import_documents(engine, [document], dry_run=dry_run)
    return result
