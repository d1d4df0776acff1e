"""Resolve what a resident says about where they live to a municipality.

"Bussum", "ik woon in naarden", "hilversun" and "'s-Graveland" all resolve to a
municipality of the taxonomy. The order is: exact lookup of the whole input,
exact lookup of a phrase inside a sentence (longest first), a typo-tolerant
match (edit distance with transpositions, bounded by word length), and a
prefix ("Hilv"). When the best matches point to more than one municipality the
answer is "ambiguous" with candidates to ask about, never a guess. Well-known
places outside our regions ("Haarlem", "Den Haag") are recognised so that they
are not mistaken for a lookalike of ours: every Dutch municipality (CBS list,
vocab/gemeenten_nl.csv) and the woonplaatsen of places_elsewhere.yml.

Only input that looks like a place name (a few words, no pronoun, verb,
negation or question word: `looks_like_place`) gets the typo-tolerant steps
and a suggestion; a sentence is only searched for a place named exactly in it.
A Dutch postcode ("1215 AB", "1215AB", "1215") is recognised (`find_postcode`)
but not resolved: there is no postcode table with a source in the repo.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from sociale_kaart.taxonomy import Municipality, load_taxonomy
from sociale_kaart.text import STOPWORDS, is_dutch_word, place_key

ELSEWHERE_FILE = Path(__file__).resolve().parent / "places_elsewhere.yml"
MUNICIPALITIES_NL_FILE = Path(__file__).resolve().parent / "vocab" / "gemeenten_nl.csv"

# Words around a place name in a sentence ("ik woon in de gemeente Huizen").
_FILLER_WORDS = frozenset(
    "woon wonen woonachtig gemeente dorp stad plaats woonplaats regio buurt wijk kom komen uit "
    "hallo hoi ja nee hoor dus eh ehm oke ok sinds jaar jaren daar".split()
)
# First words of multi-word names that are ordinary Dutch words, so not an alias on their own.
_DIRECTIONS = frozenset(("noorden", "zuiden", "oosten", "westen"))
_ARTICLES = frozenset(("de", "den", "ter", "het", "t"))
_NO_ALIAS = frozenset("nieuw nieuwe oude oud ouder hoog groot klein noord zuid oost west".split())

# Words that make an input a sentence rather than a place name: pronouns, common
# verbs, negations and question words ("ik voel me niet lekker", "wat moet ik doen").
_SENTENCE_WORDS = frozenset(
    """
    me mij mezelf mijzelf jij jou jezelf hij zij hem haar hun jullie zich zichzelf
    ben bent waren heb hebt heeft had hadden voel voelt wil wilt wou kan kun kunt moet moeten
    mag ga gaat ging doe doet deed weet vind vindt denk snap begrijp help helpt zoek zoekt zeg zegt
    praat praten slaap slapen eet drink werk werkt leef leven lukt gaat
    niet geen nooit niks niemand niets
    wat waarom hoe wie wanneer welke waar hoeveel
    """.split()
)
# A place name has at most this many words besides filler and small words
# ("ik woon in ...", "aan den"): "Alphen aan den Rijn", "Hilversum centrum".
MAX_PLACE_WORDS = 2
# Before an ordinary word that is also a place elsewhere ("Buren", "Best"), these
# make it a place: "ik woon in Best", not "mijn buren".
_PLACE_PREPOSITIONS = frozenset(("in", "uit", "bij", "naar", "gemeente", "te"))
# Digits and letters apart, together, or with a dash or dot between: "1215 ab", "1215ab",
# "1215-AB", "1215 - ab", "1215.ab", "1215 a b" (a dot only right between: "1215. ik" is no postcode).
_POSTCODE = re.compile(
    r"(?<![0-9a-z])([1-9][0-9]{3})"
    r"(?:(?:\s{0,2}|\s?-\s?|\.)(?!s\s?[ads])([a-z]\s?[a-z]))?(?![0-9a-z])"
)
_POSTCODE_WORDS = frozenset(("postcode", "pc"))
# A province or its abbreviation after a place name: "Alkmaar (Noord-Holland)", "Laren NH",
# "Sneek, Friesland". The place alone is looked up.
_PROVINCES = (
    "groningen|friesland|frysl[aâ]n|drenthe|overijssel|flevoland|gelderland|utrecht|noord[ -]?holland|"
    "zuid[ -]?holland|zeeland|noord[ -]?brabant|brabant|limburg"
)
_REGION_HINT = re.compile(
    r"\s*[(\[][^)\]]*[)\]]"
    rf"|\s*,\s*(?:(?:de\s+)?provincie\s+)?(?:{_PROVINCES})\s*[.!]?\s*$"
    r"|\s+(?:nh|zh|nb|gld|gl|ov|fr|gr|dr|fl|ut|zl|lb|li)\.?\s*$"
    r"|\s+(?:in\s+)?(?:noord|zuid)[ -]?(?:holland|brabant)\s*[.!]?\s*$",
    re.IGNORECASE,
)

MAX_TOKENS = 40
MAX_SPAN = 5
SUGGESTION_CUTOFF = 70.0


def allowed_edits(length: int) -> int:
    """Typos tolerated for a word of this length: none for very short words."""
    if length < 4:
        return 0
    if length < 8:
        return 1
    if length < 12:
        return 2
    return 3


@dataclass(frozen=True)
class PlaceResolution:
    status: str  # "found" | "ambiguous" | "unknown"
    municipality: Municipality | None = None
    candidates: tuple[Municipality, ...] = ()
    suggestion: str | None = None
    matched_name: str | None = None
    outside_region: bool = False  # a known place that is not in our regions
    sentence: bool = False  # the input reads as a sentence, not as a place name

    @property
    def found(self) -> bool:
        return self.status == "found"


@dataclass(frozen=True)
class _Entry:
    name: str  # the place as written in the vocabulary
    code: str | None  # None for a place outside our regions


class PlaceResolver:
    """Maps place names (municipalities and woonplaatsen) to municipality codes."""

    def __init__(self, municipalities: Iterable[Municipality], elsewhere: Iterable[str] = ()) -> None:
        self._municipalities = {m.code: m for m in municipalities}
        self._index: dict[str, list[_Entry]] = {}
        for municipality in self._municipalities.values():
            for name in dict.fromkeys((municipality.naam, *municipality.woonplaatsen)):
                for key in _name_keys(name):
                    self._add(key, _Entry(name, municipality.code))
        aliases: dict[str, list[_Entry]] = {}
        for municipality in self._municipalities.values():
            for name in (municipality.naam, *municipality.woonplaatsen):
                alias = _first_word_alias(name)
                if alias and alias not in self._index:
                    aliases.setdefault(alias, []).append(_Entry(name, municipality.code))
        for alias, alias_entries in aliases.items():
            for entry in alias_entries:
                self._add(alias, entry)
        for name in elsewhere:
            for key in _name_keys(name):
                if key not in self._index:
                    self._add(key, _Entry(name, None))
        self._keys = list(self._index)
        self._own_keys = [k for k in self._keys if any(e.code for e in self._index[k])]

    @classmethod
    def default(cls) -> PlaceResolver:
        return _default_resolver()

    def resolve(self, text: str) -> PlaceResolution:
        text = _without_region_hint(text or "")
        key = place_key(text)
        if not key:
            return PlaceResolution("unknown")
        tokens = key.split()[:MAX_TOKENS]
        key = " ".join(tokens)
        entries = self._index.get(key) or self._exact_in_sentence(tokens)
        if entries:
            return self._decide(entries, tokens)
        if not looks_like_place(text):
            return PlaceResolution("unknown", sentence=True)
        entries = self._fuzzy(tokens)
        if entries:
            return self._decide(entries, tokens)
        entries = self._prefix(tokens)
        if entries:
            return self._decide(entries, tokens)
        return PlaceResolution("unknown", suggestion=self._suggest(tokens))

    # -- index building -------------------------------------------------

    def _add(self, key: str, entry: _Entry) -> None:
        bucket = self._index.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    # -- matching steps ---------------------------------------------------

    def _exact_in_sentence(self, tokens: list[str]) -> list[_Entry]:
        place_like = looks_like_place(" ".join(tokens))
        for size in range(min(MAX_SPAN, len(tokens)), 0, -1):
            found: list[_Entry] = []
            for start in range(len(tokens) - size + 1):
                span = tokens[start : start + size]
                if size == 1 and span[0] in STOPWORDS:
                    continue
                if size == 1 and _is_direction(tokens, start):
                    continue
                # One word elsewhere inside a sentence only counts after "in", "uit", ...
                # or when it is an unusual word in a short answer: "ik heb ruzie met de
                # buren" and "ik doe mijn best" name no place, "ik woon in Best" does.
                ordinary = size == 1 and len(tokens) > 1 and (is_dutch_word(span[0]) or not place_like)
                after_preposition = start > 0 and tokens[start - 1] in _PLACE_PREPOSITIONS
                for key in (" ".join(span), "".join(span)):
                    for entry in self._index.get(key, ()):
                        if entry.code is None and ordinary and not after_preposition:
                            continue
                        if entry not in found:
                            found.append(entry)
            own = [e for e in found if e.code]
            if own:
                return own
            if found:
                return found
        return []

    def _spans(self, tokens: list[str]) -> list[str]:
        """Phrases that may be a place: the whole input if short, and word runs not
        starting or ending with a filler word (an article may start one: "de kwakel")."""
        spans = [" ".join(tokens)] if len(tokens) <= MAX_SPAN else []
        for size in range(1, min(MAX_SPAN, len(tokens)) + 1):
            for start in range(len(tokens) - size + 1):
                span = tokens[start : start + size]
                starts_ok = not _is_noise(span[0]) or (size > 1 and span[0] in _ARTICLES)
                if not starts_ok or _is_noise(span[-1]) or (size == 1 and _is_direction(tokens, start)):
                    continue
                joined = " ".join(span)
                if joined not in spans:
                    spans.append(joined)
        return [span for span in spans if len(span) >= 3]

    def _fuzzy(self, tokens: list[str]) -> list[_Entry]:
        """Closest names within the typo budget; the best relative distance wins, ties all count."""
        spans = self._spans(tokens)
        if len(tokens) > 1:
            # Inside a sentence an ordinary word is not a typo of a place: "leren" is not Laren.
            spans = [span for span in spans if " " in span or not is_dutch_word(span)]
        if not spans:
            return []
        distances = process.cdist(spans, self._keys, scorer=OSA.distance, score_cutoff=3, workers=1)
        best: float | None = None
        found: list[_Entry] = []
        for i in range(len(spans)):
            for j, key in enumerate(self._keys):
                distance = int(distances[i][j])
                if distance > allowed_edits(len(key)):
                    continue
                relative = round(distance / len(key), 6)
                if best is None or relative < best:
                    best, found = relative, []
                if relative == best:
                    for entry in self._index[key]:
                        if entry not in found:
                            found.append(entry)
        own = [e for e in found if e.code]
        return own or found

    def _prefix(self, tokens: list[str]) -> list[_Entry]:
        core = " ".join(t for i, t in enumerate(tokens) if not _is_noise(t) and not _is_direction(tokens, i))
        if len(core) < 3:
            return []
        found: list[_Entry] = []
        for key in self._own_keys:
            if key.startswith(core):
                for entry in self._index[key]:
                    if entry.code and entry not in found:
                        found.append(entry)
        return found

    def _suggest(self, tokens: list[str]) -> str | None:
        candidates = self._spans(tokens) or [" ".join(tokens)]
        best_name, best_score = None, SUGGESTION_CUTOFF
        for span in candidates:
            match = process.extractOne(span, self._own_keys, scorer=fuzz.ratio, score_cutoff=best_score)
            if match and match[1] > best_score:
                best_name, best_score = self._index[match[0]][0].name, match[1]
        return best_name

    def _decide(self, entries: list[_Entry], tokens: list[str]) -> PlaceResolution:
        codes = list(dict.fromkeys(e.code for e in entries if e.code))
        if not codes:
            return PlaceResolution(
                "unknown",
                matched_name=entries[0].name,
                outside_region=True,
                suggestion=None,
            )
        if len(codes) == 1:
            name = next(e.name for e in entries if e.code == codes[0])
            return PlaceResolution("found", municipality=self._municipalities[codes[0]], matched_name=name)
        candidates = tuple(sorted((self._municipalities[c] for c in codes), key=lambda m: m.naam))
        return PlaceResolution("ambiguous", candidates=candidates)


def looks_like_place(text: str) -> bool:
    """True for input that may be a place name: a few words, none of them a pronoun,
    verb, negation or question word, and at most MAX_PLACE_WORDS words besides filler.
    "ik woon in Hilversumstad" is; "ik voel me zo moe en wil niet meer naar buiten" is not."""
    tokens = place_key(_without_region_hint(text or "")).split()
    if not tokens or len(tokens) > MAX_PLACE_WORDS + 4:
        return False
    if any(token in _SENTENCE_WORDS for token in tokens):
        return False
    core = [t for t in tokens if not _is_noise(t)]
    return 0 < len(core) <= MAX_PLACE_WORDS


def find_postcode(text: str) -> str | None:
    """A Dutch postcode in the input ("1215 AB", "1215ab", "1215-AB", "1215"), written as
    "1215 AB" or "1215"; None when there is none. Four digits alone only count when they
    are the whole input or follow the word "postcode" ("mijn postcode is 1215")."""
    match = _postcode_match(text)
    if match is None:
        return None
    digits, letters = match.group(1), match.group(2)
    return f"{digits} {letters.replace(' ', '').upper()}" if letters else digits


def _postcode_match(text: str) -> re.Match | None:
    lowered = (text or "").lower()
    for match in _POSTCODE.finditer(lowered):
        if match.group(2):
            return match
        before = lowered[: match.start()].split()
        rest = (lowered[: match.start()] + lowered[match.end() :]).strip(" .,!?:()")
        if not rest or any(word.strip(":") in _POSTCODE_WORDS for word in before[-2:]):
            return match
    return None


def names_a_place(text: str) -> str | None:
    """The place a short answer names exactly (ours or elsewhere: "Utrecht", "ik woon in
    Bussum"), or None. For a classifier that did not see a place in a lone name."""
    if not looks_like_place(text):
        return None
    resolver = PlaceResolver.default()
    tokens = place_key(_without_region_hint(text or "")).split()[:MAX_TOKENS]
    entries = resolver._index.get(" ".join(tokens)) or resolver._exact_in_sentence(tokens)
    return entries[0].name if entries else None


def is_postcode_only(text: str) -> bool:
    """True when the whole input is a postcode ("1215 AB", "postcode 1215"), nothing else."""
    match = _postcode_match(text)
    if match is None:
        return False
    lowered = (text or "").lower()
    rest = lowered[: match.start()] + " " + lowered[match.end() :]
    return all(word.strip(".,:!?()") in _POSTCODE_WORDS | {"mijn", "is", ""} for word in rest.split())


def _without_region_hint(text: str) -> str:
    """The text without a province after the place ("Alkmaar (Noord-Holland)" -> "Alkmaar")."""
    stripped = _REGION_HINT.sub(" ", text).strip()
    return stripped if place_key(stripped) else text


def _is_direction(tokens: list[str], start: int) -> bool:
    """ "in het noorden" is a direction, not the village Noorden."""
    return start > 0 and tokens[start - 1] == "het" and tokens[start] in _DIRECTIONS


def _is_noise(word: str) -> bool:
    return word in STOPWORDS or word in _FILLER_WORDS or len(word) < 2


def _name_keys(name: str) -> list[str]:
    """The keys a name is found under: as written, without "'s", and without spaces."""
    key = place_key(name)
    keys = [key]
    if key.startswith("s ") and len(key) > 4:
        keys.append(key[2:])
    keys.append(key.replace(" ", ""))
    return list(dict.fromkeys(keys))


def _first_word_alias(name: str) -> str | None:
    """ "Alphen" for "Alphen aan den Rijn": the first word of a long name, if it is not a common word."""
    parts = place_key(name).split()
    if len(parts) < 2 or parts[0] == "s":
        return None
    first = parts[0]
    if len(first) < 5 or first in _NO_ALIAS or first in STOPWORDS:
        return None
    return first


def _read_elsewhere(path: Path = ELSEWHERE_FILE) -> list[str]:
    with open(path, encoding="utf-8") as handle:
        return list((yaml.safe_load(handle) or {}).get("elders") or [])


_CBS_SUFFIX = re.compile(r"\s*\([A-Za-z.]+\)$")  # "Laren (NH.)" -> "Laren"


def read_municipalities_nl(path: Path = MUNICIPALITIES_NL_FILE, skip: Iterable[str] = ()) -> list[str]:
    """Names of all Dutch municipalities (CBS), with their other names, except the codes in `skip`."""
    skipped = set(skip)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        names: list[str] = []
        for row in rows:
            if row["code"] in skipped:
                continue
            names.append(_CBS_SUFFIX.sub("", row["naam"]))
            names.extend(n.strip() for n in (row.get("ook_bekend_als") or "").split(";") if n.strip())
    return names


@lru_cache(maxsize=1)
def _default_resolver() -> PlaceResolver:
    municipalities = load_taxonomy().municipalities
    elsewhere = _read_elsewhere() + read_municipalities_nl(skip=municipalities)
    return PlaceResolver(municipalities.values(), elsewhere)
