"""Read catalogue files (YAML or CSV) into documents in the file format, with line numbers."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sociale_kaart import csv_format
from sociale_kaart.problems import LineDict, LineList, Problem
from sociale_kaart.texts import message


@dataclass(frozen=True)
class InputLimits:
    """Limits on an import file: its size in bytes and how deeply lists and blocks nest.

    A catalogue file nests a few levels (activity > locaties > one location); a
    file far deeper is not a catalogue, and parsing it could exhaust the stack.
    The editors' CLI reads them from WW_IMPORT_MAX_BYTES / WW_IMPORT_MAX_DEPTH."""

    max_bytes: int = 20_000_000
    max_depth: int = 40

    @classmethod
    def from_settings(cls, settings) -> InputLimits:
        """From bot.settings.Settings (import_max_bytes, import_max_depth), e.g. for a browser upload."""
        return cls(max_bytes=settings.import_max_bytes, max_depth=settings.import_max_depth)


DEFAULT_LIMITS = InputLimits()


def _depth_exceeds(data, max_depth: int) -> bool:
    """Whether dicts/lists nest deeper than `max_depth` (iterative: no recursion)."""
    stack = [(data, 1)]
    seen: set[int] = set()  # YAML anchors share (even contain) objects: visit each once
    while stack:
        value, depth = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _too_deep(file: str, source: str, limits: InputLimits) -> SourceDocument:
    text = message("fouten.te_diep_genest", max=limits.max_depth)
    problem = Problem(file, None, None, text, "te_diep_genest")
    return SourceDocument(file, source, LineDict(), problems=[problem])


