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

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from bot.nlp.spelling import common_dutch_words
from bot.safety import crisis_patterns as patterns
from bot.safety import typo_readings
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


# The typo readings (bot.safety.typo_readings) under the names this module uses.
_NEGATIONS = typo_readings.NEGATIONS
_SLIP_MIN_LENGTH = typo_readings.SLIP_MIN_LENGTH
_SPELLER = typo_readings.SPELLER
_dood_slips = typo_readings.dood_slips
keyboard_readings = typo_readings.keyboard_readings
_makes_up_a_negation = typo_readings.makes_up_a_negation
_rare_dutch_word = typo_readings.rare_dutch_word
_readings = typo_readings.readings
_slip_candidates = typo_readings.slip_candidates

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
_FUZZY_WORDS = patterns.FUZZY_WORDS

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
    before = words(normalised[:start])[-8:]
    for index in range(len(before) - 1, -1, -1):
        word = before[index]
        if word in _OBJECT_SELF and index and _is_sent_to(before[index - 1]):
            continue  # "mijn vriendin stuurde me een afscheidsbericht": "me" only received it
        if word in _SELF_WORDS:
            return False
        if word in _OTHER_WORDS or _slipped_person_word(word):
            return True
    return False


def _is_sent_to(word: str) -> bool:
    return word in _SENT_TO or (
        len(word) >= 5 and any(Levenshtein.distance(word, verb) <= 1 for verb in _SENT_TO)
    )


# Verbs by which a message or letter reaches the resident ("stuurde me", "appte me").
_SENT_TO = {
    "stuurde",
    "stuurt",
    "stuurden",
    "appte",
    "appt",
    "mailde",
    "mailt",
    "schreef",
    "schrijft",
    "gaf",
    "geeft",
    "liet",
    "belde",
    "sms'te",
}


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
_TOPIC_BEFORE = re.compile(
    rf"\b{patterns.MEDIA}\b (?:{_W}){{0,2}}?over (?:het |de )?$|\b(?:las|lees|leest|gelezen|hoorde|gehoord) over (?:{_W}){{0,4}}?$"
    rf"|\b(?:tegen|voorkomen van|preventie van|bestrijden van|taboe op|het taboe rond|voorlichting over|onderzoek naar) (?:{_W})?$"
)
_WORD_AT = re.compile(r"[a-z]+")
# Bereaved by someone's suicide: "na de zelfdoding van mijn broer", "overleden door zelfmoord", "nabestaande na zelfmoord".
_LOSS_BEFORE = re.compile(r"\b(?:na|door|vanwege) (?:de |het |een |zijn |haar )?$")
_BEREAVED = re.compile(
    r"\b(?:overleden|overleed|nabestaande\w*|rouw\w*|lotgeno\w*|verloren|verlies|begrafenis|gestorven|stierf|herdenking|gemis)\b"
)


def _is_prevention_word(word: str) -> bool:
    """ "zelfmoordpreventie", also misspelt ("zelfmoordpdeventje"): about preventing it, not a wish."""
    return len(word) >= 14 and Levenshtein.distance(word[-9:], "preventie") <= 2


_FICTION_CLAUSE = re.compile(
    rf"(?:^|[.!?;,] ?)(?:in|uit) (?:die|de|een|het|dat|deze|dit|mijn) {patterns.MEDIA}\b[^.!?;,]*$"
)
_CLAUSE_REST = re.compile(r"[^.!?;,]*")


def _is_topic(text: str, start: int) -> bool:
    if start < 0:
        return False
    before = text[:start]
    at = _WORD_AT.match(text, start)
    if _TOPIC_BEFORE.search(before) or (at is not None and _is_prevention_word(at.group(0))):
        return True
    if _LOSS_BEFORE.search(before) and _BEREAVED.search(text):
        return True  # "lotgenoten na de zelfdoding van mijn broer": a loss, not a wish
    fiction = _FICTION_CLAUSE.search(before)
    if fiction is None:
        return False
    clause = before[fiction.start() :] + _CLAUSE_REST.match(text, start).group(0)
    return not set(words(clause)) & _SELF_WORDS


_VETO_WORD = re.compile(r"[a-z]{4,}")


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
    signal = corrected or typed
    if signal is not None and _is_a_past_crisis_that_is_over(normalised, signal):
        return None
    return signal


# A past crisis the resident says is over: "vroeger wilde ik niet meer leven, nu gaat het goed".
# Only thoughts and self-harm (never danger or violence), only with a time in the past before the
# words that it is over, and never when something follows that takes it back ("maar", "weer").
_PAST = re.compile(
    r"\b(?:vroeger|toen ik|vorig jaar|vorige maand|jaren geleden|lang geleden|jaren terug|destijds|"
    r"in het verleden|als tiener|als puber|in mijn jeugd|een tijd geleden|een paar jaar)\b"
)
_OVER = re.compile(
    rf"\b(?:nu|inmiddels|tegenwoordig|sindsdien|gelukkig|nu gelukkig) (?:(?!niet |geen |nooit |minder |slecht){_W}){{0,3}}?"
    r"(?:goed|beter|prima|gelukkig|stabiel|blij|sterker|fijn|voorbij|over|overheen|vanaf|van af|mee gestopt)\b(?![^.!?]*\b(?:maar|alleen|weer|opnieuw|nog steeds|soms)\b)"
)


def _is_a_past_crisis_that_is_over(normalised: str, signal: CrisisSignal) -> bool:
    if set(signal.soorten) - {ZELFDODING, NAASTE}:
        return False
    past = _PAST.search(normalised)
    return past is not None and _OVER.search(normalised, past.end()) is not None


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
