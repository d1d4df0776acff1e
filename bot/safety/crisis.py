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

from bot.nlp.spelling import Speller, pattern_words
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

_RELATIVES = (
    "zoon|dochter|kind|kinderen|kindje|broer|broertje|zus|zusje|zuster|vader|moeder|pa|ma|papa|mama|"
    "opa|oma|man|vrouw|partner|vriend|vriendin|vriendje|ex|buurman|buurvrouw|collega|neef|nicht|oom|"
    "tante|schoonzoon|schoondochter|kleinzoon|kleindochter|stiefvader|stiefmoeder|tiener|puber|leerling|"
    "klasgenoot|huisgenoot|cliënt|client|echtgenoot|echtgenote|vriendinnetje|zwager|schoonzus"
)
_SELF_WORDS = {"ik", "me", "mij", "mezelf", "mijzelf", "i", "myself"}
_OTHER_WORDS = {"hij", "zij", "ze", "zichzelf", "iemand", "he", "she", "himself", "herself"} | set(
    _RELATIVES.split("|")
)

_DOOD = r"(?:dood|dod|doot|doodgaan|sterven)"

# The resident's own life (or someone else's, decided by who is talked about).
_ZELFDODING = [
    rf"\bwil(?:de|len)? {_W}{{0,2}}?{_DOOD}\b",
    rf"\b(?:liever|liefst|beter) {_DOOD}\b",
    rf"\bwas ik (?:maar )?{_DOOD}\b",
    rf"\bik {_DOOD} (?:was|ben|zou zijn|wil)\b",
    rf"\b{_DOOD} (?:wil|wilt|wou|willen)\b",
    r"\bniet meer (?:willen |wil |hoeven )?leven\b",
    r"\bwil(?:de)? {_W}{0,2}?niet meer leven\b",
    r"\bwil(?:de)? {_W}{0,1}?er niet meer (?:zijn|wezen)\b",
    r"\b(?:ik|mij|me) er niet meer (?:ben|was|zou zijn|zijn)\b",
    r"\bbeter af zonder (?:mij|me)\b|\bbeter (?:als|dat) ik {_W}{0,1}?(?:dood|weg) (?:ben|was|ga|zou zijn)\b",
    r"\ber {_W}{0,2}?een eind aan(?: (?:maken|te maken|maak|gemaakt|gaan maken)\b|\s*(?:[.!,;]|$))",
    r"\been eind aan (?:mijn|m'n|het|dit) (?:eigen )?leven\b",
    r"\bmijn leven (?:be)?eindigen\b",
    r"\buit het leven (?:stappen|gaan|te stappen)\b",
    r"\bvan kant (?:maken|te maken)\b",
    r"\b(?:mezelf|mijzelf) {_W}{0,3}?(?:iets|wat|pijn|kwaad|schade) (?:aan te doen|aandoen|te doen|doen|aan doen)\b",
    r"\b(?:me|mij) (?:iets|wat) (?:aan te doen|aandoen|aandoe)\b",
    r"\b(?:mezelf|mijzelf) {_W}{0,3}?(?:doden|ombrengen|ophangen|snijden|krassen|verwonden|beschadigen|"
    r"verdrinken|vergiftigen|iets aandoen)\b",
    r"\b(?:snij|snijd|sneed|kras|krast|bekras)\w* {_W}{0,2}?(?:mezelf|mijzelf)\b",
    r"\b(?:in|op) mijn (?:arm|armen|pols|polsen|been|benen|huid) {_W}{0,2}?(?:gesneden|snijden|snij|gekrast|krassen|kras)",
    r"\bzelfbeschadig\w*",
    r"\bgeen (?:gat|uitweg) meer\b",
    r"\bgeen zin meer in (?:het |mijn )?leven\b",
    r"\bheeft (?:het|mijn) leven (?:nog )?(?:wel )?zin\b",
    r"\bniet meer wakker (?:worden|te worden|word)\b",
    r"\blevensmoe\b",
    r"\bhet hoeft (?:voor mij |van mij |allemaal |echt )*niet meer\s*(?:[.!,;]|$)",
    r"\bik hoef (?:echt |gewoon )?niet meer\s*(?:[.!,;]|$)",
    r"\bzie het {_W}{0,2}?niet meer zitten\b",
    r"\b(?:nooit|niet) meer wakker (?:worden|te worden|word)\b",
    r"\bhet leven moe\b",
    r"\bwil(?:de)? {_W}{0,2}?niet meer (?:leven|bestaan)\b",
    r"\b(?:mijn|het|dit) leven (?:heeft|is) {_W}{0,2}?(?:geen zin|zinloos|waardeloos)",
    r"\b(?:me|mij|mezelf|mijzelf) (?:op ?hangen|verdrinken|dood ?maken|doden)\b",
    r"\biets doms (?:ga |gaan |zal |te )?doen\b",
    r"\bweg uit (?:dit|het) leven\b",
    r"\b(?:van|voor|onder) (?:een|de|het) (?:dak|flat|brug|trein|metro|balkon)\w* (?:af )?(?:te )?(?:springen|springt|spring)\b",
    r"\bmijn (?:pols|polsen|armen|arm) {_W}{0,2}?(?:doorgesneden|opengesneden|gesneden|snijden|opensnijden)",
    r"\bafscheidsbrie[fv]\w*",
    r"\bik (?:wil|kan) (?:echt |gewoon )?niet meer verder\b(?! (?:met|in|op|bij|als) )",
    r"\bik wil (?:echt |gewoon )?niet meer\s*(?:[.!,;]|$)",
    r"\b(?:springen|spring) (?:van|voor|onder) (?:een|de|het)\b",
    r"\b(?:pillen|tabletten|medicijnen) (?:aan het )?(?:sparen|gespaard|verzamelen|verzameld|opgespaard)\b",
    r"\bzelfmoord\w*|\bzelfdoding\w*|\bsuicid\w*|\bsuizid\w*",
    r"\bkill (?:my|him|her)self\b|\bwant to die\b|\bend (?:my|his|her) life\b|\bhurt (?:my|him|her)self\b",
]

