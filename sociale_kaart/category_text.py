"""Read a free answer to "Wat doe je graag?" as a category of the sociale kaart.

"praten met anderen", "iets met mijn handen", "naar buiten", "ik wil graag
wandelen" and "schilderen of zo" each name a category. The vocabulary is the
labels and words of vocab/categories.yml, the everyday phrases of
categorie_woorden.yml and the word groups of zoekwoorden.yml (a group takes
the category of its words when they agree on one). Matching is on words as
typed, their lemma and a light stem; compounds by word start ("zwemclub");
small typos of longer words ("schilderren") by edit distance. A match right
after "niet" or "geen" does not count ("niet sporten, liever praten").

The longest phrase wins, then the earliest, then the caller's preferred
categories (the theme's). Answers like "maakt niet uit" give ALL; an answer
that names nothing gives None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz.distance import OSA

from sociale_kaart.places import allowed_edits
from sociale_kaart.taxonomy import load_taxonomy
from sociale_kaart.text import STOPWORDS, is_dutch_word, lemma, stem, words

PACKAGE_DIR = Path(__file__).resolve().parent
PHRASES_FILE = PACKAGE_DIR / "categorie_woorden.yml"
SEARCH_WORDS_FILE = PACKAGE_DIR / "zoekwoorden.yml"

ALL = "alles"  # the resident leaves the choice to us
_NEGATIONS = frozenset(("niet", "geen", "nooit", "liever niet"))
_NEGATION_WINDOW = 2
_FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    code: str


@dataclass(frozen=True)
class _Vocabulary:
    phrases: tuple[_Phrase, ...]
    prefixes: tuple[tuple[str, str], ...]  # (word start, code)
    fuzzy: tuple[tuple[str, str], ...]  # (single word of 5+ letters, code)


def _split(text: str) -> tuple[str, ...]:
    return tuple(words(text))


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    taxonomy = load_taxonomy()
    phrases: list[_Phrase] = []
    prefixes: list[tuple[str, str]] = []
    direct: dict[str, set[str]] = {}

    def add(text: str, code: str) -> None:
        split = _split(text)
        if split and _Phrase(split, code) not in phrases:
            phrases.append(_Phrase(split, code))
            if len(split) == 1:
                direct.setdefault(split[0], set()).add(code)

    for code, category in taxonomy.categories.items():
        for part in re.split(r"\s*&\s*", category.label):
            add(part, code)
        for word in category.words:
            add(word, code)
    with open(PHRASES_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    for code, entry in (data.get("categorieen") or {}).items():
        if code not in taxonomy.categories:
            raise ValueError(f"{PHRASES_FILE.name}: unknown category {code!r}")
        for text in entry.get("zinnen") or []:
            add(text, code)
        for start in entry.get("woordbegin") or []:
            prefixes.append((start.lower(), code))
    for text in data.get("alles") or []:
        split = _split(text)
        if split:
            phrases.append(_Phrase(split, ALL))
    with open(SEARCH_WORDS_FILE, encoding="utf-8") as handle:
        groups = (yaml.safe_load(handle) or {}).get("groepen") or []
    for group in groups:
        codes = set().union(*(direct.get(w, set()) for w in (" ".join(_split(g)) for g in group)))
        if len(codes) == 1:
            (code,) = codes
            for word in group:
                add(word, code)
    fuzzy = tuple(
        (p.words[0], p.code) for p in phrases if len(p.words) == 1 and len(p.words[0]) >= _FUZZY_MIN_LENGTH
    )
    return _Vocabulary(tuple(phrases), tuple(prefixes), fuzzy)


def _same(token: str, word: str) -> bool:
    if token == word:
        return True
    if word in STOPWORDS or token in STOPWORDS:
        return False
    if lemma(token) == lemma(word):
        return True
    return len(word) >= _FUZZY_MIN_LENGTH and stem(token) == stem(word)


def _negated(tokens: tuple[str, ...], start: int) -> bool:
    return any(t in _NEGATIONS for t in tokens[max(0, start - _NEGATION_WINDOW) : start])


def category_for_text(text: str, preferred: list[str] | tuple[str, ...] = ()) -> str | None:
    """The category code a free answer names, ALL for "maakt niet uit", or None."""
    tokens = _split(text or "")[:60]
    if not tokens:
        return None
    vocab = vocabulary()
    hits: list[tuple[float, int, str]] = []  # (length, start, code)
    for phrase in vocab.phrases:
        size = len(phrase.words)
        for start in range(len(tokens) - size + 1):
            if all(_same(tokens[start + i], phrase.words[i]) for i in range(size)):
                if not _negated(tokens, start) or phrase.code == ALL:
                    hits.append((size, start, phrase.code))
    for start, token in enumerate(tokens):
        if token in STOPWORDS or _negated(tokens, start):
            continue
        for prefix, code in vocab.prefixes:
            if len(prefix) >= 3 and token.startswith(prefix):
                hits.append((1, start, code))
        if len(token) >= _FUZZY_MIN_LENGTH and not is_dutch_word(token):
            for word, code in vocab.fuzzy:
                if OSA.distance(token, word, score_cutoff=3) <= allowed_edits(len(word)):
                    hits.append((0.5, start, code))  # a typo counts less than a word as written
    categories = [h for h in hits if h[2] != ALL]
    if not categories:
        return ALL if hits else None

    def rank(code: str) -> int:
        return preferred.index(code) if code in preferred else len(preferred)

    best = min(categories, key=lambda h: (-h[0], h[1], rank(h[2])))
    return best[2]
