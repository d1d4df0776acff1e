"""Deterministic crisis lexicon: does a message say someone is in danger?

`detect(text)` returns a `CrisisSignal` (which kind of crisis, and why) or None.
It is pure Python without Rasa, so the Rasa component (`bot.nlu.crisis_guard`)
and the channels (which must let a crisis message through to Rasa even while
they collect contact details) use the same decision.

Kinds, in order of precedence (the first one found wins the reply):
- acuut_gevaar: life in danger now (112), e.g. "te veel pillen genomen";
- zelfdoding: thoughts of suicide or self-harm of the resident (113);
- huiselijk_geweld: violence or threats at home (Veilig Thuis);
- naaste: worry that someone else wants to end their life (113 for naasten).

The lexicon errs on the side of safety, but everyday idioms with "dood" or
"einde" ("ik lach me dood", "een einde aan mijn abonnement") are not a crisis:
the patterns need the context that makes them one. `is_idiom()` lists those
idioms so the classifier's own "crisis" guess can be vetoed for them.
"""
# ruff: noqa: E501  (pattern tables read better with one pattern per line)

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bot.nlp.spelling import NEIGHBOURS, Speller, common_dutch_words, keyboard_score, pattern_words
from bot.safety import crisis_patterns as patterns
from bot.safety.crisis_patterns import Rule
from bot.safety.text import normalise, words

ACUUT_GEVAAR = "acuut_gevaar"
ZELFDODING = "zelfdoding"
HUISELIJK_GEWELD = "huiselijk_geweld"
NAASTE = "naaste"
KINDS = (ACUUT_GEVAAR, ZELFDODING, HUISELIJK_GEWELD, NAASTE)


@dataclass(frozen=True)
class CrisisSignal:
    soort: str  # the kind that decides the reply
    soorten: tuple[str, ...]  # every kind found, in order of precedence
    reden: str  # the pattern or word that fired (for logs and tests)


_W = r"(?:[a-z0-9']+ )"  # one word and its space, for short gaps in a phrase

_RELATIVES = patterns.RELATIVES
_SELF_WORDS = {"ik", "me", "mij", "mezelf", "mijzelf", "i", "myself"}
_OTHER_WORDS = {"hij", "zij", "ze", "zich", "zichzelf", "iemand", "he", "she", "himself", "herself"} | set(
    _RELATIVES.split("|")
)
# Who acts: the resident ("ik", "wij") or someone else. Object pronouns ("me") say nothing about that.
_AGENT_SELF = {"ik", "we", "wij", "i"}
_OBJECT_SELF = {"me", "mij"}
_REFLEXIVE_SELF = {"mezelf", "mijzelf", "myself", "ik"}

_DOOD = patterns.DOOD
_ABUSER_OBJECT = patterns.ABUSER_OBJECT

# The resident's own life (or someone else's, decided by who is talked about).
_ZELFDODING = [*patterns.GEDACHTEN, *patterns.ZELFBESCHADIGING, *patterns.VOORBEREIDING, *patterns.INDIRECT]
_NAASTE = patterns.NAASTE
_ACUUT_GEVAAR = patterns.ACUUT_GEVAAR
_HUISELIJK_GEWELD = patterns.HUISELIJK_GEWELD

# Single words that are a crisis on their own, also misspelt ("zelfmord", "mishandelt").
_FUZZY_WORDS = {
    "zelfmoord": ZELFDODING,
    "zelfdoding": ZELFDODING,
    "suicide": ZELFDODING,
    "suicidaal": ZELFDODING,
    "zelfbeschadiging": ZELFDODING,
    "levensmoe": ZELFDODING,
    "overdosis": ACUUT_GEVAAR,
    "mishandeld": HUISELIJK_GEWELD,
    "mishandeling": HUISELIJK_GEWELD,
}

