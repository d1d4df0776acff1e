"""'Bedoel je ...?' suggestions for misspelt names and codes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_name(text: str) -> str:
    """Lowercase, without accents, "'s-" kept as "s", punctuation as single spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("'s-", "s ").replace("\u2019s-", "s ")
    return _NON_WORD.sub(" ", text).strip()


def suggestions(value: str, choices: Iterable[str], cutoff: float = 72.0, limit: int = 2) -> list[str]:
    """The closest choices by plain ratio on normalised text (not token_set_ratio:
    that scores any subset as 100). Ties within 3 points are all returned, so the
    editor is asked instead of guessed for."""
    wanted = normalise_name(value)
    if not wanted:
        return []
    scored = []
    for choice in dict.fromkeys(choices):
        normalised = normalise_name(choice)
        score = max(
            fuzz.ratio(wanted, normalised), fuzz.ratio(wanted.replace(" ", ""), normalised.replace(" ", ""))
        )
        if score >= cutoff:
            scored.append((score, choice))
    scored.sort(key=lambda item: -item[0])
    if not scored:
        return []
    best = scored[0][0]
    return [choice for score, choice in scored if best - score <= 3][:limit]
