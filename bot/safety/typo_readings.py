"""Keyboard slips and typos read back as the crisis lexicon's words.

Residents type fast on phones. A message is checked as typed and, if that finds
nothing, in other readings: corrected by the lexicon's own speller, with glue
words one key off read back ("nier" -> "niet"), and with every word that is a
neighbouring-key slip of a lexicon word read as that word. The patterns in
`bot.safety.crisis_patterns` then decide on each reading (`bot.safety.crisis`).
"""
# ruff: noqa: E501

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from bot.nlp import wordlists
from bot.nlp.spelling import (
    NEIGHBOURS,
    Speller,
    common_dutch_words,
    frequent_dutch_words,
    keyboard_score,
    pattern_words,
)
from bot.safety import crisis_patterns as patterns
from bot.safety.crisis_patterns import Rule
from bot.safety.text import normalise, words

NEGATIONS = {"niet", "nooit", "geen"}


def _text(entry: str | Rule) -> str:
    """The words of an entry (its veto too: "kpgebrand" must become "opgebrand", not "gebrand")."""
    return f"{entry.pattern} {entry.veto or ''}" if isinstance(entry, Rule) else entry


# Misspelt lexicon words ("ik worc thuis geslaren") are corrected towards the
# lexicon's own words; a message is checked as typed and, if that finds nothing,
# once more with its typos corrected.
LEXICON_WORDS = pattern_words(
    [
        *map(
            _text,
            [*patterns.GEDACHTEN, *patterns.ZELFBESCHADIGING, *patterns.VOORBEREIDING, *patterns.INDIRECT],
        ),
        *map(_text, patterns.NAASTE),
        *map(_text, patterns.ACUUT_GEVAAR),
        *map(_text, patterns.HUISELIJK_GEWELD),
        patterns.RELATIVES,
        patterns.ABUSER_OBJECT,
        patterns.DOOD,
        *patterns.FUZZY_WORDS,
        patterns.EXTRA_WORDS,
        patterns.HARMLESS_WORDS,
    ]
)
# Between equally near words the one the lexicon uses most wins ("nief" → "niet", not "nier").
SPELLER = Speller(LEXICON_WORDS, frequency=LEXICON_WORDS, keyboard=True)


def makes_up_a_negation(typed: str, reading: str) -> bool:
    """True when `reading` has a negation where `typed` has a word that is no keyboard slip of it.

    "het ziet" read as "het niet" (the speller) is made up; "nier" for "niet" (one key) is not.
    """
    return any(
        read in NEGATIONS and read != word and not (len(word) == len(read) and slip_count(word, read, 1))
        for word, read in zip(words(typed), words(reading), strict=False)
    )


def readings(normalised: str, corrected_text: str):
    """Last tries, each only when the one before found nothing (see below)."""
    yield normalise(_GLUE_WORD.sub(lambda m: slipped_glue_word(m.group(0)), corrected_text))
    # Keyboard slips read back as the lexicon word they were meant to be, also
    # where the slip made another Dutch word ("tegen" -> "regen", "pijn" -> "lijn").
    readings = keyboard_readings(normalised)
    for read in readings:
        yield normalise(read)
    yield normalise(SPELLER.correct_text(readings[0]))


# A slip of one key can turn a lexicon's glue word into another Dutch word
# ("niet" → "nier", "naar" → "gaar", "maken" → "haken"), which the speller leaves
# alone. As a last try such a word is read as the frequent lexicon word one
# neighbouring key away. Never towards "dood": "ik wil door" stays harmless.
_GLUE_WORD = re.compile(r"[a-z]{4,}")
_GLUE_TARGETS = sorted(set(patterns.GLUE_WORDS.split()))


def slipped_glue_word(word: str) -> str:
    if word in _GLUE_TARGETS:
        return word
    near = [
        target
        for target in _GLUE_TARGETS
        if len(target) == len(word)
        and sum(a != b for a, b in zip(word, target, strict=True)) == 1
        and keyboard_score(word, target) == 1
    ]
    return near[0] if len(near) == 1 else word