_IDIOMS = [
    r"\b(?:lach|lachte|lachen|verveel|verveelde|schrik|schrok|werk|werkte|zoek|zocht|schaam|ergerde?) "
    r"(?:me|mij|ons|mezelf|je) (?:\w+ )?(?:dood|rot|een ongeluk|te pletter)\b",
    r"\bdood(?:op|moe|saai|stil|gewoon|normaal|leuk|eng|ziek|gemoedereerd|simpel|sbang|bang|ongelukkig|nerveus)\b",
    r"\b(?:ga|gaat|ging|gaan) (?:bijna |haast )?dood van (?:de |het )?(?:honger|dorst|kou|hitte|warmte|verveling|schaamte|"
    r"zenuwen|stress|pijn|lachen|slaap)\b",
    r"\b(?:batterij|accu|telefoon|mobiel|laptop|computer|tablet|printer|auto|fiets|plant|plantje|lamp)"
    r"\w* (?:\w+ ){0,4}?(?:is |was |ging |gaat )?(?:dood|leeg|kapot|stuk)\b",
    r"\b(?:computer|laptop|telefoon|auto|fiets|printer|wasmachine|tv|router|wifi|internet)\w* "
    r"(?:\w+ ){0,3}?wil (?:het )?niet meer\b",
    r"\b(?:hoef|hoeft|hoeven) (?:\w+ )?niet meer (?:elke|iedere|zo|te|naar|alleen|op|bij)\b",
    r"\bwil (?:\w+ )?niet meer (?:zo vaak |zo veel |zoveel )?(?:alleen|roken|drinken|snoepen|werken|piekeren)\b",
    r"\b(?:klok|kerkklok|torenklok|bel|hart|stemming|weegschaal)\w* (?:\w+ )?(?:slaat|sloeg) (?:\w+ )?"
    r"(?:\d+|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|half|om|over|op hol)\b",
    r"\beind aan (?:mijn|het|de|ons|dit|die) (?:abonnement|contract|relatie|lidmaatschap|huur|baan|"
    r"studie|vakantie|dag|gedoe|gezeur|ruzie)\b",
    r"\b(?:snij|snijd|snijden|sneed)\w* (?:\w+ ){0,2}?(?:uien|ui|groente|groenten|brood|vlees|tomaten|taart|papier|haar)\b",
    # figures of speech and accidents: the classifier's own "crisis" guess is vetoed for them
    r"\b(?:ga|gaat|ging|gaan|sterf|sterft|stierf) (?:bijna |haast |echt )?(?:dood )?van (?:de |het |die |dat |mijn )?\w+",
    r"\bom (?:van )?te (?:janken|huilen|gillen|schieten)\b|\bkan wel janken\b",
    r"\bbreek (?:mijn|m'n|me|het) (?:hoofd|kop)\b|\bover mijn lijk\b|\bslaat nergens op\b",
    r"\b(?:mezelf|me) (?:\w+ )?(?:wel )?(?:schieten|voor (?:mijn|m'n|de) (?:kop|hoofd|kanis))\b",
    r"\b(?:sla|sloeg|slaan) (?:me|mezelf|ons) (?:er )?(?:wel )?(?:door|doorheen)\b",
    r"\b(?:kaars|kaarsje|kaarsen|wierook)\b",
    r"\b(?:gesneden|gebrand|gesneden|geprikt|bezeerd|gestoten|pijn gedaan) (?:\w+ )?aan (?:een|de|het|mijn)\b|\bper ongeluk\b",
    r"\bverdwijnen (?:op|naar|met|in) (?!het niets)|\b(?:even|een weekend|een dag|een tijdje) (?:\w+ )?verdwijnen\b"
    r"|\bonder (?:een|de|mijn) \w+ verdwijnen\b|\buit de drukte\b|\bverdwenen\b",
    r"\bdodelijk (?:saai|vermoeiend|moe)\b|\bmoordend\w*\b|\bdoodsbang\b|\bopgebrand\b|\buitgebrand\b",
]


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern[str]
    veto: re.Pattern[str] | None = None
    not_self: bool = False
    harm_to_me: bool = False
    topic: bool = False


def _text(entry: str | Rule) -> str:
    """The words of an entry (its veto too: "kpgebrand" must become "opgebrand", not "gebrand")."""
    return f"{entry.pattern} {entry.veto or ''}" if isinstance(entry, Rule) else entry


