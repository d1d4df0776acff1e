"""In-memory index of the catalogue's structure for fast matching, one per process and catalogue version.

Filtering 100,000 activities row by row in SQLite costs several lookups per row of a
gemeente's few thousand activities; sets of activity numbers (ordinals, in id
order) per gemeente, regio, category, theme, group and part of the day make the
same filter a few set intersections. The index is rebuilt when the catalogue
version changes (an import, or any changed activity), and the rows that are
finally shown are checked against the database again (see matching.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from array import array
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from sociale_kaart import models
from sociale_kaart.keyword_index import KeywordIndex

_A = models.Activity.__table__
_AM = models.ActivityMunicipality.__table__
_AC = models.ActivityCategory.__table__
_AT = models.ActivityTheme.__table__
_AG = models.ActivityGroup.__table__
_RULE = models.ScheduleRule.__table__
_SOURCE = models.CatalogueSource.__table__

DAGDELEN = {"ochtend": ("00:00", "12:00"), "middag": ("12:00", "18:00"), "avond": ("18:00", "99:99")}
NO_DATE = 0
NO_AGE = -1
OPEN_TO_ALL_GROUP = "iedereen"
BACKGROUND_REBUILD_FROM = 20_000  # activities; below this a rebuild takes well under a second


@dataclass
class MatchIndex:
    ids: list[str]
    ordinal: dict[str, int]
    by_gemeente: dict[str, set[int]]
    by_regio: dict[str, set[int]]
    online: set[int]
    active: set[int]  # status actief (dates are checked per day, see valid_on)
    free: set[int]
    by_category: dict[str, set[int]]
    by_theme: dict[str, set[int]]
    by_group: dict[str, set[int]]
    with_group: set[int]
    by_dagdeel: dict[str, set[int]]
    valid_from: array  # date ordinals, NO_DATE when open
    valid_to: array
    age_min: array  # NO_AGE when open
    age_max: array
    age_limited: set[int]
    categories_of: list[tuple[str, ...]]
    keywords: KeywordIndex
    _valid_cache: dict = field(default_factory=dict)
    _filter_cache: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def valid_on(self, day: dt.date) -> set[int]:
        """Active activities whose geldig_van/geldig_tot include `day`."""
        cached = self._valid_cache.get(day)
        if cached is None:
            today = day.toordinal()
            cached = {
                o
                for o in self.active
                if (self.valid_from[o] == NO_DATE or self.valid_from[o] <= today)
                and (self.valid_to[o] == NO_DATE or self.valid_to[o] >= today)
            }
            self._valid_cache.clear()
            self._valid_cache[day] = cached
        return cached

    def fits_age(self, ordinal: int, age: int) -> bool:
        low, high = self.age_min[ordinal], self.age_max[ordinal]
        return (low == NO_AGE or low <= age) and (high == NO_AGE or high >= age)

    def excluded_for_age(self, age: int) -> set[int]:
        """Activities with an age limit that `age` does not meet."""
        key = ("age", age)
        if key not in self._filter_cache:
            self._filter_cache[key] = {o for o in self.age_limited if not self.fits_age(o, age)}
        return self._filter_cache[key]

    def excluded_for_group(self, group: str) -> set[int]:
        """Activities only for other groups: they name groups, but not `group` nor "iedereen"."""
        key = ("group", group)
        if key not in self._filter_cache:
            welcome = self.by_group.get(group, set()) | self.by_group.get(OPEN_TO_ALL_GROUP, set())
            self._filter_cache[key] = self.with_group - welcome
        return self._filter_cache[key]


def build_index(session: Session) -> MatchIndex:
    """Read the whole catalogue once (a handful of queries) into sets and arrays."""
    rows = session.execute(
        select(
            _A.c.id,
            _A.c.naam,
            _A.c.beschrijving,
            _A.c.scope,
            _A.c.regio,
            _A.c.status,
            _A.c.kosten_gratis,
            _A.c.geldig_van,
            _A.c.geldig_tot,
            _A.c.leeftijd_min,
            _A.c.leeftijd_max,
        ).order_by(_A.c.id)
    ).all()
    ids = [row.id for row in rows]
    ordinal = {activity_id: i for i, activity_id in enumerate(ids)}
    by_regio: dict[str, set[int]] = {}
    online, active, free = set(), set(), set()
    valid_from, valid_to = array("i"), array("i")
    age_min, age_max = array("i"), array("i")
    for i, row in enumerate(rows):
        if row.scope == "regio" and row.regio:
            by_regio.setdefault(row.regio, set()).add(i)
        elif row.scope == "online":
            online.add(i)
        if row.status == "actief":
            active.add(i)
        if row.kosten_gratis:
            free.add(i)
        valid_from.append(row.geldig_van.toordinal() if row.geldig_van else NO_DATE)
        valid_to.append(row.geldig_tot.toordinal() if row.geldig_tot else NO_DATE)
        age_min.append(row.leeftijd_min if row.leeftijd_min is not None else NO_AGE)
        age_max.append(row.leeftijd_max if row.leeftijd_max is not None else NO_AGE)

    def grouped(table, column) -> dict[str, set[int]]:
        """Value -> ordinals of the activities that have it, from one link table."""
        result: dict[str, set[int]] = {}
        for activity_id, value in session.execute(select(table.c.activity_id, column)):
            position = ordinal.get(activity_id)
            if position is not None:
                result.setdefault(value, set()).add(position)
        return result

    # Only gemeente-wide activities count through activity_municipality.
    gemeente_scoped = {i for i, row in enumerate(rows) if row.scope == "gemeenten"}
    by_gemeente = {
        code: members & gemeente_scoped for code, members in grouped(_AM, _AM.c.municipality_code).items()
    }
    by_category = grouped(_AC, _AC.c.category_code)
    categories_of: list[list[str]] = [[] for _ in ids]
    for code, members in by_category.items():
        for i in members:
            categories_of[i].append(code)
    by_group = grouped(_AG, _AG.c.groep)
    with_group = set().union(*by_group.values()) if by_group else set()
    by_dagdeel = {
        name: {
            ordinal[activity_id]
            for (activity_id,) in session.execute(
                select(_RULE.c.activity_id).where(_RULE.c.van >= start, _RULE.c.van < end).distinct()
            )
            if activity_id in ordinal
        }
        for name, (start, end) in DAGDELEN.items()
    }
    return MatchIndex(
        ids=ids,
        ordinal=ordinal,
        by_gemeente=by_gemeente,
        by_regio=by_regio,
        online=online,
        active=active,
        free=free,
        by_category=by_category,
        by_theme=grouped(_AT, _AT.c.theme_code),
        by_group=by_group,
        with_group=with_group,
        by_dagdeel=by_dagdeel,
        valid_from=valid_from,
        valid_to=valid_to,
        age_min=age_min,
        age_max=age_max,
        age_limited={i for i in range(len(ids)) if age_min[i] != NO_AGE or age_max[i] != NO_AGE},
        categories_of=[tuple(sorted(c)) for c in categories_of],
        keywords=KeywordIndex((row.id, row.naam, row.beschrijving) for row in rows),
    )


_INDEXES: dict[str, tuple[tuple, MatchIndex]] = {}
_BUILDING: set[str] = set()
_LOCK = threading.Lock()
_log = logging.getLogger(__name__)

_VERSION_QUERY = select(
    select(func.max(_SOURCE.c.geimporteerd_op)).scalar_subquery(),
    select(func.max(_A.c.laatst_gewijzigd_op)).scalar_subquery(),
)


def catalogue_version(session: Session) -> tuple:
    """Changes whenever an import runs or an activity is changed (both maxima are indexed)."""
    imported, changed = session.execute(_VERSION_QUERY).one()
    return (str(imported), str(changed))


def match_index(session: Session) -> MatchIndex:
    """The index of the session's database.

    The first call builds it (well under a second for a regional catalogue, seconds at
    100,000 activities). When the catalogue version changes, a small index is rebuilt
    at once; a large one keeps serving while a new one is built in a background
    thread: matching re-checks every shown row in the database, so an old index can
    miss a new activity for a moment but never shows an ended one.
    """
    engine = engine_of(session)
    key = _cache_key(engine)
    version = catalogue_version(session)
    cached = _INDEXES.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    if cached is not None and len(cached[1]) >= BACKGROUND_REBUILD_FROM:
        rebuild_in_background(engine)
        return cached[1]
    with _LOCK:
        cached = _INDEXES.get(key)
        if cached is None or cached[0] != version:
            _INDEXES[key] = cached = (version, build_index(session))
    return cached[1]


def engine_of(session: Session) -> Engine:
    """The engine behind a session, also when the session is bound to a connection."""
    bind = session.get_bind()
    return getattr(bind, "engine", bind)


def _cache_key(engine: Engine) -> str:
    """One index per database: the URL, or the engine itself for an in-memory database."""
    if engine.url.database in (None, "", ":memory:"):
        return f"{engine.url}#{id(engine)}"
    return str(engine.url)


def rebuild_in_background(engine: Engine) -> None:
    """Start building a fresh index for this database, unless one is being built already."""
    key = _cache_key(engine)
    with _LOCK:
        if key in _BUILDING:
            return
        _BUILDING.add(key)
    threading.Thread(target=_rebuild, args=(engine, key), name="match-index", daemon=True).start()


def _rebuild(engine: Engine, key: str) -> None:
    try:
        with Session(engine, future=True) as session:
            version = catalogue_version(session)
            index = build_index(session)
        _INDEXES[key] = (version, index)
    except Exception:  # the old index keeps serving; the next version change tries again
        _log.exception("match index rebuild failed for %s", key)
    finally:
        with _LOCK:
            _BUILDING.discard(key)
