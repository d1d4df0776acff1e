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


def _where(field: str | None) -> str:
    where = re.sub(r"^activiteiten\[\d+\]\.?", "", field or "")
    where = re.sub(r"^organisaties\[\d+\]", "organisatie", where)
    return where or "-"


def _problems_of(problems) -> list[tuple[str, str]]:
    return [(_where(problem.field), problem.text) for problem in problems]


def _block(where: str) -> str:
    return re.split(r"[.\[]", where, maxsplit=1)[0]


def check_services(engine: Engine | None, mapped: list[MappedService], source: str, catalogus=None) -> None:
    """Run our normal validation on the mapped services, in one document (one check of ids
    across them too), and give each service the problems of its own fields and organisation."""
    from sociale_kaart.importer import _known_organisation_ids
    from sociale_kaart.validation import validate_documents

    if not mapped:
        return
    known = _known_organisation_ids(engine) if engine is not None else set()
    data = document_of(mapped, catalogus)
    document = SourceDocument(source, source, LineDict(data))
    validation = validate_documents([document], known, load_taxonomy())
    found: list[list[tuple[str, str]]] = [[] for _ in mapped]
    organisations = [o.get("id") for o in data["organisaties"]]
    for problem in validation.problems:
        field = problem.field or ""
        activity = re.match(r"^activiteiten\[(\d+)\]", field)
        organisation = re.match(r"^organisaties\[(\d+)\]", field)
        if activity and int(activity[1]) < len(mapped):
            owners = [int(activity[1])]
        elif organisation and int(organisation[1]) < len(organisations):
            wanted = organisations[int(organisation[1])]
            owners = [
                i for i, e in enumerate(mapped) if e.organisation and e.organisation.get("id") == wanted
            ]
        else:
            owners = list(range(len(mapped)))  # the file as a whole (e.g. its catalogus block)
        for index in owners:
            found[index].append((_where(field), problem.text))
    for entry, problems in zip(mapped, found, strict=True):
        # A service that already does not fit gets the validation's other problems too (an
        # unknown organisation, no description), so one report lists everything to fix;
        # a field the mapping already explained is not named twice.
        explained = {_block(where) for where, _ in entry.problems}
        entry.problems += [p for p in dict.fromkeys(problems) if _block(p[0]) not in explained]


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
