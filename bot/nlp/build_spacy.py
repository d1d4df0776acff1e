"""Build the blank Dutch spaCy pipeline with a lookup lemmatizer into a folder.

The `nl_core_news_*` models cannot be downloaded here, so Rasa's SpacyNLP and the
catalogue's text normalisation use this pipeline: spaCy's Dutch tokenizer plus
the lemma lookup table from `spacy-lookups-data` (needed only while building).
The typo readings' Dutch word lists (`bot.nlp.wordlists`) are built beside it,
into `<target>/../wordlists` unless a second folder is given.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

from bot.nlp import wordlists

BUILD_MARKER = "welzijnswijzer-build.txt"
BUILD_VERSION = f"blank-nl-lookup-lemmatizer spacy={spacy.__version__}"


def build(target: Path) -> bool:
    """Build into `target` unless an identical build is already there. Returns True when built."""
    marker = target / BUILD_MARKER
    if marker.exists() and marker.read_text(encoding="utf-8").strip() == BUILD_VERSION:
        return False
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    marker.write_text(BUILD_VERSION + "\n", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "var/spacy_nl")
    lists = Path(argv[2]) if len(argv) > 2 else target.parent / "wordlists"
    if build(target):
        print(f"spaCy-pipeline (Nederlands, lookup-lemmatizer) gebouwd in {target}")
    if wordlists.ensure(lists):
        print(f"Nederlandse woordenlijsten gebouwd in {lists}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
