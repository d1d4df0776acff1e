"""Shared helpers for the sociale_kaart tests: a valid catalogue document and a fresh database."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from sociale_kaart.db import make_engine, migrate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD_YAML = FIXTURES / "kaart_good.yml"


def good_document() -> dict:
    return copy.deepcopy(yaml.safe_load(GOOD_YAML.read_text(encoding="utf-8")))


def write_yaml(path: Path, document: dict) -> Path:
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def fresh_engine(tmp_path: Path, name: str = "kaart.db"):
    url = f"sqlite:///{tmp_path / name}"
    migrate(url)
    return make_engine(url)
