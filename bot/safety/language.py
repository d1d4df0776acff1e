"""Is a message readable Dutch? Small deterministic checks, no language models.

- `is_unreadable(text)`: no letters at all (emoji, punctuation, only digits).
- `other_language(text)`: the language code ("en", "de", "fr", "es", "tr", "pl",
  "ar", "other") when the message is clearly not Dutch, else None. It counts
  common function words of each language; words that are also Dutch ("in",
  "is", "de", "en", "me", "die") are left out so a Dutch sentence never tips.
  A message in a non-Latin script (Arabic, Cyrillic, ...) is "other" too.
- `looks_like_code(text)`: HTML/script or SQL-looking input, which gets the
  fallback reply instead of a guess.
"""
# ruff: noqa: E501  (pattern tables read better with one pattern per line)

from __future__ import annotations

import re
import unicodedata

from bot.safety.text import normalise, words

_DUTCH = set(
    """ik je jij u het een van mijn niet met voor wil wilt heb hebt heeft ben bent zijn was er maar ook
    dat wat hoe waar wie waarom kan kun mag moet zou graag geen nog al heel erg veel weinig hier daar
    mij jou jullie ons onze hun zich zelf wel niks niets iets iemand niemand alles altijd nooit vaak soms
    ja nee hallo hoi dag doei bedankt dank alsjeblieft alstublieft goed slecht zorg zorgen hulp help hulpje
    als omdat want dus toen nu straks morgen vandaag gisteren bij naar uit over tegen zonder door om te
    op aan af dan dit deze dat hem haar zij ze wij we mee samen thuis werk geld tijd mensen vrienden""".split()
)

_FOREIGN = {
    "en": set(
        """the and you your i i'm im my am are was were have has had do does did don't dont can't cant
        can could would should will what how why who where when which this that these those with from
        for not no yes please help need want feel about speak english talk hello thanks thank just
        only very really because there their they them he she it's its our we're lonely money friends
        people someone anyone something anything nothing looking find work home life""".split()
    ),
    "de": set(
        """ich du sie wir ihr mein meine nicht und ist bin bist sind habe hast hat haben kann konnen
        mochte will wollen das der die dem den ein eine einen einem nicht auch aber oder mit fur
        sprechen spreche kein keine niederlandisch englisch deutsch hilfe bitte danke gut schlecht sehr mich mir dich dir warum wie wo""".split()
    ),
    "fr": set(
        """je suis tu es il elle nous vous ils elles le la les un une des du et est sont pas ne mon ma mes
        ton ta avec pour dans sur que qui quoi comment pourquoi parle parlez francais bonjour merci
        aide besoin j'ai seul seule tres parle parles""".split()
    ),
    "es": set(
        """yo tu el ella nosotros usted es soy estoy eres esta estan los las una uno y pero porque
        que como donde hablo hablas espanol hola gracias ayuda necesito muy mi mis tengo quiero""".split()
    ),
    "tr": set(
        """ben sen biz siz onlar bir ve ama cok yok var ne nasil neden nerede benim senin merhaba
        tesekkurler yardim lutfen turkce konusuyorum istiyorum degil evet hayir""".split()
    ),
    "pl": set(
        """ja ty on ona my wy nie jest sa mam masz chce prosze dziekuje czesc pomoc bardzo mowie
        polsku jestem tak dlaczego gdzie jak""".split()
    ),
}
# Words the other languages share with Dutch: never evidence against Dutch.
for _vocab in _FOREIGN.values():
    _vocab -= _DUTCH | {"in", "is", "de", "en", "me", "die", "was", "hij", "of", "man", "had", "so"}

_CODE = re.compile(
    r"<\s*/?\s*(?:script|iframe|img|svg|a|div|span|style|body|html|b|i|p|object|embed|form|input)\b[^>]*>|"
    r"javascript:|on(?:error|load|click)\s*=|"
    r"\b(?:select|insert|update|delete|drop|union|alter|create)\b[\s\S]{0,60}?\b(?:from|into|table|set|where|"
    r"select|database)\b|--\s*$|;\s*--|'\s*or\s+'?1'?\s*=\s*'?1|\bor\s+1\s*=\s*1\b",
    re.IGNORECASE,
)


def _letters(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch).startswith("L")]


def is_unreadable(text: str) -> bool:
    """True when there is nothing to read: no letters (emoji, punctuation, digits only)."""
    return not _letters(text or "")


def _script_is_latin(letters: list[str]) -> bool:
    latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
    return latin >= 0.5 * len(letters)


def other_language(text: str) -> str | None:
    """The language of a message that is clearly not Dutch, or None."""
    letters = _letters(text or "")
    if not letters:
        return None
    if not _script_is_latin(letters):
        return "ar" if any("ARABIC" in unicodedata.name(ch, "") for ch in letters) else "other"
    tokens = words(normalise(text))
    if not tokens:
        return None
    dutch = sum(1 for t in tokens if t in _DUTCH)
    best, best_count = None, 0
    for language, vocab in _FOREIGN.items():
        count = sum(1 for t in tokens if t in vocab)
        if count > best_count:
            best, best_count = language, count
    if best is None:
        return None
    # One foreign word ("help", "sorry") in a Dutch message is not another language.
    if len(tokens) == 1:
        return (
            best
            if tokens[0] in {"hello", "english", "please", "bonjour", "hola", "merhaba", "danke"}
            else None
        )
    if best_count >= 2 and best_count > dutch and best_count >= 0.34 * len(tokens):
        return best
    return None


def looks_like_code(text: str) -> bool:
    """True for HTML/script or SQL-looking input."""
    return bool(_CODE.search(text or ""))
