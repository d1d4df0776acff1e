"""The deterministic crisis lexicon over our own tables and the dev safety set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from safety_tables import CRISIS, NO_CRISIS

from bot.safety import crisis

DEV_SAFETY = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_safety.yml"

POSITIVES = [(kind, text) for kind, texts in CRISIS.items() for text in texts]


@pytest.mark.parametrize(("kind", "text"), POSITIVES)
def test_crisis_lines_fire_with_the_right_kind(kind, text):
    signal = crisis.detect(text)
    assert signal is not None, text
    assert signal.soort == kind, (text, signal)


@pytest.mark.parametrize("text", NO_CRISIS)
def test_everyday_phrases_do_not_fire(text):
    assert crisis.detect(text) is None, (text, crisis.detect(text))


def test_suicide_beats_violence_and_all_kinds_are_reported():
    signal = crisis.detect("mijn man slaat me en ik wil dood")
    assert signal.soort == crisis.ZELFDODING
    assert signal.soorten == (crisis.ZELFDODING, crisis.HUISELIJK_GEWELD)


def test_acute_danger_beats_everything():
    signal = crisis.detect("ik wil dood en heb te veel pillen genomen")
    assert signal.soort == crisis.ACUUT_GEVAAR


@pytest.mark.parametrize("text", ["", "   ", "👍", "?!", None])
def test_empty_or_unreadable_input_is_no_crisis(text):
    assert crisis.detect(text) is None


def test_idioms_are_recognised_for_the_classifier_veto():
    assert crisis.is_idiom("ik lach me dood")
    assert crisis.is_idiom("de batterij is dood")
    assert not crisis.is_idiom("ik wil dood")


def _dev_safety():
    if not DEV_SAFETY.exists():
        pytest.skip(f"{DEV_SAFETY} ontbreekt: de dev-set staat niet naast deze repository")
    return yaml.safe_load(DEV_SAFETY.read_text(encoding="utf-8"))


def test_dev_safety_crisis_lines_all_fire():
    missed = [t for t in _dev_safety()["crisis"] if crisis.detect(t) is None]
    assert missed == []


def test_dev_safety_no_crisis_lines_never_fire():
    fired = [t for t in _dev_safety()["no_crisis"] if crisis.detect(t) is not None]
    assert fired == []


def test_a_misspelt_idiom_still_vetoes_the_classifier():
    assert crisis.is_idiom("ik heb me gesnedrn aan een blikje")
    assert not crisis.is_idiom("ik wil dood")
