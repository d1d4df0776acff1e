"""Export the catalogue in its own YAML file format (see docs/contracts.md)."""

from __future__ import annotations

import yaml
from sqlalchemy.engine import Engine

from sociale_kaart.records import load_catalogue


def _without_empty(value):
    """Leave out None, empty lists and empty blocks, so the file reads like a hand-written one."""
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def catalogue_yaml(engine: Engine) -> str:
    with engine.connect() as connection:
        catalogue = load_catalogue(connection)
    document = {
        "catalogus": catalogue["catalogus"],
        "organisaties": [_without_empty(o) for o in catalogue["organisaties"]],
        "activiteiten": [_without_empty(a) for a in catalogue["activiteiten"]],
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
