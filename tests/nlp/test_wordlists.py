"""The word lists built at install time (bot.nlp.wordlists) hold exactly the words of
their sources: spaCy's Dutch lookup table and stop words, wordfreq's Dutch list."""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
import random
import runpy
import string
from pathlib import Path

import pytest
from wordfreq import top_n_list, zipf_frequency

from bot.nlp import spelling, wordlists
from bot.safety import typo_readings


def _original_dutch_words() -> frozenset[str]:
    """How bot.nlp.spelling.dutch_words() read them before the word lists were built once."""
    lookups = importlib.util.find_spec("spacy_lookups_data")
    table_path = Path(lookups.origin).parent / "data" / "nl_lemma_lookup.json.gz"
    with gzip.open(table_path, "rt", encoding="utf-8") as file:
        table = json.load(file)
    spacy_dir = Path(importlib.util.find_spec("spacy").origin).parent
    stop_words = runpy.run_path(str(spacy_dir / "lang" / "nl" / "stop_words.py"))["STOP_WORDS"]
    return frozenset(word.lower() for word in (*table, *table.values(), *stop_words))


@pytest.fixture(scope="module")
def original():
    dutch = _original_dutch_words()
    return {"dutch": dutch, "common": dutch | frozenset(top_n_list("nl", 104_000))}


def _non_words(known: frozenset[str]) -> list[str]:
    rng = random.Random(13)
    made = {"".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 12))) for _ in range(50_000)}
    # Near misses of real words (one letter changed or added), the typo readings' daily fare.
    for word in rng.sample(sorted(known), 20_000):
        i = rng.randrange(len(word) + 1)
        made.add(word[:i] + rng.choice("aeiouxqz") + word[i + 1 :])
        made.add(word[:i] + rng.choice("ëéjk") + word[i:])
    made |= {"", "ÉÉN", "Huis", "huis ", "\ud800", "dood\n"}
    return sorted(made)


def test_the_run_time_lists_hold_exactly_the_original_words(original):
    for name in ("dutch", "common"):
        words = getattr(spelling, f"{name}_dutch_words" if name == "common" else "dutch_words")()
        assert isinstance(words, wordlists.WordSet)
        assert len(words) == len(original[name])
        assert all(word in words for word in original[name])
        assert set(words) == original[name]
        others = _non_words(original[name])
        assert [w for w in others if w in words] == [w for w in others if w in original[name]]
    assert 1 not in spelling.dutch_words() and None not in spelling.common_dutch_words()


def test_rare_dutch_word_gives_wordfreqs_answer(original):
    candidates = set(original["common"]) | set(top_n_list("nl", 400_000))
    candidates |= {"".join(letters) for letters in itertools.product(string.ascii_lowercase, repeat=4)}
    rng = random.Random(7)
    candidates |= {"".join(rng.choices(string.ascii_lowercase, k=5)) for _ in range(50_000)}
    candidates |= {"miet", "biet", "nier", "ziet", "noet", "gewn", "nooiy", "1234", "café", "zo-even", ""}
    rare = typo_readings.rare_dutch_word.__wrapped__  # without its cache: every word is looked up
    differ = [
        w for w in sorted(candidates) if rare(w) != (zipf_frequency(w, "nl") < typo_readings._RARE_ZIPF)
    ]
    assert differ == []
    assert rare("miet") and rare("biet") and not rare("nier") and not rare("ziet")


def test_missing_or_stale_lists_are_built_and_written(tmp_path):
    words = {"dutch": ["huis", "deur"], "common": ["huis", "deur", "geef"], "frequent": ["huis"]}
    wordlists.build(tmp_path, words)
    assert wordlists.is_current(tmp_path)
    (tmp_path / wordlists.MARKER).write_text("format=0\n", encoding="utf-8")
    assert not wordlists.is_current(tmp_path)
    (tmp_path / wordlists.MARKER).unlink()
    assert not wordlists.is_current(tmp_path)

    target = tmp_path / "fresh"
    loaded = wordlists.load(target)  # built from the real sources, then read from the files
    assert wordlists.is_current(target)
    assert "helemaal" in loaded["common"] and "helemaal" not in loaded["dutch"]
    assert "huis" in loaded["dutch"] and "skaap" not in loaded["common"]
    assert "niet" in loaded["frequent"] and "miet" not in loaded["frequent"]
    assert not wordlists.ensure(target)
