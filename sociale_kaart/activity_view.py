"""A plain, detached view of an activity with its card lines in Dutch (from reasons.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import yaml
from sqlalchemy import String, bindparam, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from sociale_kaart import models

REASONS_FILE = Path(__file__).resolve().parent / "reasons.yml"

_A = models.Activity.__table__
_ORG = models.Organisation.__table__


class _comma_joined(FunctionElement):
    """Aggregate: the values joined with commas (group_concat on SQLite, string_agg on PostgreSQL)."""

    type = String()
    inherit_cache = True
    name = "comma_joined"


@compiles(_comma_joined)
def _comma_joined_default(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)})"


@compiles(_comma_joined, "postgresql")
def _comma_joined_postgresql(element, compiler, **kw):
    return f"string_agg({compiler.process(element.clauses, **kw)}, ',')"


def _codes(table, column):
    """Comma-separated codes of one link table, as a column of the activity query."""
    return select(_comma_joined(column)).where(table.c.activity_id == _A.c.id).scalar_subquery()


_ACTIVITY_QUERY = (
    select(
        _A,
        _ORG.c.naam.label("organisation_naam"),
        _codes(models.ActivityCategory.__table__, models.ActivityCategory.__table__.c.category_code).label(
            "_categories"
        ),
        _codes(models.ActivityTheme.__table__, models.ActivityTheme.__table__.c.theme_code).label("_themes"),
        _codes(models.ActivityGroup.__table__, models.ActivityGroup.__table__.c.groep).label("_groups"),
    )
    .join_from(_A, _ORG, _ORG.c.id == _A.c.organisation_id, isouter=True)
    .where(_A.c.id.in_(bindparam("ids", expanding=True)))
)
_CHILD_QUERIES = tuple(
    (
        select(table)
        .where(table.c.activity_id.in_(bindparam("ids", expanding=True)))
        .order_by(table.c.activity_id, table.c.position),
        attribute,
    )
    for table, attribute in (
        (models.Location.__table__, "locations"),
        (models.ScheduleRule.__table__, "schedule_rules"),
    )
)


@lru_cache(maxsize=1)
def fragments() -> dict:
    """The Dutch fragments of reasons.yml."""
    with open(REASONS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class ActivityView:
    id: str
    name: str
    description: str
    organisation_name: str
    place_line: str
    schedule_line: str
    cost_line: str
    join_line: str
    contact_line: str
    # Card fields (channels render them; see card()): the short line, where, access, link.
    summary: str
    card_contact: str
    address: str
    woonplaats: str
    accessibility: str
    website: str
    is_online: bool
    is_region: bool
    regio: str | None
    is_free: bool
    categories: tuple[str, ...]
    themes: tuple[str, ...]
    groups: tuple[str, ...]
    first_time_support: bool


def load_views(session: Session, activity_ids: list[str]) -> dict[str, ActivityView]:
    """Views of the given activities, keyed by id; ids that do not exist are left out.

    Three prebuilt Core queries instead of ORM loading: this runs on every match
    and must stay in the low milliseconds.
    """
    if not activity_ids:
        return {}
    activities = {}
    for row in session.execute(_ACTIVITY_QUERY, {"ids": list(activity_ids)}).mappings():
        values = dict(row)
        activities[row["id"]] = SimpleNamespace(
            **{k: v for k, v in values.items() if not k.startswith("_")},
            locations=[],
            schedule_rules=[],
            categories=[SimpleNamespace(category_code=c) for c in _split(values["_categories"])],
            themes=[SimpleNamespace(theme_code=c) for c in _split(values["_themes"])],
            groups=[SimpleNamespace(groep=c) for c in _split(values["_groups"])],
        )
    for statement, attribute in _CHILD_QUERIES:
        for child in session.execute(statement, {"ids": list(activities)}).mappings():
            getattr(activities[child["activity_id"]], attribute).append(SimpleNamespace(**child))
    return {key: to_view(activity) for key, activity in activities.items()}


def _split(codes: str | None) -> list[str]:
    return sorted(codes.split(",")) if codes else []


def to_view(activity) -> ActivityView:
    """A view of an ORM Activity or of an object with the same attributes."""
    return ActivityView(
        id=activity.id,
        name=activity.naam,
        description=activity.beschrijving,
        organisation_name=_organisation_name(activity),
        place_line=place_line(activity),
        schedule_line=schedule_line(activity),
        cost_line=cost_line(activity),
        join_line=join_line(activity),
        contact_line=contact_line(activity),
        summary=summary_line(activity.beschrijving),
        card_contact=contact_line(activity, with_website=not _link(activity)),
        address=_address(activity),
        woonplaats=_woonplaats(activity),
        accessibility=(getattr(activity, "toegankelijkheid", None) or "").strip(),
        website=_link(activity),
        is_online=activity.scope == "online",
        is_region=activity.scope == "regio",
        regio=activity.regio,
        is_free=bool(activity.kosten_gratis),
        categories=tuple(c.category_code for c in activity.categories),
        themes=tuple(t.theme_code for t in activity.themes),
        groups=tuple(g.groep for g in activity.groups),
        first_time_support=bool(activity.eerste_keer_begeleiding),
    )


def _organisation_name(activity) -> str:
    if hasattr(activity, "organisation_naam"):
        return activity.organisation_naam or ""
    return activity.organisation.naam if activity.organisation else ""


_SENTENCE_END = (". ", "! ", "? ")


def summary_line(description: str | None) -> str:
    """What it is, in one line: the first sentence of the description."""
    text = " ".join((description or "").split())
    cuts = [text.find(end) for end in _SENTENCE_END if text.find(end) > 0]
    return text[: min(cuts) + 1] if cuts else text


def _address(activity) -> str:
    """Where on the map: the first location's name and street (the place is in woonplaats)."""
    if activity.scope == "online" or not activity.locations:
        return place_line(activity)
    location = activity.locations[0]
    parts = [location.naam, location.straat]
    return ", ".join(part for part in parts if part) or place_line(activity)


