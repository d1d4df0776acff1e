"""Match a resident's wish to activities of the sociale kaart.

Rules (see docs/contracts.md):
- only activities offered in the resident's gemeente, region-wide in the
  resident's regio, or online; never ended, closed, expired or not yet valid ones;
- gemeente above regio above online, always;
- within a scope: activities that match the free text first (when the text matches
  anything at all), then the preferred categories in order (explicit categories,
  then the categories of the themes, best first), then an activity tagged with a
  theme; ties are broken by id, so the same query gives the same list.

Candidates come from the in-memory match index (sets per gemeente, regio,
category, ...; see match_index.py), which a few set operations filter in well under
a millisecond. The page that is returned is then checked by one indexed SQL
query against the same rules and filters, so a stale index can never show an
ended or out-of-scope activity: if the database rejects a row the index is rebuilt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from sociale_kaart import models
from sociale_kaart.activity_view import ActivityView, fragments, load_views
from sociale_kaart.keyword_index import TextMatch
from sociale_kaart.match_index import (
    DAGDELEN,
    OPEN_TO_ALL_GROUP,
    MatchIndex,
    engine_of,
    match_index,
    rebuild_in_background,
)
from sociale_kaart.taxonomy import load_taxonomy
from sociale_kaart.texts import target_groups

SCOPES = ("gemeente", "regio", "online")

MAX_LIMIT = 50

_A = models.Activity.__table__
_AM = models.ActivityMunicipality.__table__
_AG = models.ActivityGroup.__table__
_RULE = models.ScheduleRule.__table__


@dataclass(frozen=True)
class MatchQuery:
    themes: Sequence[str] = ()
    categories: Sequence[str] = ()
    gemeente_code: str = ""
    text: str | None = None
    free_only: bool = False
    dagdeel: str | None = None  # ochtend | middag | avond
    age: int | None = None
    group: str | None = None
    today: dt.date | None = None  # for tests; default: today

    def __post_init__(self) -> None:
        taxonomy = load_taxonomy()
        object.__setattr__(self, "themes", tuple(dict.fromkeys(self.themes or ())))
        object.__setattr__(self, "categories", tuple(dict.fromkeys(self.categories or ())))
        unknown = [t for t in self.themes if t not in taxonomy.themes]
        unknown += [c for c in self.categories if c not in taxonomy.categories]
        if unknown:
            raise ValueError(f"unknown theme or category: {unknown}")
        if self.gemeente_code not in taxonomy.municipalities:
            raise ValueError(f"unknown gemeente code: {self.gemeente_code!r}")
        if self.dagdeel is not None and self.dagdeel not in DAGDELEN:
            raise ValueError(f"dagdeel must be one of {sorted(DAGDELEN)}: {self.dagdeel!r}")
        if self.group is not None and self.group not in target_groups():
            raise ValueError(f"unknown target group: {self.group!r}")
        if self.age is not None and not (isinstance(self.age, int) and 0 <= self.age <= 130):
            raise ValueError(f"age must be a whole number from 0 to 130: {self.age!r}")
        if self.text is not None:
            object.__setattr__(self, "text", self.text[:500])
        ordered = list(self.categories)
        for theme in self.themes:
            ordered.extend(taxonomy.themes[theme].categories)
        object.__setattr__(self, "_preferred", tuple(dict.fromkeys(ordered)))

    @property
    def preferred_categories(self) -> tuple[str, ...]:
        """Explicit categories first, then each theme's categories, best first."""
        return self._preferred

    @property
    def regio(self) -> str:
        return load_taxonomy().municipalities[self.gemeente_code].regio


@dataclass(frozen=True)
class MatchResult:
    activity: ActivityView
    scope: str  # gemeente | regio | online
    reasons: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class MatchCoverage:
    """Where matches exist, so the conversation can say "in jouw gemeente vond ik niets"."""

    gemeente: bool
    regio: bool
    online: bool
    text_understood: bool = True  # False when the free text matched nothing at all

    @property
    def any(self) -> bool:
        return self.gemeente or self.regio or self.online

    @property
    def only_elsewhere(self) -> bool:
        return not self.gemeente and (self.regio or self.online)


