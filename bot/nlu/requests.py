"""Does a message ask for a person, or about the status of a request? (pure Python)

The classifier reads most of these well ("kan ik iemand spreken?", "hoe staat mijn
aanvraag?"), but a short or informal message can end up as a fallback or as a word
of the hand-off form: "bel me maar" (`handoff_route`), "ik heb nog niks gehoord",
"wanneer hoor ik iets" (`nlu_fallback`), "is dit een robot? ik wil een mens"
(`wat_ben_jij`). The InputGuard uses these patterns to give such a message the
intent it has. The patterns are about wanting a person or waiting for an answer;
a negation ("bel me niet", "ik wil geen mens") is no request.
"""

from __future__ import annotations

import re

from bot.handoff.reference import REFERENCE_PATTERN

_PERSON_WORDS = (
    r"(?:mens|persoon|iemand|medewerker|medewerkster|welzijnscoach|coach|hulpverlener|sociaal\s+werker)"
)
_PERSON = [
    # wanting someone: "ik wil een mens", "liever een echt persoon", "mag ik iemand spreken"
    rf"\b(?:wil|wilt|wou|willen|zou|graag|liever|mag|geef|verbind|zoek)\b(?:\s+\w+){{0,3}}?\s+"
    rf"(?:een\s+|met\s+een\s+)(?:echte?\s+)?{_PERSON_WORDS}\b",
    rf"\b{_PERSON_WORDS}\s+(?:\w+\s+){{0,3}}(?:spreken|praten|bellen|aan\s+de\s+(?:lijn|telefoon)|langskomen|zien)\b",
    rf"\bafspraak\s+(?:met|bij)\s+(?:een\s+)?(?:echte?\s+)?{_PERSON_WORDS}\b",
    # a call back: "bel me maar", "kunnen jullie mij bellen", "mij even terugbellen", "gebeld worden"
    r"\bbel\s+(?:me|mij|ons)\b",
    r"\b(?:me|mij|ons)\s+(?:\w+\s+){0,2}(?:terug)?bellen\b",
    r"\bterug\s*bellen\b",
    r"\bgebeld\s+worden\b",
    r"\bcontact\s+(?:met\s+)?(?:me|mij)\s+opnemen\b",
    # is someone there: "is er iemand die me kan helpen", "zit er een echt mens achter"
    r"\bis\s+(?:er|daar)\s+iemand\b",
    r"\bzit\s+er\s+(?:een\s+)?(?:echte?\s+)?mens\b",
    r"\becht(?:e)?\s+mens\b",
]
_NOT_PERSON = [
    r"\b(?:geen|niet|nooit)\s+(?:\w+\s+){0,2}(?:mens|persoon|iemand|bellen|gebeld|medewerker)\b",
    r"\bbel\s+(?:me|mij)\s+niet\b",
    r"\bniemand\b",
    r"\b(?:ben|bent|is)\s+(?:je|jij|u|dit|het)\s+(?:een\s+)?(?:echte?\s+)?(?:mens|persoon)\s*\??$",
]
_REQUEST = r"(?:aanvraag|aanmelding|verzoek|aanvragen|hulpvraag)"
_STATUS_WORD = (
    r"(?:status|stand|staat|bekeken|behandeld|opgepakt|gelezen|ontvangen|aangekomen|nieuws|gebeurd|"
    r"gebeurt|verwerkt|doorgestuurd|al\s+binnen)"
)
_STATUS = [
    # a request with a status word: "hoe staat het met mijn aanvraag", "nieuws over mijn verzoek"
    rf"\b{_REQUEST}\b.*\b{_STATUS_WORD}\b",
    rf"\b{_STATUS_WORD}\b.*\b{_REQUEST}\b",
    r"\bmijn\s+(?:vraag|bericht|berichtje|formulier)\b.*\b(?:bekeken|behandeld|opgepakt|gelezen|ontvangen|"
    r"aangekomen|binnen)\b",
    # still waiting: "ik heb nog niks gehoord", "nog steeds niet gebeld", "wanneer hoor ik iets"
    r"\bnog\s+(?:steeds\s+)?(?:niks|niets|geen\s+\w+|niet(?:s)?)\s+(?:\w+\s+){0,4}"
    r"(?:gehoord|vernomen|ontvangen|gebeld|teruggebeld|gemaild|terug\s*gehoord)\b",
    r"\bnog\s+(?:steeds\s+)?niet\s+(?:ge|terug)?(?:beld|gebeld|hoord|benaderd)\b",
    r"\bhoor\s+(?:\w+\s+){0,2}(?:niks|niets)\s+(?:meer\s+)?van\s+(?:jullie|u|de\s+coach|de\s+gemeente|het\s+wijkteam)\b",
    r"^(?:en\s+)?(?:duurt|dauert)\s+het\s+(?:nog\s+)?(?:lang|even|lang\s+voordat)\b",
    r"\bmijn\s+(?:gegevens|aanvraag|aanmelding|formulier)\s+(?:\w+\s+){0,2}(?:ontvangen|binnen|aangekomen|doorgekomen)\b",
    r"\bwanneer\s+(?:hoor|word|wordt|krijg|krijgen|belt|bellen|neemt|nemen)\s+(?:ik|we|wij|jullie|de\s+coach|iemand)\b",
    r"\bhoe\s+lang\s+(?:duurt|moet)\s+(?:het|ik)\b.*\b(?:nog|wachten)\b",
    r"\b(?:al|nou)\s+(?:\w+\s+){0,2}(?:weken|dagen)\s+(?:aan\s+het\s+)?wacht",
    r"\bwacht\w*\s+(?:\w+\s+){0,3}(?:op|al)\b.*\b(?:antwoord|reactie|bericht|telefoontje|coach|jullie)\b",
]

_FLAGS = re.IGNORECASE
_PERSON_RE = [re.compile(p, _FLAGS) for p in _PERSON]
_NOT_PERSON_RE = [re.compile(p, _FLAGS) for p in _NOT_PERSON]
_STATUS_RE = [re.compile(p, _FLAGS) for p in _STATUS]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s?]", " ", (text or "").lower()).split())


def asks_for_person(text: str) -> bool:
    """ "bel me maar", "ik wil een mens", "is er iemand die me kan helpen"; not "bel me niet"."""
    normal = _normal(text)
    if any(p.search(normal) for p in _NOT_PERSON_RE):
        return False
    return any(p.search(normal) for p in _PERSON_RE)


_DELETION = re.compile(
    r"\b(?:wis|wissen|gewist|verwijder|verwijderen|verwijderd|weg|weghalen|weggehaald|intrekken|schrappen|"
    r"uitschrijven|afmelden)\b",
    re.IGNORECASE,
)


def asks_deletion_by_code(text: str) -> bool:
    """A reference code with a word for deleting: "ik wil dat jullie mijn gegevens weghalen WW-KM34PQ"."""
    return bool(REFERENCE_PATTERN.search(text or "")) and bool(_DELETION.search(text or ""))


def asks_status(text: str) -> bool:
    """ "hoe staat het met mijn aanvraag", "ik heb nog niks gehoord", "wanneer hoor ik iets"."""
    normal = _normal(text)
    return any(p.search(normal) for p in _STATUS_RE)
