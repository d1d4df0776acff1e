"""bot.rasa_speedups.load_models_without_training_step: the model loaded without Rasa's
one-example training step predicts exactly what Rasa's own load predicts."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from model_helpers import trained_agent
from model_outputs import model_outputs, texts_of_every_intent
from rasa.utils.tensorflow.models import RasaModel

from bot.settings import PROJECT_ROOT
from bot.training import ensure_model

pytestmark = [pytest.mark.slow, pytest.mark.model]


def test_rasa_load_still_trains_one_step_before_reading_the_weights():
    # The speed-up replaces exactly this; if a Rasa upgrade changes it, revisit the speed-up.
    source = inspect.getsource(RasaModel.load.rasa_load if hasattr(RasaModel.load, "rasa_load") else RasaModel.load)
    assert "model.fit(" in source and "model.load_weights(model_file_name)" in source
    assert "if not finetune_mode and predict_data_example:" in source


def test_predictions_are_those_of_rasas_own_load(tmp_path):
    texts = texts_of_every_intent()
    assert len(texts) > 200
    (tmp_path / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    rasa_run = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("model_outputs.py")), str(ensure_model()),
         str(tmp_path / "texts.json"), str(tmp_path / "rasa.json")],
        cwd=PROJECT_ROOT, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True, text=True, timeout=900,
    )
    assert rasa_run.returncode == 0, rasa_run.stderr[-4000:]
    rasa_outputs = json.loads((tmp_path / "rasa.json").read_text(encoding="utf-8"))

    agent = trained_agent()  # loaded through bot.rasa_speedups, as the Rasa server loads it
    assert getattr(RasaModel.load, "_welzijnswijzer", False)
    ours = model_outputs(agent, texts)

    assert len(ours["ted"]) == len(rasa_outputs["ted"]) > 50
    assert ours["ted"] == rasa_outputs["ted"]  # bit for bit
    differing = [(a["text"], a["intent"], b["intent"]) for a, b in zip(ours["parses"], rasa_outputs["parses"]) if a != b]
    assert differing == []