def _link(activity) -> str:
    """The activity's own web page, only as a real http(s) address."""
    website = (activity.contact_website or "").strip()
    return website if website.startswith(("https://", "http://")) else ""


def _woonplaats(activity) -> str:
    if activity.scope == "online" or not activity.locations:
        return ""
    return activity.locations[0].woonplaats or ""


def card(view: ActivityView) -> dict[str, str]:
    """The activity as a card: the same fields on every channel. Empty fields are left out;
    `link` is there only when the activity has a website."""
    fields = {
        "id": view.id,
        "naam": view.name,
        "beschrijving": view.summary,
        "waar": view.address,
        "woonplaats": view.woonplaats,
        "toegankelijkheid": view.accessibility,
        "wanneer": view.schedule_line,
        "kosten": view.cost_line,
        "meedoen": view.join_line,
        "contact": view.card_contact,
        "link": view.website,
    }
    return {key: value for key, value in fields.items() if value}


def place_line(activity) -> str:
    lines = fragments()["regels"]
    if activity.scope == "online":
        return lines["plaats_online"]
    if activity.locations:
        location = activity.locations[0]
        parts = [location.naam, location.straat, location.woonplaats]
        return ", ".join(part for part in parts if part)
    if activity.scope == "regio" and activity.regio:
        return lines["plaats_regio"].format(regio=activity.regio)
    return lines["plaats_onbekend"]


def schedule_line(activity) -> str:
    lines = fragments()["regels"]
    if activity.rooster_omschrijving:
        return activity.rooster_omschrijving
    if not activity.schedule_rules:
        return lines["rooster_onbekend"]
    parts = []
    for rule in activity.schedule_rules:
        day = lines["dagen"].get(rule.dag, rule.dag)
        if rule.freq == "maandelijks" and rule.week is not None:
            week = lines["weken"].get(str(rule.week), str(rule.week))
            text = lines["rooster_maandelijks"].format(week=week, dag=day)
        else:
            text = lines["rooster_wekelijks"].format(dag=day)
        if rule.van and rule.tot:
            text += " " + lines["rooster_tijd"].format(van=rule.van, tot=rule.tot)
        elif rule.van:
            text += " " + lines["rooster_vanaf"].format(van=rule.van)
        parts.append(text)
    line = lines["rooster_scheiding"].join(parts)
    return line[:1].upper() + line[1:]


def _euro(cents: int) -> str:
    amount = Decimal(cents) / 100
    return f"{amount:.2f}".replace(".", ",")


def cost_line(activity) -> str:
    lines = fragments()["regels"]
    if activity.kosten_gratis:
        return lines["kosten_gratis"]
    if activity.kosten_bedrag_cent is not None:
        bedrag = _euro(activity.kosten_bedrag_cent)
        if activity.kosten_per:
            return lines["kosten_bedrag_per"].format(bedrag=bedrag, per=activity.kosten_per)
        return lines["kosten_bedrag"].format(bedrag=bedrag)
    if activity.kosten_omschrijving:
        return activity.kosten_omschrijving
    return lines["kosten_onbekend"]


def join_line(activity) -> str:
    lines = fragments()["regels"]
    parts = [lines["aanmelden"].get(activity.aanmelden_wijze, lines["aanmelden"]["aanmelden"])]
    if activity.indicatie_nodig:
        parts.append(lines["indicatie_nodig"])
    if activity.eerste_keer_begeleiding:
        parts.append(lines["eerste_keer_begeleiding"])
    return " ".join(parts)


def contact_line(activity, with_website: bool = True) -> str:
    lines = fragments()["regels"]
    parts = []
    if activity.contact_telefoon:
        parts.append(lines["contact_telefoon"].format(telefoon=activity.contact_telefoon))
    if activity.contact_email:
        parts.append(lines["contact_email"].format(email=activity.contact_email))
    if activity.contact_website and with_website:
        parts.append(lines["contact_website"].format(website=activity.contact_website))
    return lines["contact_scheiding"].join(parts) if parts else lines["contact_onbekend"]