@dataclass
class SourceDocument:
    """One file's content as ``{catalogus, organisaties, activiteiten}``."""

    file: str  # as shown in messages
    source: str  # the import source: the file name
    data: dict
    line_kind: str = "regel"
    problems: list[Problem] = field(default_factory=list)


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings and lists remember the line of each entry."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LineDict(line=node.start_mark.line + 1)
    yield data
    written = [key_node for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge"]
    data.update(loader.construct_mapping(node, deep=True))  # also resolves "<<: *anchor" merges
    for key_node, _value_node in node.value:  # merged keys first, then the ones written here
        try:
            data.lines[loader.construct_object(key_node, deep=True)] = key_node.start_mark.line + 1
        except TypeError:  # an unhashable key; construct_mapping already refused it
            pass
    # PyYAML keeps the last of two equal keys silently; the editor should know.
    first_line: dict = {}
    for key_node in written:
        if isinstance(key_node, yaml.ScalarNode):
            line = key_node.start_mark.line + 1
            if key_node.value in first_line:
                data.duplicates.append((key_node.value, first_line[key_node.value], line))
            first_line.setdefault(key_node.value, line)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    data = LineList(line=node.start_mark.line + 1)
    yield data
    data.extend(loader.construct_sequence(node, deep=True))
    data.lines = {index: item.start_mark.line + 1 for index, item in enumerate(node.value)}


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def parse_yaml(text: str, file: str, source: str, limits: InputLimits = DEFAULT_LIMITS) -> SourceDocument:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:  # nesting so deep that the parser ran out of stack
        return _too_deep(file, source, limits)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = Problem(
            file,
            mark.line + 1 if mark else None,
            None,
            message("fouten.yaml_onleesbaar", detail=getattr(error, "problem", None) or str(error)),
            "yaml_onleesbaar",
        )
        return SourceDocument(file, source, LineDict(), problems=[problem])
    if data is None:
        data = LineDict(line=1)
    if not isinstance(data, dict):
        problem = Problem(file, 1, None, message("fouten.hoofdstructuur"), "hoofdstructuur")
        return SourceDocument(file, source, LineDict(), problems=[problem])
    if _depth_exceeds(data, limits.max_depth):
        return _too_deep(file, source, limits)
    return SourceDocument(file, source, data)


def _row_dict(row_number: int, values: dict) -> LineDict:
    result = LineDict(values, line=row_number)
    result.lines = {key: row_number for key in values}
    return result


def _cell(row: dict, column: str) -> str:
    return csv_format.unguard_formula((row.get(column) or "").strip())


def _activity_from_row(row: dict, number: int, document: SourceDocument) -> LineDict:
    def nested(values: dict) -> LineDict:
        return _row_dict(number, {key: value for key, value in values.items() if value not in ("", None)})

    record = nested(
        {
            key: _cell(row, key)
            for key in (
                "id",
                "organisatie",
                "naam",
                "beschrijving",
                "toegankelijkheid",
                "eerste_keer_begeleiding",
                "status",
                "geldig_van",
                "geldig_tot",
            )
        }
    )
    for key in ("categorieen", "themas", "talen"):
        if _cell(row, key):
            record[key] = LineList(csv_format.split_list(_cell(row, key)), line=number)
    record["aanbod_in"] = nested(
        {
            "gemeenten": LineList(csv_format.split_list(_cell(row, "aanbod_in_gemeenten")), line=number)
            or None,
            "regio": _cell(row, "aanbod_in_regio"),
            "online": _cell(row, "aanbod_in_online"),
        }
    )
    columns = {
        name: csv_format.split_parallel(_cell(row, f"locaties_{name}")) for name in csv_format.LOCATION_FIELDS
    }
    count = max(len(values) for values in columns.values())
    record["locaties"] = LineList(
        [
            nested({name: (values[i] if i < len(values) else "") for name, values in columns.items()})
            for i in range(count)
        ],
        line=number,
    )
    rules = LineList(line=number)
    for text in csv_format.split_list(_cell(row, "rooster_regels")):
        rule = csv_format.parse_rule(text)
        if rule is None:
            document.problems.append(
                Problem(
                    document.file,
                    number,
                    "rooster_regels",
                    message("fouten.roosterregel_ongeldig", waarde=text),
                    "roosterregel_ongeldig",
                    "rij",
                )
            )
        else:
            rules.append(nested(rule))
    record["rooster"] = nested({"omschrijving": _cell(row, "rooster_omschrijving"), "regels": rules or None})
    record["kosten"] = nested(
        {key: _cell(row, f"kosten_{key}") for key in ("gratis", "bedrag", "per", "omschrijving")}
    )
    groups = csv_format.split_list(_cell(row, "doelgroep_groepen"))
    record["doelgroep"] = nested(
        {
            "leeftijd_min": _cell(row, "doelgroep_leeftijd_min"),
            "leeftijd_max": _cell(row, "doelgroep_leeftijd_max"),
            "groepen": LineList(groups, line=number) if groups else None,
        }
    )
    record["aanmelden"] = nested(
        {"wijze": _cell(row, "aanmelden_wijze"), "indicatie_nodig": _cell(row, "aanmelden_indicatie_nodig")}
    )
    record["contact"] = nested(
        {key: _cell(row, f"contact_{key}") for key in ("telefoon", "email", "website")}
    )
    record["laatst_gecontroleerd"] = nested(
        {"datum": _cell(row, "laatst_gecontroleerd_datum"), "door": _cell(row, "laatst_gecontroleerd_door")}
    )
    for key in (
        "aanbod_in",
        "rooster",
        "kosten",
        "doelgroep",
        "aanmelden",
        "contact",
        "laatst_gecontroleerd",
        "locaties",
    ):
        if not record[key]:
            del record[key]
    record.lines = {key: number for key in record}
    return record


def parse_csv(text: str, file: str, source: str) -> SourceDocument:
    document = SourceDocument(file, source, LineDict(line=1), line_kind="rij")

    def problem(line, column, code, **values):
        document.problems.append(
            Problem(file, line, column, message(f"fouten.{code}", **values), code, "rij")
        )

    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=_sniff_delimiter(text))
        header = [name.strip() for name in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = list(reader)
    except csv.Error as error:
        problem(None, None, "csv_onleesbaar", detail=str(error))
        return document
    if "organisatie" in header:
        kind, known = "activiteiten", csv_format.ACTIVITY_COLUMNS
    elif "voorbeeldgegevens" in header:
        kind, known = "catalogus", csv_format.CATALOGUE_COLUMNS
    elif "id" in header and "naam" in header:
        kind, known = "organisaties", csv_format.ORGANISATION_COLUMNS
    else:
        problem(1, None, "csv_kolommen_onbekend")
        return document
    for column in header:
        if column not in known:
            problem(1, column, "veld_onbekend")
    for row_number, row in enumerate(rows, start=2):
        if None in row:  # more cells than columns
            problem(row_number, None, "csv_onleesbaar", detail=f"{len(header)} kolommen verwacht")
        if not any((value or "").strip() for key, value in row.items() if key is not None):
            continue
        if kind == "activiteiten":
            record = _activity_from_row(row, row_number, document)
        else:
            record = _row_dict(row_number, {key: _cell(row, key) for key in known if _cell(row, key)})
        if kind == "catalogus":
            document.data["catalogus"] = record
            document.data.lines["catalogus"] = row_number
        else:
            document.data.setdefault(kind, LineList(line=row_number)).append(record)
            document.data[kind].lines[len(document.data[kind]) - 1] = row_number
            document.data.lines.setdefault(kind, row_number)
    return document


def _sniff_delimiter(text: str) -> str:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def read_path(path: str | Path, limits: InputLimits = DEFAULT_LIMITS) -> SourceDocument:
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yml", ".yaml", ".csv", ".json"):
        return SourceDocument(
            file,
            path.name,
            LineDict(),
            problems=[
                Problem(file, None, None, message("fouten.bestand_soort_onbekend"), "bestand_soort_onbekend")
            ],
        )
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:  # refused before reading: nothing of it is parsed
            problem = Problem(file, None, None, message(
                "fouten.bestand_te_groot", grootte=f"{size / 1_000_000:.1f}",
                max=f"{limits.max_bytes / 1_000_000:g}"), "bestand_te_groot")
            return SourceDocument(file, path.name, LineDict(), problems=[problem])
        raw = path.read_bytes()
    except OSError:
        return SourceDocument(
            file,
            path.name,
            LineDict(),
            problems=[
                Problem(file, None, None, message("fouten.bestand_niet_gevonden"), "bestand_niet_gevonden")
            ],
        )
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" and many JSON writers start with a BOM
    except UnicodeDecodeError:
        if suffix != ".csv":
            return SourceDocument(
                file,
                path.name,
                LineDict(),
                problems=[Problem(file, None, None, message("fouten.geen_utf8"), "geen_utf8")],
            )
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV (gescheiden door lijstscheidingsteken)"
    if suffix == ".csv":
        return parse_csv(text, file, path.name)
    if suffix == ".json":
        return parse_hsds_json(text, file, path.name, limits)
    return parse_yaml(text, file, path.name, limits)


def parse_hsds_json(
    text: str, file: str, source: str, limits: InputLimits = DEFAULT_LIMITS
) -> SourceDocument:
    """An HSDS 3.0 JSON export; problems name fields of the converted record (no line numbers)."""
    from sociale_kaart.import_hsds import hsds_source_document, is_hsds

    try:
        data = json.loads(text)
    except RecursionError:
        return _too_deep(file, source, limits)
    except json.JSONDecodeError as error:
        problem = Problem(
            file, error.lineno, None, message("fouten.json_onleesbaar", detail=error.msg), "json_onleesbaar"
        )
        return SourceDocument(file, source, LineDict(), problems=[problem])
    if _depth_exceeds(data, limits.max_depth):
        return _too_deep(file, source, limits)
    if not is_hsds(data):
        problem = Problem(file, None, None, message("fouten.hsds_structuur"), "hsds_structuur")
        return SourceDocument(file, source, LineDict(), problems=[problem])
    return hsds_source_document(data, file, source)
