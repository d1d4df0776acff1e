"""Free-text search over activity names and descriptions, held in memory per process.

The index maps each lemma of an activity's name and description to the activities
that use it (compact integer arrays). A search word is corrected for typos
against the known words, widened with its group from zoekwoorden.yml, and then
matched exactly, as the start of a compound ("wandel" -> "wandelgroep") or as its
end ("koor" -> "buurtkoor"). Category words (categories.yml) are reported back so
that the caller can count an activity's category as a (weaker) hit.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from sociale_kaart.places import allowed_edits
from sociale_kaart.taxonomy import load_taxonomy
from sociale_kaart.text import search_terms, stem

SYNONYMS_FILE = Path(__file__).resolve().parent / "zoekwoorden.yml"

NAME_WEIGHT = 1.0
DESCRIPTION_WEIGHT = 0.7
TYPO_FACTOR = 0.8
SYNONYM_FACTOR = 0.9
PREFIX_FACTOR = 0.9
SUFFIX_FACTOR = 0.85
MAX_QUERY_TERMS = 8
MAX_EXPANSIONS = 200
MIN_AFFIX = 4


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[frozenset[str], ...]:
    with open(SYNONYMS_FILE, encoding="utf-8") as handle:
        groups = (yaml.safe_load(handle) or {}).get("groepen") or []
    return tuple(frozenset(term for word in group for term in search_terms(word)) for group in groups)


@lru_cache(maxsize=1)
def category_words() -> dict[str, frozenset[str]]:
    """Lemma -> codes of the categories whose words contain it."""
    result: dict[str, set[str]] = {}
    for category in load_taxonomy().categories.values():
        for word in category.words:
            for term in search_terms(word):
                result.setdefault(term, set()).add(category.code)
    return {term: frozenset(codes) for term, codes in result.items()}


@dataclass(frozen=True)
class Expansion:
    """What one search word stands for: index terms with weights, and category codes."""

    word: str  # the word as understood (typo corrected)
    terms: tuple[tuple[str, float], ...]
    categories: frozenset[str]


@dataclass
class TextMatch:
    """Scores of the activities (by ordinal: position in id order) that match a free text,
    and the word each matched on."""

    scores: dict[int, float] = field(default_factory=dict)
    words: dict[int, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)  # category code -> search word
    understood: tuple[str, ...] = ()

    @property
    def has_terms(self) -> bool:
        return bool(self.understood)


class KeywordIndex:
    def __init__(self, documents: Iterable[tuple[str, str, str]]) -> None:
        """documents: (activity id, name, description); ordinals follow this order."""
        self.ids: list[str] = []
        name_postings: dict[str, array] = {}
        description_postings: dict[str, array] = {}
        for ordinal, (activity_id, name, description) in enumerate(documents):
            self.ids.append(activity_id)
            name_terms = set(search_terms(name or ""))
            for term in name_terms:
                name_postings.setdefault(term, array("I")).append(ordinal)
            for term in set(search_terms(description or "")) - name_terms:
                description_postings.setdefault(term, array("I")).append(ordinal)
        self._name = name_postings
        self._description = description_postings
        self._fields = ((name_postings, NAME_WEIGHT), (description_postings, DESCRIPTION_WEIGHT))
        self._vocabulary = sorted(set(name_postings) | set(description_postings))
        self._reversed = sorted(term[::-1] for term in self._vocabulary)
        self._known_set = set(self._vocabulary) | set(category_words()) | _synonym_words()
        self._known = sorted(self._known_set)
        self._expansions: dict[str, Expansion] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, text: str | None, within: set[int] | None = None) -> TextMatch:
        """Activities matching `text`; only those in `within` when given (much faster)."""
        terms = search_terms(text or "")[:MAX_QUERY_TERMS]
        match = TextMatch()
        understood = []
        for term in terms:
            expansion = self.expand(term)
            if not expansion.terms and not expansion.categories:
                continue
            understood.append(expansion.word)
            for code in expansion.categories:
                match.categories.setdefault(code, expansion.word)
            hits = self._hits(expansion, within)
            if not match.scores:
                match.scores = hits
                match.words = dict.fromkeys(hits, expansion.word)
                continue
            scores, words = match.scores, match.words
            for ordinal, weight in hits.items():
                scores[ordinal] = scores.get(ordinal, 0.0) + weight
                if ordinal not in words:
                    words[ordinal] = expansion.word
        match.understood = tuple(understood)
        return match

    def expand(self, term: str) -> Expansion:
        cached = self._expansions.get(term)
        if cached is None:
            cached = self._expand(term)
            if len(self._expansions) > 10_000:
                self._expansions.clear()
            self._expansions[term] = cached
        return cached

    def _expand(self, term: str) -> Expansion:
        bases = [(term, 1.0)]
        understood = term
        if term not in self._known_set:
            # Not a known word: also try the closest known words (a typo), next to any
            # compound it may start or end ("zingn" -> "zingen", also prefix of "zingen").
            corrections = self._corrections(term)
            if not corrections and not self._vocabulary_matches(term):
                return Expansion(term, (), frozenset())
            bases += [(word, TYPO_FACTOR) for word in corrections]
            if corrections and not self._vocabulary_matches(term):
                bases = bases[1:]
            understood = corrections[0] if corrections else term
        words: dict[str, float] = {}
        for base, weight in bases:
            words[base] = max(words.get(base, 0.0), weight)
            for group in synonym_groups():
                if base in group:
                    for other in group:
                        words[other] = max(words.get(other, 0.0), weight * SYNONYM_FACTOR)
        categories = frozenset(code for word in words for code in category_words().get(word, ()))
        terms: dict[str, float] = {}
        for word, weight in words.items():
            for index_term, factor in self._vocabulary_matches(word):
                terms[index_term] = max(terms.get(index_term, 0.0), weight * factor)
        best = sorted(terms.items(), key=lambda item: (-item[1], item[0]))[:MAX_EXPANSIONS]
        return Expansion(understood, tuple(best), categories)

    def _corrections(self, term: str) -> list[str]:
        budget = allowed_edits(len(term))
        if budget == 0:
            return []
        found = process.extract(term, self._known, scorer=OSA.distance, score_cutoff=budget, limit=None)
        if not found:
            return []
        best = min(distance for _, distance, _ in found)
        return sorted(word for word, distance, _ in found if distance == best)

    def _vocabulary_matches(self, word: str) -> list[tuple[str, float]]:
        matches = []
        if word in self._name or word in self._description:
            matches.append((word, 1.0))
        root = stem(word)
        if len(root) >= MIN_AFFIX:
            start = bisect.bisect_left(self._vocabulary, root)
            for term in self._vocabulary[start : start + MAX_EXPANSIONS]:
                if not term.startswith(root):
                    break
                if term != word:
                    matches.append((term, PREFIX_FACTOR))
        if len(word) >= MIN_AFFIX:
            reversed_word = word[::-1]
            start = bisect.bisect_left(self._reversed, reversed_word)
            for reversed_term in self._reversed[start : start + MAX_EXPANSIONS]:
                if not reversed_term.startswith(reversed_word):
                    break
                if reversed_term != reversed_word:
                    matches.append((reversed_term[::-1], SUFFIX_FACTOR))
        return matches

    def _hits(self, expansion: Expansion, within: set[int] | None) -> dict[int, float]:
        """Best weight per activity; postings are merged from the highest weight down, so
        only activities not seen yet are added (set operations, no Python loop per activity)."""
        weighted = []
        for term, weight in expansion.terms:
            for postings, field_weight in self._fields:
                ordinals = postings.get(term)
                if ordinals:
                    weighted.append((weight * field_weight, ordinals))
        weighted.sort(key=lambda item: -item[0])
        best: dict[int, float] = {}
        for value, ordinals in weighted:
            found = within.intersection(ordinals) if within is not None else set(ordinals)
            best.update(dict.fromkeys(found.difference(best), value))
        return best


def _synonym_words() -> set[str]:
    return {word for group in synonym_groups() for word in group}
