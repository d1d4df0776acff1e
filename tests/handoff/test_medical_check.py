"""bot.referral.medical_check against our own table (tests/handoff/medical_check_table.yml)."""

from pathlib import Path

import pytest
import yaml

from bot.referral.medical_check import find_medical

TABLE = yaml.safe_load((Path(__file__).with_name("medical_check_table.yml")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("text,word", TABLE["flagged"])
def test_medical_data_is_flagged(text, word):
    assert word.lower() in find_medical(text), text


@pytest.mark.parametrize("text", TABLE["passing"])
def test_plain_social_reasons_pass(text):
    assert find_medical(text) == [], text


def test_the_table_is_big_enough_for_both_kinds():
    assert len(TABLE["flagged"]) >= 25 and len(TABLE["passing"]) >= 15