@dataclass
class _Candidate:
    ordinal: int
    id: str
    scope: str
    categories: tuple[str, ...]
    theme_tagged: bool
    text_score: float = 0.0
    text_word: str | None = None
    text_categories: tuple[str, ...] = ()
    category_rank: int = 0


def match_activities(
    session: Session, query: MatchQuery, limit: int = 3, offset: int = 0
) -> list[MatchResult]:
    """The best activities for the query, `offset` ranked results skipped."""
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if limit == 0:
        return []
    index = match_index(session)
    rejected: set[str] = set()
    for _ in range(3):
        ranked = [c for c in _rank(index, query, need=offset + limit + len(rejected)) if c.id not in rejected]
        page = ranked[offset : offset + limit]
        allowed = _allowed_by_database(session, query, [c.id for c in page])
        refused = {c.id for c in page} - allowed
        if not refused:
            break
        # The index is behind the database (a change that did not bump the version).
        rejected |= refused
        rebuild_in_background(engine_of(session))
    page = [c for c in page if c.id in allowed]  # the database has the last word
    views = load_views(session, [c.id for c in page])
    return [
        MatchResult(
            activity=views[c.id],
            scope=c.scope,
            reasons=_reasons(c, views[c.id], query),
            score=_score(c, query),
        )
        for c in page
        if c.id in views
    ]


def match_coverage(session: Session, query: MatchQuery) -> MatchCoverage:
    """Whether the query has matches in the gemeente, the regio and online."""
    index = match_index(session)
    members = {scope: _in_scope(index, query, scope) for scope in SCOPES}
    within = set().union(*members.values())
    text_match = index.keywords.search(query.text, within=within) if _has_text(query) else None
    if text_match is not None:
        found = [
            bool(_text_candidates(index, query, s, text_match, need=1, members=members[s])) for s in SCOPES
        ]
        if any(found):
            return MatchCoverage(*found)
    found = [bool(_theme_candidates(index, query, s, need=1, members=members[s])) for s in SCOPES]
    return MatchCoverage(*found, text_understood=text_match is None)


def warm_up(session: Session) -> None:
    """Load the Dutch spaCy pipeline and build the match index now (at process start), so
    the first resident does not wait for them."""
    match_index(session)


# -- ranking ------------------------------------------------------------------


def _has_text(query: MatchQuery) -> bool:
    return bool(query.text and query.text.strip())


def _rank(index: MatchIndex, query: MatchQuery, need: int) -> list[_Candidate]:
    """Ranked candidates, at least `need` when there are that many.

    A free text that matches something in scope works as a filter: only matching
    activities are shown. When it matches nothing, the themes and categories decide.
    """
    if _has_text(query):
        members = {scope: _in_scope(index, query, scope) for scope in SCOPES}
        text_match = index.keywords.search(query.text, within=set().union(*members.values()))
        ranked: list[_Candidate] = []
        for scope in SCOPES:
            room = need - len(ranked)
            ranked.extend(_text_candidates(index, query, scope, text_match, room, members=members[scope]))
            if len(ranked) >= need:
                return ranked
        if ranked:
            return ranked
    ranked = []
    for scope in SCOPES:
        ranked.extend(_theme_candidates(index, query, scope, need - len(ranked)))
        if len(ranked) >= need:
            break
    return ranked


def _in_scope(index: MatchIndex, query: MatchQuery, scope: str) -> set[int]:
    """Activities of one scope that pass every hard rule and every filter of the query."""
    if scope == "gemeente":
        members = index.by_gemeente.get(query.gemeente_code, set())
    elif scope == "regio":
        members = index.by_regio.get(query.regio, set())
    else:
        members = index.online
    members = members & index.valid_on(query.today or dt.date.today())
    if query.free_only:
        members &= index.free
    if query.dagdeel:
        members &= index.by_dagdeel[query.dagdeel]
    # "a - b" walks a (small), "a -= b" would walk b (large).
    if query.group:
        members = members - index.excluded_for_group(query.group)
    if query.age is not None:
        members = members - index.excluded_for_age(query.age)
    return members