# Someone else's life, phrased so that it cannot be about the resident.
_NAASTE = [
    r"\bzichzelf {_W}{0,3}?(?:iets|wat|pijn|kwaad) (?:aan te doen|aandoen|aandoet|te doen|doet|doen)\b",
    r"\bzichzelf {_W}{0,3}?(?:doden|dood maken|ombrengen|ophangen|snijden|krassen|verwonden|beschadigen|"
    r"van kant)\b",
    r"\b(?:snijdt|krast|snijden|krassen) (?:zich|zichzelf)\b",
    r"\b(?:hij|zij|ze) {_W}{0,2}?(?:wil|wilt|wou) {_W}{0,2}?(?:dood|niet meer leven|er niet meer zijn|sterven)\b",
    r"\b(?:praat|praten|heeft het|hebben het|begint|schrijft|denkt|dreigt) {_W}{0,2}?(?:over|aan|met) "
    r"(?:zelfmoord|zelfdoding|dood ?gaan|sterven|er een eind aan)",
]

_ACUUT_GEVAAR = [
    r"\b(?:te ?veel|teveel|al (?:mijn|de)|alle|een hele? (?:doos|strip|pot|pak)) {_W}{0,2}?"
    r"(?:pillen|pil|tabletten|medicijnen|medicatie|slaappillen|pijnstillers|paracetamol|oxazepam)\b"
    r"[^.?!]{0,25}?\b(?:genomen|ingenomen|geslikt|op|slikt|geslikt|gebruikt)\b",
    r"\boverdosis\b",
    r"\blevensgevaar\b",
    r"\b(?:ik ben|we zijn|wij zijn) (?:nu )?in gevaar\b",
    r"\b(?:sta|staat|zit|zat) (?:nu )?(?:op|aan|bij) (?:de|het|een) (?:rand|brug|dak|spoor|spoorbaan)\b",
    r"\b(?:heeft|met|pakt|pakte) (?:een|zijn|haar) (?:mes|pistool|wapen|vuurwapen)\b",
    r"\bbewusteloos\b",
    r"\b(?:ademt|ademde) (?:niet|nauwelijks)\b",
    r"\bniet (?:meer )?wakker te krijgen\b",
    r"\bpijn op de borst\b",
]

