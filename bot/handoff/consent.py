"""The versioned consent text for the hand-off and its fingerprint."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CONSENT_FILE = Path(__file__).resolve().parent / "consent.yml"
DEFAULT_RETENTION_DAYS = 90


@dataclass(frozen=True)
class ConsentText:
    version: str
    text: str  # exactly as shown to the resident
    button_yes: str
    button_no: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def consent_text(
    organisatie: str,
    gemeente: str,
    retention_days: int = DEFAULT_RETENTION_DAYS,
    path: Path = CONSENT_FILE,
) -> ConsentText:
    """The consent text; `retention_days` is Settings.retention_days, the same number the
    purge uses (RetentionPolicy.from_settings), so what the text promises is what is done."""
    data = _load(path)
    values = {"organisatie": organisatie, "gemeente": gemeente, "bewaartermijn": retention_days}
    text = data["uitleg"].format(**values) + "\n\n" + data["vraag"].format(**values)
    return ConsentText(
        version=str(data["versie"]),
        text=text,
        button_yes=data["knoppen"]["ja"],
        button_no=data["knoppen"]["nee"],
    )
