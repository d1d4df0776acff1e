"""Deterministic medical-question lexicon: should this go to the huisarts?

The assistant never answers medical questions (doses, diagnoses, results,
side effects). `detect(text)` returns a `MedicalSignal` when a message asks one,
so the Rasa component can route it to the kind referral even when the
classifier hesitates. Crisis beats medical: callers check `bot.safety.crisis`
first ("te veel pillen genomen" is a crisis, not a question about pills).

A message fires when it has
- a strong word that is always medical (dosis, bijwerking, bijsluiter, "500 mg"), or
- a medical question frame ("wat kan het zijn", "is het erfelijk", "wat helpt tegen"), or
- a medicine or body/complaint word together with a question, unless the question
  is about activities or people ("zijn er lotgenotengroepen voor reuma?").
"""
# ruff: noqa: E501  (pattern tables read better with one pattern per line)

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.spelling import Speller, pattern_words
from bot.safety.text import normalise


@dataclass(frozen=True)
class MedicalSignal:
    reden: str


_STRONG = re.compile(
    r"\b(?:dosis|doses|dosering|doseren|bijwerking\w*|bijsluiter|\d+ ?(?:mg|milligram|ml)\b|milligram|"
    r"voorschrift van (?:de )?(?:dokter|arts)|herhaalrecept\w*|(?:mijn |de |het )?uitslag(?:en)? van (?:de |het |mijn )?"
    r"(?:bloed\w*|onderzoek|test|scan|foto|mri|ct|echo|biopt\w*|lab\w*|uitstrijkje|urine\w*)|"
    r"bloedwaarde\w*|(?:mijn |de )?(?:bloed)?uitslag\w* (?:betekent|zegt|is)|"
    r"(?:mijn |de )?(?:bloeddruk|bloedsuiker|cholesterol|suikerwaarde|hartslag|ijzergehalte|schildklierwaarde)\w* "
    r"(?:is|was|van|staat|zit|ligt) (?:\w+ )?(?:\d+|te hoog|te laag|hoog|laag))"
)

_FRAMES = re.compile(
    r"\b(?:wat kan (?:het|dit|dat) zijn|wat (?:heb|mankeer) ik|heb ik (?:misschien |soms |dan )?(?:een |de )?"
    r"(?:ziekte|infectie|ontsteking|griep|corona|kanker|diabetes|suikerziekte|depressie|burn-?out|adhd|"
    r"hernia|migraine|allergie|astma|copd|reuma|dementie|alzheimer|long\w*|hart\w*)|"
    r"is (?:het|dit|dat|\w+) (?:erfelijk|besmettelijk|gevaarlijk|te genezen|ernstig|kwaadaardig)|"
    r"wat (?:helpt|werkt|kan ik (?:nemen|slikken|innemen|doen)) (?:goed )?(?:tegen|bij|voor) (?:\w+ )?"
    r"(?:pijn|hoofdpijn|buikpijn|rugpijn|koorts|griep|verkoudheid|hoest|migraine|jeuk|eczeem|slapeloosheid|"
    r"misselijkheid|diarree|ontsteking|infectie)|"
    r"moet ik (?:naar|langs) (?:de |het )?(?:dokter|huisarts|ziekenhuis|spoedpost|huisartsenpost|specialist)|"
    r"(?:hoe kom ik|hoe raak ik) (?:\w+ )?(?:af van|van (?:\w+ )?af) (?:mijn |de |het )?"
    r"(?:pijn|hoofdpijn|migraine|koorts|hoest|jeuk|eczeem|infectie|klachten)|"
    r"(?:welk|welke|wat voor) (?:medicijn|medicijnen|pillen|pil|tabletten|medicatie|zalf|middel|pijnstiller\w*) "
    r"(?:moet|kan|mag|zal|helpt|helpen|werkt|werken|is|zijn|raad)|"
    r"(?:mag|kan|moet) ik (?:\w+ ){0,3}?(?:combineren|samen (?:nemen|innemen|gebruiken)|"
    r"afbouwen|ophogen|verhogen|verdubbelen|minderen|halveren|overslaan|stoppen met (?:mijn |de )?"
    r"(?:medicijn\w*|medicatie|pillen|pil|tabletten|antidepressiva|insuline|bloedverdunner\w*)))"
)

