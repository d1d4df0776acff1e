"""Flags medical data (diagnoses, medication, doses) in a referral reason or feedback text.

The table is bot/referral/medical_terms.yml (own list, in Dutch); plain social
reasons ("zit veel alleen thuis", "weinig geld", "mantelzorger voor haar man")
pass. Text is compared as lower-case words without accents, so "Diabetes",
"diabétes" and "oxazepam." all hit. A typo within one edit of a listed word of
eight letters or more also hits ("depresie", "sertralien"); shorter words must
match exactly, so ordinary words close to them are not flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz.distance import OSA

TERMS_FILE = Path(__file__).resolve().parent / "medical_terms.yml"
FUZZY_MIN_LENGTH = 8
SUFFIX_MIN_LENGTH = 7


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class MedicalTable:
    phrases: tuple[str, ...]  # multi-word terms
    words: frozenset[str]
    suffixes: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]
    warning: str
    found_text: str


@lru_cache(maxsize=1)
def table(path: Path = TERMS_FILE) -> MedicalTable:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    terms = [_plain(t) for t in [*data["diagnoses"], *data["medicatie"]]]
    return MedicalTable(
        phrases=tuple(t for t in terms if " " in t or "-" in t),
        words=frozenset(t for t in terms if " " not in t and "-" not in t),
        suffixes=tuple(_plain(s) for s in data["medicatie_uitgangen"]),
        patterns=tuple(re.compile(p, re.IGNORECASE) for p in data["doseringen"]),
        warning=data["waarschuwing"],
        found_text=data["gevonden"],
    )


def find_medical(text: str | None) -> list[str]:
    """The medical words or phrases found in `text` (as written there), in order; [] when clean."""
    if not text:
        return []
    t = table()
    plain = _plain(text)
    found: list[str] = []

    def add(value: str) -> None:
        if value not in found:
            found.append(value)

    for phrase in t.phrases:
        if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", plain):
            add(phrase)
    for pattern in t.patterns:
        for match in pattern.finditer(plain):
            add(match.group(0).strip())
    for word in re.findall(r"\w+", plain):
        if word in t.words:
            add(word)
        elif len(word) >= SUFFIX_MIN_LENGTH and word.endswith(t.suffixes):
            add(word)
        elif len(word) >= FUZZY_MIN_LENGTH and any(
            abs(len(word) - len(term)) <= 1 and OSA.distance(word, term) <= 1
            for term in t.words
            if len(term) >= FUZZY_MIN_LENGTH
        ):
            add(word)
    return found


def warning() -> str:
    return table().warning


def found_message(words: list[str]) -> str:
    return table().found_text.format(woorden=", ".join(f'"{w}"' for w in words))
