"""Our NLU training data: enough examples, nothing copied from the dev sets, valid for Rasa."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz

from bot.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"
THEMES = (
    yaml.safe_load((PROJECT_ROOT / "sociale_kaart" / "vocab" / "themes.yml").read_text(encoding="utf-8"))
    if (PROJECT_ROOT / "sociale_kaart" / "vocab" / "themes.yml").exists()
    else None
)
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def training_examples(include_generated: bool = True) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        if not include_generated and path.name == "typfouten.yml":
            continue
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                lines = [
                    ln.strip()[2:]
                    for ln in str(block["examples"]).splitlines()
                    if ln.strip().startswith("- ")
                ]
                examples.setdefault(block["intent"], []).extend(ANNOTATION.sub(r"\1", ln) for ln in lines)
    return examples


def dev_sentences() -> list[str]:
    sentences = []
    nlu = EVAL_DIR / "dev_nlu.yml"
    if nlu.exists():
        for block in yaml.safe_load(nlu.read_text(encoding="utf-8"))["nlu"]:
            sentences += [
                ln.strip()[2:] for ln in block["examples"].splitlines() if ln.strip().startswith("- ")
            ]
    safety = EVAL_DIR / "dev_safety.yml"
    if safety.exists():
        data = yaml.safe_load(safety.read_text(encoding="utf-8"))
        sentences += data["crisis"] + data["no_crisis"]
    return sentences


def test_every_theme_intent_has_at_least_35_hand_written_examples():
    examples = training_examples(include_generated=False)
    codes = (
        [t["code"] for t in THEMES["themes"]]
        if THEMES
        else [k.removeprefix("thema_") for k in examples if k.startswith("thema_")]
    )
    assert len(codes) == 13
    for code in codes:
        assert len(examples.get(f"thema_{code}", [])) >= 35, code


def test_no_dev_sentence_is_copied_or_nearly_copied():
    dev = dev_sentences()
    if not dev:
        pytest.skip("../shared/eval ontbreekt")
    ours = [t.lower() for texts in training_examples(include_generated=False).values() for t in texts]
    close = [(d, o) for d in dev for o in ours if fuzz.ratio(d.lower(), o) >= 90]
    assert close == []


def test_rasa_data_validate_has_no_warnings_about_our_data():
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "data", "validate", "--fail-on-warnings"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    ours = set(training_examples()) | {"crisis_soort", "plaats", "categorie", "zoekwoord"}
    ours |= {
        "utter_crisis",
        "utter_crisis_herhalen",
        "utter_verkeerd_begrepen",
        "utter_medische_vraag",
        "utter_andere_taal",
        "utter_onleesbaar",
    }
    warnings = [ln for ln in output.splitlines() if "UserWarning" in ln or "conflict" in ln.lower()]
    about_ours = [ln for ln in warnings if any(f"'{name}'" in ln for name in ours)]
    assert about_ours == []
