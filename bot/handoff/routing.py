"""Gemeente -> welzijnscoach team, from a YAML file (Settings.teams_file: WW_TEAMS_FILE or teams.yml)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.models import Team
from sociale_kaart.taxonomy import load_taxonomy

DEFAULT_TEAMS_FILE = Path(__file__).resolve().parent / "teams.yml"


@dataclass(frozen=True)
class TeamRoute:
    code: str
    naam: str
    organisatie: str


@dataclass(frozen=True)
class TeamRouting:
    default: TeamRoute
    teams: dict[str, TeamRoute]
    by_gemeente: dict[str, str]

    @classmethod
    def load(cls, path: str | Path | None = None) -> TeamRouting:
        """The routing file `path` (Settings.teams_file), else the built-in teams.yml."""
        path = Path(path or DEFAULT_TEAMS_FILE)
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        default = TeamRoute(**data["standaard_team"])
        teams = {t["code"]: TeamRoute(**t) for t in data.get("teams") or []}
        by_gemeente = {str(k): str(v) for k, v in (data.get("gemeenten") or {}).items()}
        unknown = set(by_gemeente.values()) - set(teams) - {default.code}
        if unknown:
            raise ValueError(f"{path}: gemeenten verwijzen naar onbekende teams: {sorted(unknown)}")
        return cls(default=default, teams=teams, by_gemeente=by_gemeente)

    def route(self, gemeente_code: str | None) -> TeamRoute:
        if not gemeente_code:
            return self.default
        explicit = self.by_gemeente.get(gemeente_code)
        if explicit:
            return self.teams.get(explicit, self.default)
        municipality = load_taxonomy().municipalities.get(gemeente_code)
        organisation = municipality.welzijnsorganisatie if municipality else None
        for team in self.teams.values():
            if organisation and team.organisatie == organisation:
                return team
        return self.default

    def all_teams(self) -> list[TeamRoute]:
        return [self.default, *self.teams.values()]


def ensure_team(session: Session, route: TeamRoute) -> Team:
    """The Team row for a route, created on first use (coach accounts hang on it)."""
    team = session.execute(select(Team).where(Team.code == route.code)).scalar_one_or_none()
    if team is None:
        team = Team(code=route.code, naam=route.naam)
        session.add(team)
        session.flush()
    return team