def _compile_one(entry: str | Rule) -> _Compiled:
    if isinstance(entry, Rule):
        veto = re.compile(entry.veto.replace("{_W}", _W)) if entry.veto else None
        return _Compiled(
            re.compile(entry.pattern.replace("{_W}", _W)), veto, entry.not_self, entry.harm_to_me, entry.topic
        )
    return _Compiled(re.compile(entry.replace("{_W}", _W)))


def _compile(entries: list[str | Rule]) -> list[_Compiled]:
    return [_compile_one(entry) for entry in entries]


_PATTERNS = {
    ACUUT_GEVAAR: _compile(_ACUUT_GEVAAR),
    ZELFDODING: _compile(_ZELFDODING),
    HUISELIJK_GEWELD: _compile(_HUISELIJK_GEWELD),
    NAASTE: _compile(_NAASTE),
}
_IDIOM_PATTERNS = [c.regex for c in _compile(_IDIOMS)]


_OWNER_AFTER = re.compile(rf"^[^.?!;]{{0,40}}?\b(?:van|door) (?:hem|haar|mijn (?:{_W})?(?:{_RELATIVES}))\b")


def _is_about_someone_else(normalised: str, start: int, matched: str) -> bool:
    """Decide whose life it is by the nearest person word before the phrase ("een afscheidsbrief van mijn zus": after it)."""
    if set(words(matched)) & _SELF_WORDS:
        return False
    if _OWNER_AFTER.match(normalised[start + len(matched) :]):
        return True
    for word in reversed(words(normalised[:start])[-8:]):
        if word in _SELF_WORDS:
            return False
        if word in _OTHER_WORDS or _slipped_person_word(word):
            return True
    return False


def _slipped_person_word(word: str) -> bool:
    """True for a keyboard slip of a word for someone else that is a Dutch word itself ("zoog" for "zoon")."""
    return len(word) >= _SLIP_MIN_LENGTH and any(
        meant in _OTHER_WORDS for meant in _slip_candidates(word) if meant != word
    )


def _agent(normalised: str, start: int) -> str | None:
    """Who acts in the phrase at `start`: "self", "other", or None when no person word comes before it."""
    for word in reversed(words(normalised[:start])[-8:]):
        if word in _AGENT_SELF:
            return "self"
        if word in _OTHER_WORDS:
            return "other"
    return None


def _done_to_me_by_someone_else(normalised: str, start: int, matched: str) -> bool:
    """True for "hij dreigt me iets aan te doen": the harm comes from someone else, not from the resident."""
    found = set(words(matched))
    if not found & _OBJECT_SELF or found & _REFLEXIVE_SELF:
        return False
    return _agent(normalised, start) == "other"


# A topic in a book, film or lesson: "een boek (gelezen) over zelfmoord", "een les over de zelfdoding van",
# or a clause that begins "in die serie ..." and has no word for the resident ("in die serie pleegt iemand zelfmoord").
_TOPIC_BEFORE = re.compile(rf"\b{patterns.MEDIA}\b (?:{_W}){{0,2}}?over (?:het |de )?$")
_FICTION_CLAUSE = re.compile(rf"(?:^|[.!?;,] ?)(?:in|uit) (?:die|de|een|het|dat|deze|dit|mijn) {patterns.MEDIA}\b[^.!?;,]*$")
_CLAUSE_REST = re.compile(r"[^.!?;,]*")


def _is_topic(text: str, start: int) -> bool:
    if start < 0:
        return False
    before = text[:start]
    if _TOPIC_BEFORE.search(before):
        return True
    fiction = _FICTION_CLAUSE.search(before)
    if fiction is None:
        return False
    clause = before[fiction.start() :] + _CLAUSE_REST.match(text, start).group(0)
    return not set(words(clause)) & _SELF_WORDS


_VETO_WORD = re.compile(r"[a-z]{4,}")
_NEGATIONS = {"niet", "nooit", "geen"}


def _correct_veto_word(match: re.Match[str]) -> str:
    corrected = _SPELLER.correct(match.group(0))
    return match.group(0) if corrected is None or corrected in _NEGATIONS else corrected


