"""The Dutch word lists of the typo readings, built once into files and read as tries.

Three lists, each a MARISA trie (`marisa-trie`) in its own file, memory-mapped at
run time: no JSON, no wordfreq import and no Python string per word, so a process
that checks safety holds a few MB instead of ~110 MB (docs/measurements.md).

- `dutch`: every form and lemma of spaCy's Dutch lookup table plus its stop words;
- `common`: `dutch` plus wordfreq's COMMON_DUTCH_COUNT most frequent Dutch words;
- `frequent`: the lowercase a-z words with a wordfreq Zipf frequency of at least
  FREQUENT_ZIPF (every other a-z word is rarer: wordfreq gives 0 to unknown words).

`make spacy` (`python -m bot.nlp.build_spacy`) writes them into var/wordlists next
to the spaCy pipeline. A missing or stale folder (its marker names the versions of
the sources) is built on first use and written when the folder is writable.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import runpy
import sys
import tempfile
from collections.abc import Iterable, Iterator, Set
from importlib.metadata import version
from pathlib import Path

import marisa_trie

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "var" / "wordlists"
MARKER = "welzijnswijzer-build.txt"
NAMES = ("dutch", "common", "frequent")
# wordfreq's Dutch list, most frequent first: this many words occur at least once in ten
# million words (Zipf 2). The spaCy table misses everyday forms ("helemaal", "geef", "schrok").
COMMON_DUTCH_COUNT = 104_000
FREQUENT_ZIPF = 3.2
_FORMAT = 1


def build_version() -> str:
    """What the files were built from; a different value means they are stale."""
    sources = " ".join(
        f"{name}={version(name)}" for name in ("spacy-lookups-data", "spacy", "wordfreq", "marisa-trie")
    )
    return f"format={_FORMAT} {sources} common={COMMON_DUTCH_COUNT} frequent_zipf={FREQUENT_ZIPF}"


class WordSet(Set):
    """A read-only set of words backed by a trie (`in`, `len`, iteration, comparisons, `&`)."""

    __slots__ = ("_trie",)

    @classmethod
    def _from_iterable(cls, words: Iterable[str]) -> frozenset[str]:
        return frozenset(words)  # what `&`, `|` and `-` give

    def __init__(self, trie: marisa_trie.Trie) -> None:
        self._trie = trie

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        try:
            return word in self._trie
        except UnicodeEncodeError:  # a lone surrogate is no word of any list
            return False

    def __len__(self) -> int:
        return len(self._trie)

    def __iter__(self) -> Iterator[str]:
        return self._trie.iterkeys()


def source_words() -> dict[str, set[str]]:
    """The three lists, computed from spacy-lookups-data, spaCy's stop words and wordfreq."""
    lookups = importlib.util.find_spec("spacy_lookups_data")
    table_path = Path(lookups.origin).parent / "data" / "nl_lemma_lookup.json.gz"
    with gzip.open(table_path, "rt", encoding="utf-8") as file:
        table: dict[str, str] = json.load(file)
    # The stop-word module on its own: importing spaCy would pull in TensorFlow.
    spacy_dir = Path(importlib.util.find_spec("spacy").origin).parent
    stop_words = runpy.run_path(str(spacy_dir / "lang" / "nl" / "stop_words.py"))["STOP_WORDS"]
    dutch = {word.lower() for word in (*table, *table.values(), *stop_words)}
    del table
    from wordfreq import get_frequency_dict, top_n_list, zipf_frequency

    common = dutch | set(top_n_list("nl", COMMON_DUTCH_COUNT))
    frequent = {
        word
        for word in get_frequency_dict("nl")
        if word.isascii()
        and word.isalpha()
        and word.islower()
        and zipf_frequency(word, "nl") >= FREQUENT_ZIPF
    }
    return {"dutch": dutch, "common": common, "frequent": frequent}


def _write(trie: marisa_trie.Trie, path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    try:
        trie.save(temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; other users' processes read it too
        os.replace(temporary, path)  # atomic: a process building beside this one never reads half a file
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _tries(words: dict[str, Iterable[str]]) -> dict[str, marisa_trie.Trie]:
    return {name: marisa_trie.Trie(words[name]) for name in NAMES}


def _save(tries: dict[str, marisa_trie.Trie], directory: Path) -> None:
    """Write the tries, and the marker last, into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, trie in tries.items():
        _write(trie, directory / f"{name}.marisa")
    marker = directory / MARKER
    marker.with_suffix(".tmp").write_text(build_version() + "\n", encoding="utf-8")
    os.replace(marker.with_suffix(".tmp"), marker)


def build(directory: Path, words: dict[str, Iterable[str]] | None = None) -> dict[str, marisa_trie.Trie]:
    """Build the tries and write them (with the marker last) into `directory`."""
    tries = _tries(words or source_words())
    _save(tries, directory)
    return tries


def is_current(directory: Path) -> bool:
    marker = directory / MARKER
    try:
        built = marker.read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return built == build_version() and all((directory / f"{name}.marisa").is_file() for name in NAMES)


def ensure(directory: Path) -> bool:
    """Build into `directory` unless a current build is there. Returns True when built."""
    if is_current(directory):
        return False
    build(directory)
    return True


def load(directory: Path = DEFAULT_DIR) -> dict[str, WordSet]:
    """The three lists from `directory`, memory-mapped; built (and written) when missing or stale."""
    if not is_current(directory):
        built = _tries(source_words())
        try:
            _save(built, directory)
        except OSError:  # a read-only folder: keep the lists built in memory
            return {name: WordSet(trie) for name, trie in built.items()}
    tries = {}
    for name in NAMES:
        trie = marisa_trie.Trie()
        trie.mmap(str(directory / f"{name}.marisa"))
        tries[name] = WordSet(trie)
    return tries


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    if ensure(target):
        print(f"Nederlandse woordenlijsten gebouwd in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
