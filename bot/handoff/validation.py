"""Checks for the details a resident types: name, Dutch phone number, e-mail, note.

Each check returns the cleaned value, or None when the input is not usable.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_NAME_CHARS = 60
MAX_NOTE_CHARS = 500
MAX_EMAIL_CHARS = 254

_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_MOBILE = re.compile(r"^06[1-9]\d{7}$")
# 0 + area code + subscriber number, 10 digits; 08x/09x are service numbers
# (0800, 0900) and 097 is for machines, none of which reach a person.
_LANDLINE = re.compile(r"^0(?:[1-57]\d|8[458]|91)\d{7}$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_MANY_DIGITS = re.compile(r"\d{5,}")


@dataclass(frozen=True)
class ContactDetail:
    route: str  # "telefoon" | "email"
    value: str  # normalised: 0612345678 / name@example.org


def normalise_phone(text: str) -> str | None:
    digits = _PHONE_SEPARATORS.sub("", text.strip())
    if digits.startswith("+31"):
        digits = "0" + digits[3:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    digits = digits.replace("0(0)", "0")
    if digits.startswith("00"):
        return None  # a foreign number: the coaches call Dutch numbers only
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    return None


def normalise_email(text: str) -> str | None:
    value = text.strip().strip("<>").strip()
    if len(value) > MAX_EMAIL_CHARS or not _EMAIL.match(value):
        return None
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def contact_detail(text: str, route: str | None = None) -> ContactDetail | None:
    """Validate a phone number or e-mail; `route` limits it to one of the two."""
    if route in (None, "email") and "@" in text:
        email = normalise_email(text)
        return ContactDetail("email", email) if email else None
    if route in (None, "telefoon"):
        phone = normalise_phone(text)
        return ContactDetail("telefoon", phone) if phone else None
    return None


def person_name(text: str) -> str | None:
    """How the resident wants to be addressed; a first name is enough."""
    value = " ".join(unicodedata.normalize("NFC", text).split())
    if not value or len(value) > MAX_NAME_CHARS:
        return None
    if "@" in value or _MANY_DIGITS.search(value) or "<" in value or ">" in value:
        return None
    if not any(ch.isalpha() for ch in value):
        return None
    return value


def note(text: str) -> str | None:
    value = unicodedata.normalize("NFC", text).strip()
    if not value or len(value) > MAX_NOTE_CHARS:
        return None
    return value