def _matches(compiled: _Compiled, normalised: str, veto_texts: tuple[str, ...] = ()) -> re.Match[str] | None:
    for match in compiled.regex.finditer(normalised):
        if compiled.veto is not None:
            # A misspelt veto ("per ongepuk", "vokr jijn kop") still vetoes; but no negation is made up:
            # the Dutch word table misses some everyday forms ("ziet" must not become "niet").
            # `veto_texts`: other readings of the same message (same word lengths); a veto in any of them counts.
            windows = [text[match.start() : match.end() + 40] for text in (normalised, *veto_texts)]
            if any(
                compiled.veto.search(window)
                or compiled.veto.search(_VETO_WORD.sub(_correct_veto_word, window))
                for window in windows
            ):
                continue
        if compiled.not_self and _agent(normalised, match.start()) == "self":
            continue
        if compiled.topic and any(_is_topic(text, match.start()) for text in (normalised, *veto_texts)):
            continue
        return match
    return None


def _fuzzy_hits(normalised: str, veto_texts: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    hits = []
    for word in words(normalised):
        if len(word) < 7:
            continue
        if any(_is_topic(text, normalised.find(word)) for text in (normalised, *veto_texts)):
            continue  # "een boek over zelfmoord": a topic, not a wish
        for keyword, kind in _FUZZY_WORDS.items():
            allowed = 1 if len(keyword) < 10 else 2
            # A misspelt compound ("zelfmordgedachtes") starts with a near-copy of the keyword.
            starts = {word} | {
                word[:n] for n in (len(keyword) - 1, len(keyword), len(keyword) + 1) if n < len(word)
            }
            if any(Levenshtein.distance(start, keyword) <= allowed for start in starts):
                hits.append((kind, word))
                break
    return hits


# Misspelt lexicon words ("ik worc thuis geslaren") are corrected towards the
# lexicon's own words; a message is checked as typed and, if that finds nothing,
# once more with its typos corrected.
_LEXICON_WORDS = pattern_words(
    [
        *map(_text, _ZELFDODING),
        *map(_text, _NAASTE),
        *map(_text, _ACUUT_GEVAAR),
        *map(_text, _HUISELIJK_GEWELD),
        _RELATIVES,
        _ABUSER_OBJECT,
        _DOOD,
        *_FUZZY_WORDS,
        patterns.EXTRA_WORDS,
        patterns.HARMLESS_WORDS,
    ]
)
# Between equally near words the one the lexicon uses most wins ("nief" → "niet", not "nier").
_SPELLER = Speller(_LEXICON_WORDS, frequency=_LEXICON_WORDS, keyboard=True)


def detect(text: str) -> CrisisSignal | None:
    """The crisis signal in `text`, or None when the message shows no danger."""
    normalised = normalise(text)
    if not normalised:
        return None
    # The corrected text is normalised again: a corrected "einde" folds to "eind" like a typed one.
    corrected_text = normalise(_SPELLER.correct_text(normalised))
    readings = list(dict.fromkeys(_readings(normalised, corrected_text)))
    stretched = normalise(text, collapse_stretched=False)
    if stretched != normalised:
        # "ik wil niet meee verder": the slip sits in a letter that normalising collapses ("meee" -> "mee").
        readings += [normalise(read) for read in keyboard_readings(stretched)]
        readings = list(dict.fromkeys(readings))
    # An idiom or accident in any reading of the message vetoes the others ("vokr jijn kop").
    # (Not the speller's text: it may turn a Dutch word it does not know into a negation, "ziet" -> "niet".)
    veto_texts = tuple(
        r
        for r in (normalised, *readings)
        if len(r) == len(normalised) and not _makes_up_a_negation(normalised, r)
    )

    def detect_in(reading: str) -> CrisisSignal | None:
        return _detect_in(reading, veto_texts if len(reading) == len(normalised) else ())

    # A misspelt veto in another reading counts for the text as typed too ("ik snij me nier meer").
    typed = detect_in(normalised)

    # Also when the typed text fires: a misspelt person word ("mijm vriejdin wil dood") decides the kind.
    corrected = detect_in(corrected_text) if corrected_text != normalised else None
    if corrected is None and typed is None:
        for reading in readings:
            if reading not in (normalised, corrected_text):
                corrected = detect_in(reading)
                if corrected is not None:
                    break
    return corrected or typed


def _makes_up_a_negation(typed: str, reading: str) -> bool:
    """True when `reading` has a negation where `typed` has a word that is no keyboard slip of it.

    "het ziet" read as "het niet" (the speller) is made up; "nier" for "niet" (one key) is not.
    """
    return any(
        read in _NEGATIONS and read != word and not (len(word) == len(read) and _slips(word, read, 1))
        for word, read in zip(words(typed), words(reading), strict=False)
    )


def _readings(normalised: str, corrected_text: str):
    """Last tries, each only when the one before found nothing (see below)."""
    yield normalise(_GLUE_WORD.sub(lambda m: _slipped_glue_word(m.group(0)), corrected_text))
    # Keyboard slips read back as the lexicon word they were meant to be, also
    # where the slip made another Dutch word ("tegen" -> "regen", "pijn" -> "lijn").
    readings = keyboard_readings(normalised)
    for read in readings:
        yield normalise(read)
    yield normalise(_SPELLER.correct_text(readings[0]))


# A slip of one key can turn a lexicon's glue word into another Dutch word
# ("niet" → "nier", "naar" → "gaar", "maken" → "haken"), which the speller leaves
# alone. As a last try such a word is read as the frequent lexicon word one
# neighbouring key away. Never towards "dood": "ik wil door" stays harmless.
_GLUE_WORD = re.compile(r"[a-z]{4,}")
_GLUE_TARGETS = sorted(set(patterns.GLUE_WORDS.split()))


def _slipped_glue_word(word: str) -> str:
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
# with two exceptions: a rare Dutch word may be a negation ("miet", _rare_dutch_word), and
# a slip of "dood" that ends its clause in a message with other typos (_DOOD_SLIPS).
# A lexicon word may be a slip of another lexicon word ("laat" for "last"), read as typed first.
_NOT_FROM_DUTCH = frozenset(
    {"dood", "doden", "dode", "dod", "doot", "doodgaan", "sterven", "niet", "nooit", "geen"}
)
_SLIP_MIN_LENGTH = 4
_LEXICON_BY_LENGTH: dict[int, list[str]] = {}
for _word in sorted(_LEXICON_WORDS):
    _LEXICON_BY_LENGTH.setdefault(len(_word), []).append(_word)


def _slips(typed: str, meant: str, limit: int) -> int | None:
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
        if any(variant in dutch and variant not in _LEXICON_WORDS for variant in frontier):
            return True
    return False


@lru_cache(maxsize=8192)
def _slip_candidates(word: str) -> tuple[str, ...]:
    """The lexicon words `word` may be a keyboard slip of, nearest and most used first (or `word` itself)."""
    if len(word) < _SLIP_MIN_LENGTH:
        return (word,)
    if word in _LEXICON_WORDS:
        # A slip may make another lexicon word ("last" -> "laat", "doorgaan" -> "doodgaan"):
        # read as typed first, then as the lexicon words one slip away (never as "dood" or a negation).
        near = sorted(
            (-_LEXICON_WORDS[meant], meant)
            for meant in _LEXICON_BY_LENGTH.get(len(word), ())
            if meant != word and meant not in _NOT_FROM_DUTCH and _slips(word, meant, 1)
        )
        return (word, *(meant for _, meant in near[: _MAX_CANDIDATES - 1]))
    dutch = word in common_dutch_words()
    limit = 1 if dutch else 2
    found: list[tuple[int, int, str]] = []
    for meant in _LEXICON_BY_LENGTH.get(len(word), ()):
        if dutch and meant in _NOT_FROM_DUTCH and not (meant in _NEGATIONS and _rare_dutch_word(word)):
            continue
        slips = _slips(word, meant, limit)
        if slips:
            found.append((slips, -_LEXICON_WORDS[meant], meant))
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
_RATHER = re.compile(r"\b(?:liever|liefst|beter)\s*$")
_THAN = re.compile(r"^ (?:dan (?:zo|dit|levend|leven|zo verder|verder)|zijn|willen|wil)\b")
# A Dutch word this rare (wordfreq Zipf) one key from a negation is read as the negation too:
# "ik wil miet meer", "dat ik biet meer wakker word"; "nier" (3.6) and "ziet" (5.5) stay what they are.
_RARE_ZIPF = 3.2


@lru_cache(maxsize=4096)
def _rare_dutch_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl") < _RARE_ZIPF


@lru_cache(maxsize=1)
def _dood_slips() -> frozenset[str]:
    return (
        frozenset(
            word[:i] + key + word[i + 1 :]
            for word in ("dood",)
            for i, letter in enumerate(word)
            for key in NEIGHBOURS.get(letter, ())
        )
        & common_dutch_words()
    )


class _DoodSlips:
    def __contains__(self, word: object) -> bool:
        return word in _dood_slips()


_DOOD_SLIPS = _DoodSlips()
_MAX_READINGS = 24


def keyboard_readings(normalised: str) -> list[str]:
    """`normalised` with its words read as the lexicon words they may be keyboard slips of.

    The first reading takes the nearest word everywhere; then each other candidate
    of a word on its own; then combinations (at most _MAX_READINGS of them).
    A message in which every word is Dutch (or a lexicon word) is read as typed:
    "het werk slokt me op" has no typo, so "slokt" never becomes "sloot".
    """
    parts = re.split(r"([a-z]{%d,})" % _SLIP_MIN_LENGTH, normalised)
    words_typed = parts[1::2]
    if all(word in _LEXICON_WORDS or word in common_dutch_words() for word in words_typed):
        return [normalised]
    options = [_slip_candidates(part) if i % 2 else (part,) for i, part in enumerate(parts)]
    best = [choices[0] for choices in options]
    for index in range(1, len(parts), 2):
        if parts[index] in _DOOD_SLIPS:
            before, after = "".join(best[:index]), "".join(best[index + 1 :])
            if _CLAUSE_END.match(after) or (_RATHER.search(before) and _THAN.match(after)):
                options[index] = (*options[index], "dood")
    best = [choices[0] for choices in options]
    readings = ["".join(best)]
    # Each word's other candidates on their own first, so that every candidate is tried once ...
    for index, choices in enumerate(options):
        for choice in choices[1:]:
            readings.append("".join([*best[:index], choice, *best[index + 1 :]]))
    # ... then combinations of them; a lexicon word's other readings only on their own (they are many).
    combined = [
        choices[:1] if i % 2 and parts[i] in _LEXICON_WORDS else choices for i, choices in enumerate(options)
    ]
    readings += ["".join(c) for c in itertools.islice(itertools.product(*combined), _MAX_READINGS)]
    return list(dict.fromkeys(readings))


def _detect_in(normalised: str, veto_texts: tuple[str, ...] = ()) -> CrisisSignal | None:
    found: dict[str, str] = {}
    for kind in KINDS:
        for compiled in _PATTERNS[kind]:
            match = _matches(compiled, normalised, veto_texts)
            if not match:
                continue
            actual = kind
            if kind == ZELFDODING:
                if compiled.harm_to_me and _done_to_me_by_someone_else(
                    normalised, match.start(), match.group(0)
                ):
                    actual = HUISELIJK_GEWELD  # a threat or harm by someone else: Veilig Thuis, not 113
                elif _is_about_someone_else(normalised, match.start(), match.group(0)):
                    actual = NAASTE
            found.setdefault(actual, match.group(0))
    for kind, word in _fuzzy_hits(normalised, veto_texts):
        if kind == ZELFDODING and _is_about_someone_else(normalised, normalised.find(word), word):
            kind = NAASTE
        found.setdefault(kind, word)
    if not found:
        return None
    kinds = tuple(k for k in KINDS if k in found)
    return CrisisSignal(soort=kinds[0], soorten=kinds, reden=found[kinds[0]])


def warm_up() -> None:
    """Load the word lists the typo readings need (a process calls this once at start)."""
    common_dutch_words()
    _dood_slips()
    _rare_dutch_word("warmop")
    _SPELLER.correct("warmop")


def is_idiom(text: str) -> bool:
    """True when the message holds an everyday idiom that only sounds like danger."""
    normalised = normalise(text)
    # Also misspelt: "ik heb me gedneden aan een bpikje" is still an accident.
    corrected = normalise(_SPELLER.correct_text(normalised))
    return any(p.search(normalised) or p.search(corrected) for p in _IDIOM_PATTERNS)
