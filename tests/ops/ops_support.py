"""Helpers of the operations tests: the web tests' channel stand-ins and the coach test data."""
from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS / "web", TESTS / "handoff"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from channel_standins import RasaStandIn, web_process  # noqa: E402,F401
from coach_testdata import add_coach, add_request, add_team, days_ago, make_settings  # noqa: E402,F401
