"""`rasa test core --fail-on-prediction-errors` on the test stories in tests/rasa, with the trained model
loaded as the Rasa server loads it (`python -m bot.rasa_server`: Rasa's CLI with bot.rasa_speedups)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.training import ensure_model

# test_stories.yml (the conversation) and test_stories_handoff.yml (the hand-off form's answers).
STORIES = Path(__file__).parent

pytestmark = pytest.mark.model


def test_conversation_stories_have_no_prediction_errors(tmp_path):
    model = ensure_model()
    run = subprocess.run(
        [
            sys.executable, "-m", "bot.rasa_server", "test", "core",
            "--stories", str(STORIES),
            "--model", str(model),
            "--fail-on-prediction-errors",
            "--out", str(tmp_path / "results"),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = tmp_path / "results" / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else run.stderr[-4000:]
    assert run.returncode == 0, details
    # Rasa wrote its report of every story (the run did test them).
    assert (tmp_path / "results" / "story_report.json").exists(), run.stderr[-4000:]