# A keyboard slip hits a neighbouring key: the typed word has the length of the
# meant word and differs only in neighbouring keys (at most two in one word, as
# residents and nlpaug's KeyboardAug make them). A word that is Dutch itself is
# read as a lexicon word only with one slip, and never as one of _NOT_FROM_DUTCH
# ("door", "rood" stay what they are: "ik wil door" is harmless; no negation is made up),
# with two exceptions: a rare Dutch word may be a negation ("miet", rare_dutch_word), and
# a slip of "dood" that ends its clause in a message with other typos (_DOOD_SLIPS).
# A lexicon word may be a slip of another lexicon word ("laat" for "last"), read as typed first.
_NOT_FROM_DUTCH = frozenset(
    {"dood", "doden", "dode", "dod", "doot", "doodgaan", "sterven", "niet", "nooit", "geen"}
)
SLIP_MIN_LENGTH = 4
_LEXICON_BY_LENGTH: dict[int, list[str]] = {}
for _word in sorted(LEXICON_WORDS):
    _LEXICON_BY_LENGTH.setdefault(len(_word), []).append(_word)


def slip_count(typed: str, meant: str, limit: int) -> int | None:
    """How many neighbouring-key slips turn `meant` into `typed` (same length), or None beyond `limit`."""
    count = 0
    for a, b in zip(typed, meant, strict=True):
        if a != b:
            if b not in NEIGHBOURS.get(a, ()):
                return None
            count += 1
            if count > limit:
                return None
    return count


def _near_dutch_word(word: str, slips: int) -> bool:
    """True when a Dutch word that is no lexicon word lies within `slips` neighbouring-key slips of `word`."""
    dutch = common_dutch_words()
    frontier = {word}
    for _ in range(slips):
        frontier = {
            variant[:i] + key + variant[i + 1 :]
            for variant in frontier
            for i, letter in enumerate(variant)
            for key in NEIGHBOURS.get(letter, ())
        }
        if any(variant in dutch and variant not in LEXICON_WORDS for variant in frontier):
            return True
    return False


@lru_cache(maxsize=8192)
def slip_candidates(word: str) -> tuple[str, ...]:
    """The lexicon words `word` may be a keyboard slip of, nearest and most used first (or `word` itself)."""
    if len(word) < SLIP_MIN_LENGTH:
        return (word,)
    if word in LEXICON_WORDS:
        # A slip may make another lexicon word ("last" -> "laat", "doorgaan" -> "doodgaan"):
        # read as typed first, then as the lexicon words one slip away (never as "dood" or a negation).
        near = sorted(
            (-LEXICON_WORDS[meant], meant)
            for meant in _LEXICON_BY_LENGTH.get(len(word), ())
            if meant != word and meant not in _NOT_FROM_DUTCH and slip_count(word, meant, 1)
        )
        return (word, *(meant for _, meant in near[: _MAX_CANDIDATES - 1]))
    dutch = word in common_dutch_words()
    limit = 1 if dutch else 2
    found: list[tuple[int, int, str]] = []
    for meant in _LEXICON_BY_LENGTH.get(len(word), ()):
        if dutch and meant in _NOT_FROM_DUTCH and not (meant in NEGATIONS and rare_dutch_word(word)):
            continue
        slips = slip_count(word, meant, limit)
        if slips:
            found.append((slips, -LEXICON_WORDS[meant], meant))
    if not found:
        return (word,)
    found.sort()
    nearest = found[0][0]
    # Only the nearest ("sitten" is "zitten", one slip, not "cutten", two).
    meant_words = tuple(meant for slips, _, meant in found if slips == nearest)[:_MAX_CANDIDATES]
    if dutch:
        # A Dutch word may also be meant as typed ("hier" is a word and a slip of "hoef").
        return meant_words + (word,)
    if nearest > 1 and _near_dutch_word(word, nearest - 1):
        return (word,)  # a harmless word is nearer ("dlokt" is "slokt", not "sloot")
    if _near_dutch_word(word, nearest):
        return meant_words + (word,)
    return meant_words


_MAX_CANDIDATES = 3