def _themed(index: MatchIndex, query: MatchQuery) -> set[int]:
    if len(query.themes) == 1:
        return index.by_theme.get(query.themes[0], set())
    return set().union(*(index.by_theme.get(t, set()) for t in query.themes))


def _candidate(
    index: MatchIndex, query: MatchQuery, ordinal: int, scope: str, themed: set[int]
) -> _Candidate:
    preferred = query.preferred_categories
    categories = index.categories_of[ordinal]
    rank = min((preferred.index(c) for c in categories if c in preferred), default=len(preferred))
    return _Candidate(ordinal, index.ids[ordinal], scope, categories, ordinal in themed, category_rank=rank)


def _by_preference(
    index: MatchIndex,
    query: MatchQuery,
    members: set[int],
    themed: set[int],
    need: int | None,
    include_rest: bool,
) -> list[int]:
    """Ordinals of `members` ordered by preferred category (in order), then tagged with a
    query theme, then id; at most `need`. Set operations per category, no loop per activity.
    Without `include_rest`, members that fit no preferred category and no theme are left out."""
    chosen: list[int] = []

    def take(ordered: list[int]) -> None:
        chosen.extend(ordered if need is None else ordered[: need - len(chosen)])

    remaining = members
    for code in query.preferred_categories:
        part = remaining & index.by_category.get(code, set())
        if not part:
            continue
        remaining = remaining - part
        take(sorted(part & themed))
        take(sorted(part - themed))
        if need is not None and len(chosen) >= need:
            return chosen
    take(sorted(remaining & themed))
    if include_rest:
        take(sorted(remaining - themed))
    return chosen


def _theme_candidates(
    index: MatchIndex, query: MatchQuery, scope: str, need: int, members: set[int] | None = None
) -> list[_Candidate]:
    """The best `need` activities of one scope by category preference, then theme tag, then id."""
    if need <= 0:
        return []
    if members is None:
        members = _in_scope(index, query, scope)
    themed = _themed(index, query)
    include_rest = not query.preferred_categories and not query.themes
    chosen = _by_preference(index, query, members, themed, need, include_rest)
    return [_candidate(index, query, o, scope, themed) for o in chosen]


def _text_candidates(
    index: MatchIndex,
    query: MatchQuery,
    scope: str,
    text_match: TextMatch,
    need: int | None = None,
    members: set[int] | None = None,
) -> list[_Candidate]:
    """Activities of one scope that match the free text, best first (`need` of them, or all).

    Higher text scores first; within one score the category preference decides.
    """
    if not text_match.scores and not text_match.categories:
        return []
    if need is not None and need <= 0:
        return []
    if members is None:
        members = _in_scope(index, query, scope)
    scores = text_match.scores
    by_score: dict[float, set[int]] = {}
    for ordinal in members.intersection(scores.keys()):
        by_score.setdefault(round(scores[ordinal], 6), set()).add(ordinal)
    category_hits: set[int] = set()
    for code in text_match.categories:
        category_hits |= members & index.by_category.get(code, set())
    category_hits = {o for o in category_hits if scores.get(o, 0.0) < _CATEGORY_WORD_SCORE}
    if category_hits:
        by_score.setdefault(_CATEGORY_WORD_SCORE, set()).update(category_hits)
    themed = _themed(index, query)
    candidates: list[_Candidate] = []
    for score in sorted(by_score, reverse=True):
        room = None if need is None else need - len(candidates)
        for ordinal in _by_preference(index, query, by_score[score], themed, room, include_rest=True):
            candidate = _candidate(index, query, ordinal, scope, themed)
            candidate.text_score = score
            if ordinal in category_hits:
                # Found through a category word ("fietsen" -> bewegen & sporten): the reason says so.
                candidate.text_categories = tuple(
                    c for c in candidate.categories if c in text_match.categories
                )
            else:
                candidate.text_word = text_match.words.get(ordinal)
            candidates.append(candidate)
        if need is not None and len(candidates) >= need:
            break
    return candidates


_CATEGORY_WORD_SCORE = 0.4


