"""Dutch text normalisation for place names and free-text search.

`fold` removes case and accents, `place_key` turns a place name into a lookup
key ("'s-Graveland" -> "s graveland") and `search_terms` turns a phrase such as
"Iets met Kóken!" into lemmas (["koken"]) using the blank Dutch spaCy pipeline
with its lookup lemmatizer. The pipeline is built or loaded once per process.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_APOSTROPHES = "'’‘`´ʼ"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning for search ("ik zoek iets met koken").
STOPWORDS = frozenset(
    """
    aan al als bij dan dat de den der des die dit door een en er graag het hier hij hoe iemand iets
    ik in is je jij jou jouw kan kun kunnen me meer met mij mijn misschien na naar niet nog of om
    onze ook op over te ten ter tot u uit van veel voor waar wat we wel wil wij willen zo zoek zoeken
    zou zijn ze zelf samen elke elk per week keer graag leuk leuke doen
    """.split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents: "Café Één" -> "cafe een"."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return without_marks.casefold()


def place_key(text: str) -> str:
    """Lookup key of a place name: folded, apostrophes dropped, hyphens and punctuation as spaces.

    "'s-Graveland", "s graveland" and "S-Graveland!" all become "s graveland".
    """
    folded = fold(text)
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "")
    return _NON_WORD.sub(" ", folded).strip()


def words(text: str) -> list[str]:
    """Folded words without punctuation."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light Dutch suffix strip used for prefix matching of compounds.

    "wandelen" -> "wandel" finds "wandelgroep"; "zingen" -> "zing". Not a real
    stemmer: it only makes the prefix shorter, never changes letters.
    """
    for suffix in ("ingen", "ing", "en", "es", "e", "s", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


_spacy_model = {"dir": ""}


def use_spacy_model(model_dir: str | Path | None) -> None:
    """Load the built spaCy pipeline from `model_dir` (Settings.spacy_model; "" = a blank
    Dutch one). Call it at process start, before the first lemma is asked for."""
    model_dir = str(model_dir or "")
    if model_dir != _spacy_model["dir"]:
        _spacy_model["dir"] = model_dir
        for cached in (_pipeline, _lemma_table, _lemmas, lemma):
            cached.cache_clear()


@lru_cache(maxsize=1)
def _pipeline():
    """The blank Dutch pipeline with a lookup lemmatizer, built or loaded once."""
    import spacy

    model_dir = _spacy_model["dir"]
    if model_dir and (Path(model_dir) / "config.cfg").exists():
        return spacy.load(model_dir)
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def _lemma_table():
    return _pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


@lru_cache(maxsize=1)
def _lemmas() -> frozenset[str]:
    return frozenset(_lemma_table().values())


def is_dutch_word(word: str) -> bool:
    """True for a word of the Dutch lemma table, as an inflected form or as a lemma."""
    return word in _lemma_table() or word in _lemmas()


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """Dictionary form of one folded word: "gezongen" -> "zingen", "koren" -> "koor"."""
    value = _lemma_table().get(word, word)
    return fold(value) if value else word


def search_terms(text: str, keep_stopwords: bool = False) -> list[str]:
    """Distinct lemmas of the meaningful words in `text`, in order of appearance."""
    terms: list[str] = []
    for word in words(text):
        if not keep_stopwords and (word in STOPWORDS or len(word) < 2):
            continue
        term = lemma(word)
        if term not in terms:
            terms.append(term)
    return terms