# A slip of one key turns "dood" into another Dutch word ("door", "doof", "doos", "rood").
# In a message that has typos elsewhere, such a word that ends its clause ("ik wil door, ecyt",
# "dat hij door wil") is also read as "dood"; the patterns decide whether that is a crisis.
# A message without any other typo is read as typed: "ik wil door" stays harmless.
_CLAUSE_END = re.compile(r"^(?: (?:wil|wilt|wou|willen|wilde|gaan|zijn|was|is|ben))?\s*(?:[.!,;?]|$)")


# "een manier om doos te gaan": "om ... te gaan" around a slip of "dood" (in a message with other typos).
def _om_te_gaan(before: str, after: str) -> bool:
    return before.endswith(" om ") and after.startswith(" te gaan")


_RATHER = re.compile(r"\b(?:liever|liefst|beter)\s*$")
_THAN = re.compile(r"^ (?:dan (?:zo|dit|levend|leven|zo verder|verder)|zijn|willen|wil)\b")
# A Dutch word this rare (wordfreq Zipf) one key from a negation is read as the negation too:
# "ik wil miet meer", "dat ik biet meer wakker word"; "nier" (3.6) and "ziet" (5.5) stay what they are.
_RARE_ZIPF = wordlists.FREQUENT_ZIPF
_A_TO_Z = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def rare_dutch_word(word: str) -> bool:
    if _A_TO_Z.fullmatch(word):
        # The list built at install time holds every a-z word of Zipf >= _RARE_ZIPF (wordfreq
        # gives 0 to a word it does not know), so this is zipf_frequency's answer without wordfreq.
        return word not in frequent_dutch_words()
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") < _RARE_ZIPF


@lru_cache(maxsize=1)
def dood_slips() -> frozenset[str]:
    dutch = common_dutch_words()
    return frozenset(
        slip
        for word in ("dood",)
        for i, letter in enumerate(word)
        for key in NEIGHBOURS.get(letter, ())
        if (slip := word[:i] + key + word[i + 1 :]) in dutch
    )


class _DoodSlips:
    def __contains__(self, word: object) -> bool:
        return word in dood_slips()


_DOOD_SLIPS = _DoodSlips()
_MAX_READINGS = 24


def _rare_negation_slip(word: str) -> bool:
    return any(len(neg) == len(word) and slip_count(word, neg, 1) for neg in NEGATIONS) and rare_dutch_word(
        word
    )


def keyboard_readings(normalised: str) -> list[str]:
    """`normalised` with its words read as the lexicon words they may be keyboard slips of.

    The first reading takes the nearest word everywhere; then each other candidate
    of a word on its own; then combinations (at most _MAX_READINGS of them).
    A message in which every word is Dutch (or a lexicon word) is read as typed:
    "het werk slokt me op" has no typo, so "slokt" never becomes "sloot".
    """
    parts = re.split(rf"([a-z]{{{SLIP_MIN_LENGTH},}})", normalised)
    words_typed = parts[1::2]
    # A rare Dutch word one key from a negation ("noet", "miet") counts as a typo here too.
    if all(
        word in LEXICON_WORDS or (word in common_dutch_words() and not _rare_negation_slip(word))
        for word in words_typed
    ):
        return [normalised]
    options = [slip_candidates(part) if i % 2 else (part,) for i, part in enumerate(parts)]
    best = [choices[0] for choices in options]
    for index in range(1, len(parts), 2):
        if parts[index] in _DOOD_SLIPS:
            before, after = "".join(best[:index]), "".join(best[index + 1 :])
            if (
                _CLAUSE_END.match(after)
                or (_RATHER.search(before) and _THAN.match(after))
                or _om_te_gaan(before, after)
            ):
                options[index] = (*options[index], "dood")
    best = [choices[0] for choices in options]
    readings = ["".join(best)]
    # Each word's other candidates on their own first, so that every candidate is tried once ...
    for index, choices in enumerate(options):
        for choice in choices[1:]:
            readings.append("".join([*best[:index], choice, *best[index + 1 :]]))
    # ... then combinations of them; a lexicon word's other readings only on their own (they are many).
    combined = [
        choices[:1] if i % 2 and parts[i] in LEXICON_WORDS else choices for i, choices in enumerate(options)
    ]
    readings += ["".join(c) for c in itertools.islice(itertools.product(*combined), _MAX_READINGS)]
    return list(dict.fromkeys(readings))