_ABUSER_OBJECT = r"(?:me|mij|ons|mijn (?:kind|kinderen|zoon|dochter|moeder|vader|zus|broer)|de kinderen)"
_HUISELIJK_GEWELD = [
    r"\b(?:slaat|sloeg|slaan|schopt|schopte|trapt|trapte|stompt|stompte|mishandelt|mishandelde|bedreigt|"
    r"bedreigde|wurgt|wurgde|duwt|duwde|knijpt|misbruikt|misbruikte|verkracht|verkrachtte|randt|stalkt|"
    r"chanteert|vermoordt) " + _ABUSER_OBJECT + r"\b(?! om het hart)",
    r"\b(?:sluit|sloot) (?:me|mij|ons) (?:\w+ )?op\b|\bzit(?:ten)? (?:steeds |altijd )?aan (?:me|mij)\b",
    r"\b(?:heeft|hebben|had) (?:me|mij) {_W}{0,2}?(?:geslagen|geschopt|mishandeld|bedreigd|gewurgd|verkracht|"
    r"misbruikt|opgesloten|aangerand)\b",
    r"\bgedwongen (?:tot|om) (?:seks|te vrijen)\b",
    r"\b(?:ik|wij|we) (?:word|werd|worden|werden|ben|zijn) (?:thuis )?(?:\w+ )?(?:geslagen|mishandeld|bedreigd|"
    r"geschopt|misbruikt|verkracht|gewurgd|aangerand|opgesloten|gestalkt)\b",
    r"\bbang (?:voor|van) (?:mijn (?:\w+ )?(?:partner|man|vrouw|vriend|vriendin|ex|vader|moeder|stiefvader|"
    r"stiefmoeder|zoon|dochter|broer|zus|echtgenoot|echtgenote)|hem|haar)\b(?! (?:gezondheid|dat (?:hij|zij|ze) "
    r"(?:valt|ziek)))",
    r"\bhuiselijk geweld\b|\bkindermishandeling\b|\bpartnergeweld\b|\beergerelateerd\w*",
    r"\b(?:niet|nooit) (?:meer )?veilig (?:thuis|in (?:huis|mijn huis|ons huis))\b|\bthuis (?:niet|nooit) veilig\b",
    r"\bgeweld (?:thuis|in huis|in ons gezin)\b",
    r"\b(?:hij|zij|ze) (?:doet|deed) (?:me|mij) (?:pijn|iets aan)\b",
    r"\b(?:wil|gaat|dreigt) (?:me|mij) {_W}{0,1}?(?:vermoorden|doden|iets aan te doen|af te maken|te vermoorden)\b",
]

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
]


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p.replace("{_W}", _W)) for p in patterns]


_PATTERNS = {
    ACUUT_GEVAAR: _compile(_ACUUT_GEVAAR),
    ZELFDODING: _compile(_ZELFDODING),
    HUISELIJK_GEWELD: _compile(_HUISELIJK_GEWELD),
    NAASTE: _compile(_NAASTE),
}
_IDIOM_PATTERNS = _compile(_IDIOMS)


def _is_about_someone_else(normalised: str, start: int, matched: str) -> bool:
    """Decide whose life it is by the nearest person word before the phrase."""
    if set(words(matched)) & _SELF_WORDS:
        return False
    for word in reversed(words(normalised[:start])[-8:]):
        if word in _SELF_WORDS:
            return False
        if word in _OTHER_WORDS:
            return True
    return False


def _fuzzy_hits(normalised: str) -> list[tuple[str, str]]:
    hits = []
    for word in words(normalised):
        if len(word) < 7:
            continue
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
        *_ZELFDODING,
        *_NAASTE,
        *_ACUUT_GEVAAR,
        *_HUISELIJK_GEWELD,
        _RELATIVES,
        _ABUSER_OBJECT,
        _DOOD,
        *_FUZZY_WORDS,
    ]
)
# Between equally near words the one the lexicon uses most wins ("nief" → "niet", not "nier").
_SPELLER = Speller(_LEXICON_WORDS, frequency=_LEXICON_WORDS)


def detect(text: str) -> CrisisSignal | None:
    """The crisis signal in `text`, or None when the message shows no danger."""
    normalised = normalise(text)
    if not normalised:
        return None
    return _SPELLER.find(normalised, _detect_in)


def _detect_in(normalised: str) -> CrisisSignal | None:
    found: dict[str, str] = {}
    for kind in KINDS:
        for pattern in _PATTERNS[kind]:
            match = pattern.search(normalised)
            if not match:
                continue
            actual = kind
            if kind == ZELFDODING and _is_about_someone_else(normalised, match.start(), match.group(0)):
                actual = NAASTE
            found.setdefault(actual, match.group(0))
    for kind, word in _fuzzy_hits(normalised):
        if kind == ZELFDODING and _is_about_someone_else(normalised, normalised.find(word), word):
            kind = NAASTE
        found.setdefault(kind, word)
    if not found:
        return None
    kinds = tuple(k for k in KINDS if k in found)
    return CrisisSignal(soort=kinds[0], soorten=kinds, reden=found[kinds[0]])


def is_idiom(text: str) -> bool:
    """True when the message holds an everyday idiom that only sounds like danger."""
    normalised = normalise(text)
    return any(p.search(normalised) for p in _IDIOM_PATTERNS)