_MEDICINE = re.compile(
    r"\b(?:medicijn\w*|medicatie|pillen|pil|tabletten|antibiotica|antibioticum|paracetamol|ibuprofen|"
    r"diclofenac|naproxen|aspirine|oxazepam|diazepam|temazepam|lorazepam|antidepressiva|antidepressivum|"
    r"ssri\w*|insuline|metformine|bloedverdunner\w*|statine\w*|prednison|morfine|tramadol|codeine|"
    r"slaappil\w*|slaapmiddel\w*|pijnstiller\w*|zalf|injectie\w*|spuit\w*|vaccin\w*|prik)\b"
)
_COMPLAINT = re.compile(
    r"\b(?:pijn|hoofdpijn|buikpijn|rugpijn|kiespijn|keelpijn|borstpijn|koorts|verhoging|hoest|hoesten|"
    r"duizelig\w*|misselijk\w*|benauwd\w*|kortademig\w*|hartkloppingen|bult|bultje|knobbel\w*|vlek\w*|"
    r"uitslag|jeuk|eczeem|ontsteking\w*|infectie\w*|bloeding\w*|bloed|bloeddruk|bloedsuiker|cholesterol|"
    r"symptomen|symptoom|klachten|diagnose|zwanger\w*|tintelingen|gevoelloos|gezwollen|zwelling|wond\w*|"
    r"migraine|allergie\w*|allergisch|griep|verkouden|corona|kanker|tumor|diabetes|suikerziekte|"
    r"reuma|artrose|astma|copd|hernia|hartfalen|parkinson|dementie|alzheimer|ms)\b"
)
_QUESTION = re.compile(
    r"\?|^(?:mag|moet|kan|kun|zal|is|zijn|hoe|hoeveel|wat|welke|waarom|wanneer|helpt|helpen|werkt|werken|"
    r"heb|krijg|word|ben)\b|\b(?:hoeveel|is dat (?:normaal|erg|gevaarlijk|slecht)|is het (?:normaal|erg|"
    r"gevaarlijk|slecht)|wat moet ik|wat kan ik|weet jij|kun jij|kan jij|kunt u|wat raad je|welke?|"
    r"wat denk jij|wat vind jij)\b"
)
# A question about meeting people or activities is not a medical question.
_SOCIAL = re.compile(
    r"\b(?:lotgenot\w*|groep\w*|activiteit\w*|meedoen|mee doen|ontmoet\w*|mensen|contact|vrijwillig\w*|"
    r"cursus\w*|club|vereniging|sport\w*|bewegen|beweeg\w*|wandel\w*|zwem\w*|yoga|fiets\w*|koffie|"
    r"inloop\w*|samen|praten met|eenza\w*|buurthuis|welzijnscoach|coach|activiteiten|uitje\w*|werk|"
    r"vrije tijd|hobby\w*|doen in|volhouden|vol houden|het vol|omgaan met|omgaan|leven met)\b"
)


# Typos are corrected towards the lexicon's own words, as in bot.safety.crisis.
_LEXICON_WORDS = pattern_words(
    p.pattern for p in (_STRONG, _FRAMES, _MEDICINE, _COMPLAINT, _QUESTION, _SOCIAL)
)
_SPELLER = Speller(_LEXICON_WORDS, frequency=_LEXICON_WORDS)


def detect(text: str) -> MedicalSignal | None:
    """The medical question in `text`, or None."""
    normalised = normalise(text)
    if not normalised:
        return None
    return _SPELLER.find(normalised, _detect_in)


def asks_a_question(text: str) -> bool:
    """True when the message is phrased as a question ("?", "mag ik", "wat kan ik doen")."""
    return bool(_QUESTION.search(normalise(text)))


def _detect_in(normalised: str) -> MedicalSignal | None:
    for pattern in (_STRONG, _FRAMES):
        match = pattern.search(normalised)
        if match:
            return MedicalSignal(reden=match.group(0))
    if not _QUESTION.search(normalised) or _SOCIAL.search(normalised):
        return None
    match = _MEDICINE.search(normalised) or _COMPLAINT.search(normalised)
    return MedicalSignal(reden=match.group(0)) if match else None
