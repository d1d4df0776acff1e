"""Signals from the field: "Klopt dit niet?" on an activity, from a resident or a coach.

A signal is a reason code (sociale_kaart/meldingen.yml), the source (web, telegram,
coach) and the day. Nothing points to a resident: no sender id, no time of day, no
free text. A coach may add a short note, which the caller masks (bot.privacy.masking)
before it reaches this module; residents never send text here. Editors see the open
signals per activity in /redactie and close them as opgelost or afgewezen.

No Rasa or bot import: the web app, the Telegram bridge and the inbox call it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from sociale_kaart import models

SIGNAL = models.ActivitySignal.__table__
_A = models.Activity.__table__
SOURCES = ("web", "telegram", "coach")
HANDLED = ("opgelost", "afgewezen")
NOTE_MAX = 300
TEXTS_FILE = Path(__file__).resolve().parent / "meldingen.yml"


class SignalError(ValueError):
    """A signal that cannot be stored: unknown activity, reason or source (code in .reason)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=1)
def texts() -> dict:
    with open(TEXTS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def reasons() -> dict[str, dict[str, str]]:
    """Reason code -> {"knop": ..., "redactie": ...}, in file order."""
    return texts()["redenen"]


def activity_exists(connection: Connection, activity_id: str) -> bool:
    if not isinstance(activity_id, str) or not 0 < len(activity_id) <= 120:
        return False
    return connection.execute(select(_A.c.id).where(_A.c.id == activity_id)).first() is not None


def report(
    engine: Engine,
    activity_id: str,
    reason: str,
    source: str,
    reporter: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Store one signal and return its id. `note` (coaches only) must be masked already."""
    if reason not in reasons():
        raise SignalError("onbekende_reden")
    if source not in SOURCES:
        raise SignalError("onbekende_bron")
    if source != "coach" and (reporter or note):
        raise SignalError("geen_tekst_van_inwoners")  # residents never leave text or a name
    note = " ".join((note or "").split())[:NOTE_MAX] or None
    with engine.begin() as connection:
        if not activity_exists(connection, activity_id):
            raise SignalError("onbekende_activiteit")
        result = connection.execute(
            SIGNAL.insert().values(
                activity_id=activity_id,
                reden=reason,
                bron=source,
                gemeld_op=today or dt.date.today(),
                melder=(reporter or None) and reporter[:80],
                notitie=note,
                status="open",
            )
        )
        return int(result.inserted_primary_key[0])


@dataclass
class ActivitySignals:
    """The signals of one activity, for the editors' queue."""

    activity_id: str
    naam: str | None
    organisatie: str | None
    signalen: list[dict]

    @property
    def open(self) -> list[dict]:
        return [s for s in self.signalen if s["status"] == "open"]

    @property
    def per_reden(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for signal in self.open:
            counts[signal["reden"]] = counts.get(signal["reden"], 0) + 1
        return counts


def queue(connection: Connection, status: str = "open", limit: int = 500) -> list[ActivitySignals]:
    """Signals with this status grouped per activity, the activity with the most first."""
    rows = (
        connection.execute(
            select(SIGNAL, _A.c.naam, _A.c.organisation_id)
            .join_from(SIGNAL, _A, _A.c.id == SIGNAL.c.activity_id, isouter=True)
            .where(SIGNAL.c.status == status)
            .order_by(SIGNAL.c.id.desc())
            .limit(limit)
        )
        .mappings()
        .all()
    )
    grouped: dict[str, ActivitySignals] = {}
    for row in rows:
        group = grouped.setdefault(
            row["activity_id"], ActivitySignals(row["activity_id"], row["naam"], row["organisation_id"], [])
        )
        group.signalen.append(dict(row))
    return sorted(grouped.values(), key=lambda g: (-len(g.signalen), g.naam or g.activity_id))


def of_activity(connection: Connection, activity_id: str) -> list[dict]:
    rows = (
        connection.execute(
            select(SIGNAL).where(SIGNAL.c.activity_id == activity_id).order_by(SIGNAL.c.id.desc())
        )
        .mappings()
        .all()
    )
    return [dict(row) for row in rows]


def open_counts(connection: Connection) -> dict[str, int]:
    """Activity id -> number of open signals."""
    query = (
        select(SIGNAL.c.activity_id, func.count())
        .where(SIGNAL.c.status == "open")
        .group_by(SIGNAL.c.activity_id)
    )
    return {key: int(count) for key, count in connection.execute(query)}


def handle(engine: Engine, activity_id: str, outcome: str, by: str, signal_id: int | None = None) -> int:
    """Close the open signals of an activity (or one of them) as opgelost/afgewezen; how many."""
    if outcome not in HANDLED:
        raise SignalError("onbekende_afhandeling")
    condition = (SIGNAL.c.activity_id == activity_id) & (SIGNAL.c.status == "open")
    if signal_id is not None:
        condition = condition & (SIGNAL.c.id == signal_id)
    with engine.begin() as connection:
        result = connection.execute(
            update(SIGNAL)
            .where(condition)
            .values(status=outcome, afgehandeld_door=by[:80], afgehandeld_op=dt.datetime.utcnow())
        )
        return int(result.rowcount or 0)
