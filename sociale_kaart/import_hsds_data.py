"""What an HSDS import passes around: the data read, one mapped service, and the Dutch reasons.

``MappingBase`` collects the per-field reasons of one service: a problem stops the record, a
warning says what was left out (messages.yml, ``hsds_import``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sociale_kaart.crosswalk import Crosswalk
from sociale_kaart.fields import FieldError
from sociale_kaart.import_hsds_html import has_html, plain_text
from sociale_kaart.import_hsds_shape import reason
from sociale_kaart.taxonomy import Taxonomy
from sociale_kaart.texts import message

MAX_FILE_BYTES = 50 * 1024 * 1024


class HsdsReadError(Exception):
    def __init__(self, code: str, text: str | None = None, **values):
        super().__init__(code)
        self.text = text or message(f"hsds_import.{code}", **values)


@dataclass
class HsdsData:
    """Others' data, collected: services (nested as in service_full.json) and what they refer to."""

    services: dict[str, dict] = field(default_factory=dict)
    organizations: dict[str, dict] = field(default_factory=dict)
    terms: dict[str, dict] = field(default_factory=dict)
    taxonomies: dict[str, dict] = field(default_factory=dict)
    locations: dict[str, dict] = field(default_factory=dict)  # given apart, named by location_id
    catalogus: dict | None = None


@dataclass
class MappedService:
    hsds_id: str
    naam: str
    activity: dict
    organisation: dict | None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (our field, Dutch reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return not self.problems


class MappingBase:
    """One service of others' data; problems and warnings are (our field, Dutch reason)."""

    def __init__(self, service: dict, data: HsdsData, crosswalk: Crosswalk, taxonomy: Taxonomy):
        self.service, self.data, self.crosswalk, self.taxonomy = service, data, crosswalk, taxonomy
        self.problems: list[tuple[str, str]] = []
        self.warnings: list[tuple[str, str]] = []

    def problem(self, where: str, code: str, **values) -> None:
        self.problems.append((where, message(f"hsds_import.{code}", **values)))

    def warn(self, where: str, code: str, **values) -> None:
        self.warnings.append((where, message(f"hsds_import.{code}", **values)))

    def plain(self, where: str, value):
        """A description as plain text: HTML (allowed by HSDS) becomes its text, with a warning."""
        if not has_html(value):
            return value
        self.warnings.append((where, reason("html_weggehaald")))
        return plain_text(value)

    def optional(self, where: str, value, reader):
        """A value that we keep only when it passes our check (others' data: left out, with a warning)."""
        if value in (None, ""):
            return None
        try:
            return reader(value)
        except FieldError as error:
            reason = message(f"fouten.{error.code}", **error.values)
            self.warn(where, "weggelaten", waarde=value, reden=reason)
            return None
