"""Mask contact details in a resident's message before Rasa sees it (pure Python).

`mask(text)` replaces, in this order,

- e-mail addresses (also "naam(at)provider.nl", "naam apenstaartje provider punt nl",
  "naam at provider punt com") -> [e-mailadres]
- IBANs (NL by its structure, other countries by the mod-97 check) -> [iban]
- phone numbers: Dutch 0 + 9 digits, +31 / 0031 (with "(0)"), foreign +xx / 00xx,
  with spaces, dashes, dots and brackets -> [telefoonnummer]
- BSN-like numbers: 9 digits, alone or grouped (no elfproef: a mistyped BSN is
  still a BSN) -> [bsn]; other runs of 10 or more digits -> [nummer]
- street addresses with a house number ("Dorpsstraat 12", "Kerkweg 3a",
  "Laan van Meerdervoort 102", "ik woon op zuideinde 12") -> [adres]
- a name after a cue ("ik heet ...", "mijn naam is ...", "ik ben <Naam>",
  "groetjes, <Naam>") -> [naam]

and returns the masked text with the kinds it found. It leaves alone what is
not a contact detail: times ("om 14.30"), dates ("01-12-2026"), amounts
("€ 1200"), ages, postcodes ("1215 AB": a place hint), reference codes
("WW-ABC234"), service numbers (0800/0900, 112, 113) and street names without a
house number ("de Dorpsstraat").

It is a safety net, not a parser: what it cannot see (a name without a cue, a
number written out in words) is listed in docs/privacy.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

WORDS_FILE = Path(__file__).resolve().parent / "masking.yml"

PLACEHOLDERS = {
    "email": "[e-mailadres]",
    "iban": "[iban]",
    "telefoon": "[telefoonnummer]",
    "bsn": "[bsn]",
    "nummer": "[nummer]",
    "adres": "[adres]",
    "naam": "[naam]",
}
PLACEHOLDER_PATTERN = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: tuple[str, ...]  # e.g. ("telefoon", "naam"), in order of first appearance

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    with open(WORDS_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {key: frozenset(str(w).lower() for w in values) for key, values in data.items()}


@lru_cache(maxsize=1)
def _dutch_words() -> Collection[str]:
    from bot.nlp.spelling import dutch_words  # memory-mapped word list; loaded only when a name cue appears

    return dutch_words()


# --- e-mail -------------------------------------------------------------------
_AT = r"(?:\s?@\s?|\s?\((?:at|apenstaartje)\)\s?|\s?\[(?:at|apenstaartje)\]\s?|\s+(?:apenstaartje|at)\s+)"
_DOT = r"(?:\s?\.|\s?\((?:punt|dot)\)\s?|\s+(?:punt|dot)\s+)"
_EMAIL = re.compile(
    rf"(?<![\w!#$%&'*+/=?^`{{|}}~.-])[\w!#$%&'*+/=?^`{{|}}~-]+(?:\.[\w!#$%&'*+/=?^`{{|}}~-]+)*{_AT}"
    rf"[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}\b",
    re.IGNORECASE,
)

# --- IBAN ---------------------------------------------------------------------
_IBAN_NL = re.compile(r"(?<![\w])NL\s?\d{2}(?:\s?[A-Z]){4}(?:\s?\d){10}(?!\d)", re.IGNORECASE)
_IBAN_START = re.compile(r"(?<![\w])[A-Z]{2}\s?\d{2}(?=\s?[A-Z0-9])", re.IGNORECASE)
_IBAN_TAIL = re.compile(r"(?:\s?[A-Z0-9]){11,30}", re.IGNORECASE)


def _iban_ok(compact: str) -> bool:
    value = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in value.upper())
    return int(digits) % 97 == 1


def _mask_foreign_ibans(text: str, found: list[str]) -> str:
    out, position = [], 0
    for start in _IBAN_START.finditer(text):
        if start.start() < position:
            continue
        tail = _IBAN_TAIL.match(text, start.end())
        if not tail:
            continue
        candidate = text[start.start() : tail.end()]
        # The longest piece that ends at a word boundary and passes the mod-97 check.
        for end in range(len(candidate), 14, -1):
            if candidate[end - 1] == " " or (end < len(candidate) and candidate[end] != " "):
                continue
            compact = re.sub(r"\s", "", candidate[:end])
            if 15 <= len(compact) <= 34 and _iban_ok(compact):
                out.append(text[position : start.start()])
                out.append(PLACEHOLDERS["iban"])
                found.append("iban")
                position = start.start() + end
                break
    out.append(text[position:])
    return "".join(out)


# --- phone numbers and other digit runs -----------------------------------------
_SEP = r"[ \t\-–—./]{0,3}\)?[ \t\-–—./]{0,3}"
_PHONE_NL = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)\s?31\s?(?:\(0\)\s?)?[ \t\-–.]?|\(?0)(?:{_SEP}\d){{9}}(?![\d])"
)
_PHONE_FOREIGN = re.compile(
    rf"(?<![\w+])(?:\+|00)\s?(?!31)[1-9]\d{{0,2}}\s?(?:\(0\)\s?)?(?:{_SEP}\d){{6,12}}(?![\d])"
)
# A date starts the candidate and ends its chain of digit groups ("06-12-2026 14.30").
_DATE = re.compile(r"^\(?\d{1,2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?(?:\d{4}|\d{2})(?![-/.]?\d)")
_SERVICE = re.compile(r"^\(?0(?:800|900|906|909)")
_NINE_DIGITS = re.compile(r"(?<![\w.,\-])(?:\d[ .\-]?){8}\d(?![\w]|[.,]\d)")
_LONG_DIGITS = re.compile(r"(?<![\w])\d{10,}(?![\w])")


def _mask_pattern(pattern: re.Pattern, kind: str, text: str, found: list[str], keep=None) -> str:
    def replace(match: re.Match) -> str:
        if keep is not None and keep(match.group(0)):
            return match.group(0)
        found.append(kind)
        return PLACEHOLDERS[kind]

    return pattern.sub(replace, text)


def _not_a_phone(candidate: str) -> bool:
    return bool(_DATE.match(candidate) or _SERVICE.match(candidate))


def _date_like(candidate: str) -> bool:
    return bool(_DATE.match(candidate))


# --- addresses ----------------------------------------------------------------
_HOUSE_NUMBER = (
    r"\d{1,5}(?:\s?-?\s?[a-zA-Z](?![\w']))?(?:\s?[-/]\s?\d{1,4}[a-zA-Z]?(?![\w]))?"
    r"(?:\s(?:hs|bis|huis|rd|zw|bg|boven|I{1,3})(?![\w]))?"
)
_TOKEN = r"[^\W\d_][\w'’\-]*"
_ORDINAL = r"\d{1,2}e"
_STREET = re.compile(
    rf"(?<![\w\-])(?P<street>(?:{_TOKEN}|{_ORDINAL})(?:[ \t]+(?:{_TOKEN}|'t|'s|{_ORDINAL})){{0,5}})"
    rf"[ \t]*,?[ \t]+(?:(?:nr|no|nummer|huisnummer)\.?[ \t]*)?(?P<number>{_HOUSE_NUMBER})"
    rf"(?P<after>[ \t]*[^\W\d_]*)"
)
_ADDRESS_CUE = re.compile(
    r"\b(?:woon|woont|wonen|woonachtig|verblijf|zit)\s+(?:nu\s+|zelf\s+)?(?:op|aan)\s+"
    r"|\b(?:woon|post|huis|thuis)?adres\s*(?:is|:)\s*(?:de\s+|het\s+)?",
    re.IGNORECASE,
)
_WORD_SPLIT = re.compile(r"[ \t]+")
_NUMBER_WORDS = frozenset({"nr", "no", "nummer", "huisnummer"})


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def _street_word(token: str, capitalised_only: bool) -> bool:
    words = _words()
    lower = token.lower().strip("'’-")
    if capitalised_only or _is_capitalised(token):
        return any(lower.endswith(s) for s in words["straat_achtervoegsels"])
    # lowercase: a compound with a strong ending ("kerkstraat"), not the bare word ("weg")
    return any(lower.endswith(s) and len(lower) > len(s) + 1 for s in words["sterke_achtervoegsels"])


def _unit_follows(after: str) -> bool:
    return after.strip().lower() in _words()["eenheden"]


def _mask_addresses(text: str, found: list[str]) -> str:
    words = _words()
    tussen = words["tussenvoegsels"]
    out, position = [], 0
    for match in _STREET.finditer(text):
        if match.start() < position or _unit_follows(match.group("after")):
            continue
        tokens = _WORD_SPLIT.split(match.group("street"))
        offsets, cursor = [], match.start("street")
        for token in tokens:
            cursor = text.index(token, cursor)
            offsets.append(cursor)
            cursor += len(token)
        while len(tokens) > 1 and tokens[-1].lower().rstrip(".") in _NUMBER_WORDS:
            tokens, offsets = tokens[:-1], offsets[:-1]  # "Dorpsstraat nr 12"
        start_index = _address_start(text, tokens, offsets, tussen)
        if start_index is None:
            continue
        out.append(text[position : offsets[start_index]])
        out.append(PLACEHOLDERS["adres"])
        found.append("adres")
        position = match.end("number")
    out.append(text[position:])
    return "".join(out)


def _address_start(text: str, tokens: list[str], offsets: list[int], tussen: frozenset[str]) -> int | None:
    """Index of the token where the street name begins, or None when this is no address."""
    last = len(tokens) - 1
    # After "ik woon op" / "mijn adres is": the words up to the number are the street.
    for index in range(len(tokens)):
        before = text[: offsets[index]]
        cue = _ADDRESS_CUE.search(before)
        if cue and cue.end() == len(before) and not _unit_follows(tokens[index]):
            return index
    # Otherwise the street is a run of capitalised words and tussenvoegsels with a
    # street ending ("Laan van Meerdervoort", "Burgemeester de Withstraat"), or
    # one lowercase compound ("kerkstraat").
    if not _street_word(tokens[last], capitalised_only=False) and not any(
        _is_capitalised(t) and _street_word(t, True) for t in tokens
    ):
        return None
    if not _is_capitalised(tokens[last]):
        return last if _street_word(tokens[last], capitalised_only=False) else None
    index = last
    while index > 0:
        previous = tokens[index - 1]
        if _is_capitalised(previous) or re.fullmatch(_ORDINAL, previous):
            index -= 1
        elif previous.lower() in tussen and index - 1 > 0 and _is_capitalised(tokens[index - 2]):
            index -= 2
        else:
            break
    # Leading function words ("Bij de Kerkstraat", "Ik woon ...") are not part of the street.
    while index < last and tokens[index].lower() in _words_not_street():
        index += 1
    if not any(_is_capitalised(t) and _street_word(t, True) for t in tokens[index:]):
        return None
    return index


@lru_cache(maxsize=1)
def _words_not_street() -> frozenset[str]:
    return _words()["geen_naam"] | _words()["tussenvoegsels"] | {"bij", "naar", "vanaf", "via", "richting"}


# --- names ----------------------------------------------------------------------
_NAME_STRONG_CUE = re.compile(
    r"\b(?:ik\s+heet|mijn\s+naam\s+is|m'n\s+naam\s+is|mijn\s+naam\s*:|naam\s*:|ze\s+noemen\s+me|"
    r"noem\s+me\s+maar|noem\s+me|je\s+mag\s+me|u\s+mag\s+me|wij\s+heten|ik\s+ben\s+genaamd)\s+",
    re.IGNORECASE,
)
_NAME_WEAK_CUE = re.compile(r"\b(?:ik\s+ben|ikben)\s+", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"\b(?:groet(?:jes|en)?|gr|mvg|vriendelijke\s+groet(?:en)?|liefs|doei)[\s,.!]+(?=[A-ZÀ-Ý])",
    re.IGNORECASE,
)
_NAME_FILLERS = frozenset({"eigenlijk", "trouwens", "gewoon", "officieel", "voluit", "dus", "zelf", "echt"})
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’\-.]*", re.UNICODE)


def _name_span(text: str, start: int, strong: bool) -> int | None:
    """End of the name that begins at `start`, or None when there is none."""
    words = _words()
    tussen, stop = words["tussenvoegsels"], words["geen_naam"]
    position, end, count = start, None, 0
    expect_surname = False
    while count < 6:
        gap = re.match(r"[ \t]*", text[position:])
        token_match = _NAME_TOKEN.match(text, position + gap.end())
        if not token_match or (count and gap.end() == 0):
            break
        token = token_match.group(0).rstrip(".")
        lower = token.lower()
        if expect_surname:
            end, expect_surname = token_match.start() + len(token), False
        elif count == 0 and strong and lower in _NAME_FILLERS:
            pass  # "ik heet eigenlijk Fatima": the name comes after the filler
        elif count == 0:
            if lower in tussen and strong:
                expect_surname = True
                position = token_match.start() + len(token)
                count += 1
                continue
            if lower in stop or lower in tussen:
                return None
            if not strong and not _looks_like_name(token, text, token_match.end()):
                return None
            end = token_match.start() + len(token)
        elif lower in tussen:
            expect_surname = True
        elif _is_capitalised(token) and lower not in stop:
            end = token_match.start() + len(token)
        elif strong and lower not in stop and lower not in _dutch_words():
            end = token_match.start() + len(token)
        else:
            break
        position = token_match.start() + len(token)
        count += 1
    return end


def _looks_like_name(token: str, text: str, after: int) -> bool:
    """A capitalised word after "ik ben": a name unless it is an ordinary Dutch word."""
    if not _is_capitalised(token) or token.isupper() and len(token) > 1 and len(token) < 4:
        return False
    lower = token.lower()
    if lower in _words()["voornamen_die_woorden_zijn"] or lower not in _dutch_words():
        return True
    # "Ik ben Bakker" is unclear; "ik ben Roos de Vries" is a name.
    following = _NAME_TOKEN.match(text, after + len(re.match(r"[ \t]*", text[after:]).group(0)))
    if following:
        nxt = following.group(0)
        if nxt.lower() in _words()["tussenvoegsels"]:
            return True
        return _is_capitalised(nxt) and nxt.lower() not in _dutch_words()
    return False


def _mask_names(text: str, found: list[str]) -> str:
    spans = []
    for pattern, strong in ((_NAME_STRONG_CUE, True), (_NAME_WEAK_CUE, False), (_SIGNATURE, False)):
        for cue in pattern.finditer(text):
            end = _name_span(text, cue.end(), strong)
            if end is not None:
                spans.append((cue.end(), end))
    if not spans:
        return text
    out, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        out.append(text[position:start])
        out.append(PLACEHOLDERS["naam"])
        found.append("naam")
        position = end
    out.append(text[position:])
    return "".join(out)


# --- all together ---------------------------------------------------------------
def mask(text: str) -> Masked:
    """`text` with every contact detail replaced by its placeholder."""
    found: list[str] = []
    masked = text
    lower = text.lower()
    if "@" in text or "(at)" in lower or "[at]" in lower or "apenstaartje" in lower or " at " in lower:
        masked = _mask_pattern(_EMAIL, "email", masked, found)
    if any(ch.isdigit() for ch in masked):  # every other number-bearing detail needs a digit
        masked = _mask_pattern(_IBAN_NL, "iban", masked, found)
        masked = _mask_foreign_ibans(masked, found)
        masked = _mask_pattern(_PHONE_NL, "telefoon", masked, found, keep=_not_a_phone)
        masked = _mask_pattern(_PHONE_FOREIGN, "telefoon", masked, found, keep=_date_like)
        masked = _mask_pattern(_NINE_DIGITS, "bsn", masked, found, keep=_date_like)
        masked = _mask_pattern(_LONG_DIGITS, "nummer", masked, found)
        masked = _mask_addresses(masked, found)
    masked = _mask_names(masked, found)
    kinds = tuple(dict.fromkeys(found))
    return Masked(masked, kinds)
