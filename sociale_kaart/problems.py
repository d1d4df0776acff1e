"""A problem found in a catalogue file, with where it is, in Dutch."""

from __future__ import annotations

from dataclasses import dataclass

from sociale_kaart.texts import message


class LineDict(dict):
    """A mapping from a catalogue file that remembers the line (YAML) or row (CSV) of each key."""

    line: int | None = None
    lines: dict

    def __init__(self, *args, line: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.lines = {}
        self.duplicates = []  # (key, first line, repeated line)


class LineList(list):
    line: int | None = None
    lines: dict

    def __init__(self, *args, line: int | None = None):
        super().__init__(*args)
        self.line = line
        self.lines = {}


def line_of(container, key=None) -> int | None:
    if isinstance(container, (LineDict, LineList)):
        if key is not None and key in container.lines:
            return container.lines[key]
        return container.line
    return None


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    text: str
    code: str
    line_kind: str = "regel"  # "regel" for YAML, "rij" for CSV

    def __str__(self) -> str:
        if self.line is None:
            where = message("plaats.zonder", bestand=self.file)
        else:
            where = message(f"plaats.{self.line_kind}", bestand=self.file, regel=self.line)
        if self.field:
            return message("probleem", plaats=where, veld=self.field, melding=self.text)
        return message("probleem_zonder_veld", plaats=where, melding=self.text)


def with_suggestions(text: str, options: list[str]) -> str:
    if not options:
        return text
    return text + message("suggestie", suggestie=message("of").join(options))
