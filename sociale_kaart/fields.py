"""Readers for single field values. Each returns the clean value, or raises FieldError(code, values)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{3,20}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_TAG = re.compile(r"<\s*[A-Za-z!/?]")
_TRUE = {"ja", "true", "waar", "1", "yes", "j", "y"}
_FALSE = {"nee", "false", "onwaar", "0", "no", "n"}


class FieldError(Exception):
    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code = code
        self.values = values


def text(value, max_length: int | None = None) -> str:
    if type(value) is str:
        result = value.strip()
    elif isinstance(value, (dict, list, bool)) or value is None:
        raise FieldError("geen_tekst")
    else:
        result = str(value).strip()
    if max_length and len(result) > max_length:
        raise FieldError("tekst_te_lang", max=max_length)
    if "<" in result and _TAG.search(result):
        # Catalogue texts are plain text; a tag could end up in a chat page.
        raise FieldError("html_niet_toegestaan")
    return result


def identifier(value) -> str:
    result = text(value)
    if not _ID.match(result):
        raise FieldError("id_ongeldig")
    return result


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and str(value).strip().lower() in _TRUE | _FALSE:
        return str(value).strip().lower() in _TRUE
    raise FieldError("geen_ja_nee")


def integer(value) -> int:
    if isinstance(value, bool):
        raise FieldError("geen_getal")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    raise FieldError("geen_getal")


def age(value) -> int:
    try:
        result = integer(value)
    except FieldError:
        raise FieldError("leeftijd_ongeldig", waarde=value) from None
    if not 0 <= result <= 120:
        raise FieldError("leeftijd_ongeldig", waarde=value)
    return result


def date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldError("datum_ongeldig", waarde=value) from None


def email(value) -> str:
    result = text(value, 200)
    if not _EMAIL.match(result):
        raise FieldError("email_ongeldig", waarde=result)
    return result


def url(value) -> str:
    result = text(value, 300)
    parts = urlsplit(result)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in result:
        raise FieldError("url_ongeldig", waarde=result)
    return result


def postcode(value) -> str:
    found = _POSTCODE.match(text(value))
    if not found:
        raise FieldError("postcode_ongeldig", waarde=value)
    return f"{found[1]} {found[2].upper()}"


def clock_time(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 10:00 as the base-60 number 600.
        return f"{value // 60:02d}:{value % 60:02d}"
    found = _TIME.match(str(value).strip()) if isinstance(value, str) else None
    if not found:
        raise FieldError("tijd_ongeldig", waarde=value)
    return f"{int(found[1]):02d}:{found[2]}"


def phone(value) -> str:
    result = text(value if not isinstance(value, int) else str(value), 40)
    digits = sum(ch.isdigit() for ch in result)
    if not _PHONE.match(result) or not 3 <= digits <= 15:
        raise FieldError("telefoon_ongeldig", waarde=result)
    return result


def amount_in_cents(value) -> int:
    if isinstance(value, bool):
        raise FieldError("bedrag_ongeldig", waarde=value)
    try:
        amount = Decimal(str(value).strip().replace(",", ".").lstrip("€").strip())
    except InvalidOperation:
        raise FieldError("bedrag_ongeldig", waarde=value) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > 100000:
        raise FieldError("bedrag_ongeldig", waarde=value)
    return int(amount * 100)


def language(value) -> str:
    result = text(value).lower()
    if not _LANGUAGE.match(result):
        raise FieldError("taal_ongeldig", waarde=value)
    return result
