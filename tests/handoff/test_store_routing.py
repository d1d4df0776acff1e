"""Gemeente -> team routing from YAML, changeable without code (WW_TEAMS_FILE)."""
from __future__ import annotations

import pytest

from bot.handoff.routing import TeamRouting
from bot.handoff.store import HandoffStore
from bot.settings import Settings
from sociale_kaart.taxonomy import load_taxonomy


def test_every_gemeente_with_a_welzijnsorganisatie_gets_that_organisations_team():
    routing = TeamRouting.load()
    for municipality in load_taxonomy().municipalities.values():
        team = routing.route(municipality.code)
        if municipality.welzijnsorganisatie:
            assert team.organisatie == municipality.welzijnsorganisatie, municipality.naam
        else:
            assert team == routing.default, municipality.naam


def test_unknown_or_missing_gemeente_goes_to_the_default_team():
    routing = TeamRouting.load()
    assert routing.route(None).naam == "Welzijnscoaches Zuid-Holland Noord (regioteam)"
    assert routing.route("GM9999") == routing.default


def test_teams_file_from_the_environment_overrides(tmp_path, monkeypatch):
    path = tmp_path / "teams.yml"
    path.write_text(
        "standaard_team: {code: regio, naam: Regioteam, organisatie: het regioteam}\n"
        "teams:\n  - {code: leiden, naam: Coaches Leiden, organisatie: Incluzio Leiden}\n"
        "gemeenten: {GM0546: leiden}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("WW_TEAMS_FILE", str(path))
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    settings = Settings.from_env()
    assert settings.teams_file == path
    routing = HandoffStore.from_settings(settings).routing
    assert routing.route("GM0546").code == "leiden"
    assert routing.route("GM0402").code == "regio"  # Versa Welzijn has no team in this file


def test_a_gemeente_pointing_to_an_unknown_team_is_refused(tmp_path):
    path = tmp_path / "teams.yml"
    path.write_text("standaard_team: {code: regio, naam: R, organisatie: r}\ngemeenten: {GM0546: nergens}\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="nergens"):
        TeamRouting.load(path)