def _allowed_by_database(session: Session, query: MatchQuery, activity_ids: list[str]) -> set[str]:
    """The ids among `activity_ids` that the database confirms pass every rule and filter."""
    if not activity_ids:
        return set()
    statement = _rules_statement(query.free_only, query.age is not None, bool(query.group), query.dagdeel)
    start, end = DAGDELEN.get(query.dagdeel or "", ("", ""))
    values = {
        "ids": list(activity_ids),
        "today": query.today or dt.date.today(),
        "gemeente": query.gemeente_code,
        "regio": query.regio,
        "age": query.age,
        "groups": [query.group, OPEN_TO_ALL_GROUP],
        "start": start,
        "end": end,
    }
    return set(session.execute(statement, values).scalars())


@cache
def _rules_statement(free_only: bool, with_age: bool, with_group: bool, dagdeel: str | None):
    """One statement per combination of filters, built once (values are bound parameters)."""
    in_gemeente = exists().where(
        _AM.c.activity_id == _A.c.id, _AM.c.municipality_code == bindparam("gemeente")
    )
    # "|| ''" keeps SQLite on the primary key: without statistics it would rather scan
    # the status or scope index, which hold most of the table.
    scope = _A.c.scope.concat("")
    today = bindparam("today")
    statement = select(_A.c.id).where(
        _A.c.id.in_(bindparam("ids", expanding=True)),
        _A.c.status.concat("") == "actief",
        or_(_A.c.geldig_van.is_(None), _A.c.geldig_van <= today),
        or_(_A.c.geldig_tot.is_(None), _A.c.geldig_tot >= today),
        or_(
            and_(scope == "gemeenten", in_gemeente),
            and_(scope == "regio", _A.c.regio.concat("") == bindparam("regio")),
            scope == "online",
        ),
    )
    if free_only:
        statement = statement.where(_A.c.kosten_gratis.is_(True))
    if with_age:
        age = bindparam("age")
        statement = statement.where(
            or_(_A.c.leeftijd_min.is_(None), _A.c.leeftijd_min <= age),
            or_(_A.c.leeftijd_max.is_(None), _A.c.leeftijd_max >= age),
        )
    if with_group:
        statement = statement.where(
            or_(
                exists().where(
                    _AG.c.activity_id == _A.c.id, _AG.c.groep.in_(bindparam("groups", expanding=True))
                ),
                ~exists().where(_AG.c.activity_id == _A.c.id),
            )
        )
    if dagdeel:
        statement = statement.where(
            exists().where(
                _RULE.c.activity_id == _A.c.id,
                _RULE.c.van >= bindparam("start"),
                _RULE.c.van < bindparam("end"),
            )
        )
    return statement


# -- reasons and score ----------------------------------------------------------


def _reasons(candidate: _Candidate, view: ActivityView, query: MatchQuery) -> tuple[str, ...]:
    texts = fragments()
    reasons = texts["redenen"]
    result = [reasons["scope"][candidate.scope]]
    if candidate.text_word:
        result.append(reasons["zoekwoord"].format(woord=candidate.text_word))
    chosen = [c for c in query.categories if c in candidate.categories] or list(candidate.text_categories)
    if chosen:
        result.append(reasons["categorie"].format(categorie=texts["categorieen"][chosen[0]]))
    themes = load_taxonomy().themes
    fitting = [
        t
        for t in query.themes
        if t in view.themes or any(c in themes[t].categories for c in candidate.categories)
    ]
    if fitting:
        result.append(reasons["thema"].format(thema=texts["themas"][fitting[0]]))
    if view.is_free:
        result.append(reasons["gratis"])
    if query.dagdeel:
        result.append(reasons["dagdeel"][query.dagdeel])
    if query.group and query.group in view.groups:
        result.append(reasons["groep"].format(groep=target_groups().get(query.group, query.group).lower()))
    return tuple(result)


def _score(candidate: _Candidate, query: MatchQuery) -> float:
    """A number that follows the ranking: scope, text, category fit, theme tag."""
    preferred = query.preferred_categories
    rank = candidate.category_rank
    category_fit = (len(preferred) - rank) / len(preferred) if preferred else 0.0
    scope_weight = {"gemeente": 300.0, "regio": 200.0, "online": 100.0}[candidate.scope]
    return round(
        scope_weight + 10 * min(candidate.text_score, 9.9) + category_fit + 0.01 * candidate.theme_tagged, 3
    )
