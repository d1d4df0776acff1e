"""The medical lexicon and the input checks (other language, unreadable, code)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from safety_tables import MEDICAL, NOT_MEDICAL

from bot.safety import language, medical

DEV_NLU = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_nlu.yml"


@pytest.mark.parametrize("text", MEDICAL)
def test_medical_questions_fire(text):
    assert medical.detect(text) is not None, text


@pytest.mark.parametrize("text", NOT_MEDICAL)
def test_social_questions_and_themes_do_not_fire(text):
    assert medical.detect(text) is None, (text, medical.detect(text))


def test_dev_medical_lines_fire_without_the_classifier():
    if not DEV_NLU.exists():
        pytest.skip(f"{DEV_NLU} ontbreekt")
    blocks = yaml.safe_load(DEV_NLU.read_text(encoding="utf-8"))["nlu"]
    lines = [
        line.strip()[2:]
        for block in blocks
        if block["intent"] == "medische_vraag"
        for line in block["examples"].splitlines()
        if line.strip()
    ]
    assert lines
    missed = [t for t in lines if medical.detect(t) is None]
    # The lexicon is a safety net; the classifier catches the rest (see tests/nlu).
    assert len(missed) <= len(lines) // 2, missed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, can you help me?", "en"),
        ("I don't speak Dutch, sorry", "en"),
        ("Ich brauche Hilfe, bitte", "de"),
        ("je suis seul et triste", "fr"),
        ("مرحبا، أحتاج مساعدة", "ar"),
        ("Мне нужна помощь", "other"),
        ("ik voel me alleen", None),
        ("ik zoek een cursus Engels", None),
        ("ik heb een burn-out, help", None),
        ("sorry", None),
        ("ok", None),
        ("hoi", None),
    ],
)
def test_other_language(text, expected):
    assert language.other_language(text) == expected


@pytest.mark.parametrize("text", ["👍", "😢😢😢", "???", "...", "123", "", "  "])
def test_unreadable(text):
    assert language.is_unreadable(text)


@pytest.mark.parametrize("text", ["ja", "ik ben 80", "Bussum 👍"])
def test_readable(text):
    assert not language.is_unreadable(text)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE activiteiten; --",
        "SELECT * FROM users WHERE 1=1",
        "' or '1'='1",
    ],
)
def test_code_like_input(text):
    assert language.looks_like_code(text)


@pytest.mark.parametrize(
    "text", ["ik wil iets creëren", "selecteer maar iets", "ik wil een tafel uit de winkel"]
)
def test_plain_dutch_is_not_code(text):
    assert not language.looks_like_code(text)
