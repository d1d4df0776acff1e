"""The vocabularies of the sociale kaart: themes, categories, municipalities, helplines.

Read only from the mirror in ``sociale_kaart/vocab/`` (see docs/contracts.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    covers: str
    categories: tuple[str, ...]
    facts: tuple[str, ...] = ()
    helpline: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Municipality:
    code: str
    naam: str
    provincie: str
    regio: str
    welzijnsorganisatie: str | None
    woonplaatsen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Helpline:
    code: str
    naam: str
    telefoon: tuple[str, ...] = ()
    web: str | None = None
    wanneer: str | None = None
    regels: str | None = None


@dataclass(frozen=True)
class Taxonomy:
    """All vocabularies; each mapping is keyed by code and keeps the file order."""

    themes: dict[str, Theme]
    categories: dict[str, Category]
    municipalities: dict[str, Municipality]
    helplines: dict[str, Helpline]
    special_intents: dict[str, str] = field(default_factory=dict)

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.regio for m in self.municipalities.values()))

    def municipalities_in_region(self, regio: str) -> list[Municipality]:
        return [m for m in self.municipalities.values() if m.regio == regio]


def _read_yaml(name: str, vocab_dir: Path) -> dict:
    with open(vocab_dir / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _themes(vocab_dir: Path) -> tuple[dict[str, Theme], dict[str, str]]:
    data = _read_yaml("themes.yml", vocab_dir)
    themes = {
        item["code"]: Theme(
            code=item["code"],
            label=item["label"],
            covers=item.get("covers", ""),
            categories=tuple(item.get("categories") or ()),
            facts=tuple(item.get("facts") or ()),
            helpline=item.get("helpline"),
            note=item.get("note"),
        )
        for item in data["themes"]
    }
    return themes, dict(data.get("special_intents") or {})


def _categories(vocab_dir: Path) -> dict[str, Category]:
    data = _read_yaml("categories.yml", vocab_dir)
    return {
        item["code"]: Category(code=item["code"], label=item["label"], words=tuple(item.get("words") or ()))
        for item in data["categories"]
    }


def _municipalities(vocab_dir: Path) -> dict[str, Municipality]:
    with open(vocab_dir / "gemeenten.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Municipality(
            code=row["code"],
            naam=row["naam"],
            provincie=row["provincie"],
            regio=row["regio"],
            welzijnsorganisatie=row["welzijnsorganisatie"] or None,
            woonplaatsen=tuple(p.strip() for p in row["woonplaatsen"].split(";") if p.strip()),
        )
        for row in rows
    }


def _helplines(vocab_dir: Path) -> dict[str, Helpline]:
    data = _read_yaml("hulplijnen.yml", vocab_dir)
    return {
        code: Helpline(
            code=code,
            naam=item["naam"],
            telefoon=tuple(item.get("telefoon") or ()),
            web=item.get("web"),
            wanneer=item.get("wanneer"),
            regels=item.get("regels"),
        )
        for code, item in data["hulplijnen"].items()
    }


def read_taxonomy(vocab_dir: Path = VOCAB_DIR) -> Taxonomy:
    themes, special = _themes(vocab_dir)
    return Taxonomy(
        themes=themes,
        categories=_categories(vocab_dir),
        municipalities=_municipalities(vocab_dir),
        helplines=_helplines(vocab_dir),
        special_intents=special,
    )


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The taxonomy from the package's vocab mirror, read once per process."""
    return read_taxonomy()
