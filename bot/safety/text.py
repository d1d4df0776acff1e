"""Text normalisation shared by the safety lexicons.

Residents type fast and on phones: capitals, accents, stretched letters
("doooood"), split compounds ("me zelf") and "m'n". The lexicons match on the
normalised text so that their patterns can stay readable.
"""

from __future__ import annotations

import re
import unicodedata

_STRETCHED = re.compile(r"([a-z])\1{2,}")
_NOT_WORD = re.compile(r"[^a-z0-9?!.,;:' ]+")
_SPACES = re.compile(r"\s+")

# "k" for "ik" before a verb ("k wil dood", "k sneed me").
_K_VERBS = (
    "wil|ben|heb|kan|ga|denk|voel|zie|weet|snap|hoef|word|moet|had|was|zou|hoop|wou|zit|sta|lig|doe|"
    "snij|kras|sla|brand|geef|mis|haat|hou|zeg|durf|wens|spaar|krijg|mag|wist|dacht|deed|sneed|kraste|sloeg"
)

# Spelling variants that are folded into one form before matching.
_FOLDS = (
    (re.compile(r"\bm(?: ?['’`] ?)?n\b"), "mijn"),
    (re.compile(r"\bz(?: ?['’`] ?)?n\b"), "zijn"),
    (re.compile(rf"\bk\b(?= (?:{_K_VERBS}))"), "ik"),
    # WhatsApp and dialect spellings ("gwn", "ff", "nie meer", "egt", "der een eind aan")
    (re.compile(r"\b(?:gwn|gwoon)\b"), "gewoon"),  # not "gewn": a slip of "geen"
    (re.compile(r"\bff\b"), "even"),
    (re.compile(r"\b(?:egt|echt|eggt|ech)\b"), "echt"),
    (re.compile(r"\bnie\b"), "niet"),
    (re.compile(r"\bnimeer\b|\bniemeer\b|\bnietmeer\b"), "niet meer"),
    (re.compile(r"\bder\b(?= (?:een|niet|nie|geen|nooit|uit|mee|aan|klaar)\b)"), "er"),
    (re.compile(r"\b(?:mzelf|mezelve|mezelluf|mezlf|mijzelve|meself)\b"), "mezelf"),
    (re.compile(r"(?<=\bik )will\b"), "wil"),
    (re.compile(r"(?<=\bmeer )leve\b|\bleve(?=\s*(?:[.!,;?]|$))"), "leven"),  # dialect "ik wil nie meer leve"
    (re.compile(r"\bme zelf\b"), "mezelf"),
    (re.compile(r"\bmij zelf\b"), "mijzelf"),
    (re.compile(r"\bzich zelf\b"), "zichzelf"),
    (re.compile(r"\bzelf (moord|doding|beschadiging)"), r"zelf\1"),
    (re.compile(r"\baan (doen|doet|deed)\b"), r"aan\1"),
    (re.compile(r"\beinde\b"), "eind"),
    (re.compile(r"\b(open|kapot) (gehaald|gesneden|gekrast|halen|snijden|krassen|gekrabd)\b"), r"\1\2"),
    (re.compile(r"\bmyself\b"), "myself"),
)


def normalise(text: str, collapse_stretched: bool = True) -> str:
    """Lowercase, strip accents and odd symbols, collapse repeated letters and spaces.

    `collapse_stretched=False` keeps letters typed three times or more: a keyboard slip
    next to a doubled letter ("meee" for "meer", "heeet" for "heeft") is lost by collapsing.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = plain.replace("’", "'").replace("`", "'")
    plain = _NOT_WORD.sub(" ", plain)
    if collapse_stretched:
        plain = _STRETCHED.sub(r"\1\1", plain)
    plain = _SPACES.sub(" ", plain).strip()
    for pattern, replacement in _FOLDS:
        plain = pattern.sub(replacement, plain)
    return plain


def words(normalised: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", normalised)
