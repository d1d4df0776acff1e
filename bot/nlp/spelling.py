"""Typo correction towards a known vocabulary (pure Python: no Rasa, no spaCy import).

Residents type fast on phones: "ik skaap slecht", "ik word thuis geslaren".
A classifier or a lexicon only knows the words it was given, so a misspelt
word simply drops out of the message. `Speller` maps such a word back to the
nearest word of a target vocabulary (the training data's words, or the words of
a safety lexicon), but only when

- the word is at least four letters long,
- it is not a Dutch word itself (spaCy's Dutch lemma table and stop words;
  "door" must never become "dood"),
- a vocabulary word lies within one edit (two for words of eight letters or
  more; a swap of two neighbouring letters counts as one edit), and
- that nearest word is unique, or, when a word frequency is known, the most
  frequent of the nearest words. With `keyboard=True` a tie first goes to the
  word reached by hitting a neighbouring key ("deud" → "deur", not "deed").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.nlp import wordlists
from bot.nlp.wordlists import WordSet

MIN_LENGTH = 4
LONG_WORD = 8
_WORD = re.compile(r"[a-z]+")
T = TypeVar("T")
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, set[str]]:
    """Keys within one step of each other on a (Dutch) QWERTY keyboard, diagonals included."""
    position = {key: (row, col) for row, keys in enumerate(_KEY_ROWS) for col, key in enumerate(keys)}
    return {
        key: {
            other
            for other, (row2, col2) in position.items()
            if other != key and abs(row2 - row) <= 1 and abs(col2 - col) <= 1
        }
        for key, (row, col) in position.items()
    }


_NEIGHBOURS = _neighbours()
NEIGHBOURS = _NEIGHBOURS  # shared with the crisis lexicon's keyboard reading


def keyboard_score(typed: str, word: str) -> int:
    """How well `typed` is explained by neighbouring-key slips of `word` (higher is more likely)."""
    if len(typed) != len(word):
        return -1
    return sum(1 if b in _NEIGHBOURS.get(a, ()) else -1 for a, b in zip(typed, word, strict=True) if a != b)


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, WordSet]:
    return wordlists.load()  # var/wordlists, memory-mapped (bot.nlp.wordlists)


@lru_cache(maxsize=1)
def dutch_words() -> WordSet:
    """Dutch word forms: every form and lemma of spaCy's Dutch lookup table, plus its stop words."""
    return _word_lists()["dutch"]


COMMON_DUTCH_COUNT = wordlists.COMMON_DUTCH_COUNT


@lru_cache(maxsize=1)
def common_dutch_words() -> WordSet:
    """`dutch_words()` plus the COMMON_DUTCH_COUNT most frequent words of wordfreq's Dutch list."""
    return _word_lists()["common"]


@lru_cache(maxsize=1)
def frequent_dutch_words() -> WordSet:
    """The a-z words of wordfreq's Dutch list with a Zipf frequency of at least wordlists.FREQUENT_ZIPF."""
    return _word_lists()["frequent"]


class Speller:
    """Corrects words that are not Dutch to the nearest word of `vocabulary`."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        known_words: Collection[str] | None = None,
        frequency: Mapping[str, int] | None = None,
        keyboard: bool = False,
    ) -> None:
        self._choices = sorted({word.lower() for word in vocabulary if len(word) >= MIN_LENGTH})
        self._vocabulary = frozenset(self._choices)
        self._known_words = known_words
        self._frequency = frequency or {}
        self._keyboard = keyboard

    @property
    def known_words(self) -> Collection[str]:
        if self._known_words is None:
            self._known_words = dutch_words()
        return self._known_words

    def correct(self, word: str) -> str | None:
        """The vocabulary word that `word` is a typo of, or None when it is not one (or unclear)."""
        word = word.lower()
        if len(word) < MIN_LENGTH or not word.isalpha() or word in self._vocabulary:
            return None
        if word in self.known_words:
            return None
        allowed = 1 if len(word) < LONG_WORD else 2
        matches = process.extract(word, self._choices, scorer=OSA.distance, score_cutoff=allowed, limit=None)
        if not matches:
            return None
        nearest = min(distance for _, distance, _ in matches)
        candidates = [choice for choice, distance, _ in matches if distance == nearest]
        if len(candidates) == 1:
            return candidates[0]

        def rank(candidate: str) -> tuple[int, int]:
            near = keyboard_score(word, candidate) if self._keyboard else 0
            return near, self._frequency.get(candidate, 0)

        ranked = sorted(candidates, key=rank, reverse=True)
        if rank(ranked[0]) > rank(ranked[1]):
            return ranked[0]
        return None

    def correct_text(self, text: str) -> str:
        """`text` (lowercase, as the safety lexicons normalise it) with its typos corrected."""
        return _WORD.sub(lambda match: self.correct(match.group(0)) or match.group(0), text)

    def find(self, text: str, search: Callable[[str], T | None]) -> T | None:
        """`search(text)` as typed; when that finds nothing, once more with the typos corrected."""
        found = search(text)
        if found is None:
            corrected = self.correct_text(text)
            if corrected != text:
                found = search(corrected)
        return found


def pattern_words(patterns: Iterable[str]) -> Counter[str]:
    """The literal words in regular expressions, with how often they occur: a lexicon's own vocabulary."""
    words: Counter[str] = Counter()
    for pattern in patterns:
        without_escapes = re.sub(r"\\[a-zA-Z]", " ", pattern)  # \b, \w and \s are not letters of a word
        words.update(re.findall(rf"[a-z]{{{MIN_LENGTH},}}", without_escapes))
    return words
