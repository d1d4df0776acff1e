"""Export the catalogue as three CSV files: catalogus.csv, organisaties.csv, activiteiten.csv."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.engine import Engine

from sociale_kaart import csv_format
from sociale_kaart.csv_format import SEPARATOR, format_bool, guard_formula
from sociale_kaart.records import load_catalogue

FILE_NAMES = {
    "catalogus": "catalogus.csv",
    "organisaties": "organisaties.csv",
    "activiteiten": "activiteiten.csv",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return format_bool(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def activity_row(record: dict) -> dict:
    offered = record["aanbod_in"] or {}
    locations = record["locaties"]
    row = {
        "id": record["id"],
        "organisatie": record["organisatie"],
        "naam": record["naam"],
        "beschrijving": record["beschrijving"],
        "categorieen": SEPARATOR.join(record["categorieen"]),
        "themas": SEPARATOR.join(record["themas"]),
        "aanbod_in_gemeenten": SEPARATOR.join(offered.get("gemeenten") or []),
        "aanbod_in_regio": offered.get("regio") or "",
        "aanbod_in_online": format_bool(True) if offered.get("online") else "",
        "rooster_omschrijving": _text(record["rooster"]["omschrijving"]),
        "rooster_regels": f"{SEPARATOR} ".join(
            csv_format.format_rule(r) for r in record["rooster"]["regels"]
        ),
        "doelgroep_groepen": SEPARATOR.join(record["doelgroep"]["groepen"]),
        "talen": SEPARATOR.join(record["talen"]),
        "toegankelijkheid": _text(record["toegankelijkheid"]),
        "eerste_keer_begeleiding": format_bool(record["eerste_keer_begeleiding"]),
        "status": record["status"],
        "geldig_van": _text(record["geldig_van"]),
        "geldig_tot": _text(record["geldig_tot"]),
    }
    for name in csv_format.LOCATION_FIELDS:
        row[f"locaties_{name}"] = SEPARATOR.join(_text(loc[name]) for loc in locations)
    for block in ("kosten", "aanmelden", "contact", "laatst_gecontroleerd"):
        for key, value in record[block].items():
            row[f"{block}_{key}"] = _text(value)
    row["doelgroep_leeftijd_min"] = _text(record["doelgroep"]["leeftijd_min"])
    row["doelgroep_leeftijd_max"] = _text(record["doelgroep"]["leeftijd_max"])
    if not record["kosten"]["gratis"]:
        row["kosten_gratis"] = ""
    return row


def _csv_text(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: guard_formula(_text(row.get(column))) for column in columns})
    return buffer.getvalue()


def catalogue_csv_files(engine: Engine) -> dict[str, str]:
    """File name -> CSV text."""
    with engine.connect() as connection:
        catalogue = load_catalogue(connection)
    return {
        FILE_NAMES["catalogus"]: _csv_text(csv_format.CATALOGUE_COLUMNS, [catalogue["catalogus"]]),
        FILE_NAMES["organisaties"]: _csv_text(csv_format.ORGANISATION_COLUMNS, catalogue["organisaties"]),
        FILE_NAMES["activiteiten"]: _csv_text(
            csv_format.ACTIVITY_COLUMNS, [activity_row(a) for a in catalogue["activiteiten"]]
        ),
    }


def write_catalogue_csv(engine: Engine, directory: str | Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in catalogue_csv_files(engine).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
