"""Our crisis table by kind (crisis_table.yml) through the deterministic lexicon, as typed and with typos."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from safety_tables import GROUPS, TRAPS

from bot.safety import crisis

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from keyboard_typos import keyboard_typos  # noqa: E402

TYPO_SEED = 20261201
LINES = [(group, soort, text) for group, (soort, texts) in GROUPS.items() for text in texts]


def test_the_table_is_large_enough_and_covers_every_kind():
    assert len(LINES) >= 150
    assert len(TRAPS) >= len(LINES) * 0.8
    assert {soort for soort, _ in GROUPS.values()} == set(crisis.KINDS)
    assert len({text for _, _, text in LINES}) == len(LINES)


@pytest.mark.parametrize(("group", "soort", "text"), LINES)
def test_every_line_gets_the_reply_of_its_kind(group, soort, text):
    signal = crisis.detect(text)
    assert signal is not None, (group, text)
    assert signal.soort == soort, (group, text, signal)


@pytest.mark.parametrize("text", TRAPS)
def test_no_trap_fires(text):
    assert crisis.detect(text) is None, (text, crisis.detect(text))


@pytest.mark.parametrize(
    "text",
    [
        "mijn ex staat beneden en dreigt me iets aan te doen",
        "mijn vriend zegt dat hij me wat gaat aandoen",
        "ik ben bang dat hij me iets aandoet",
        "hij dreigt dat hij me gaat vermoorden",
        "zij zei dat ze me dood zou maken",
    ],
)
def test_a_threat_by_someone_else_is_violence_never_113(text):
    signal = crisis.detect(text)
    assert signal is not None and signal.soort == crisis.HUISELIJK_GEWELD, (text, signal)


@pytest.mark.parametrize(
    "text", ["ik ben bang dat ik mezelf iets aandoe", "ik wil me iets aandoen", "ik snij me weer in mijn arm"]
)
def test_harm_by_the_resident_stays_113(text):
    assert crisis.detect(text).soort == crisis.ZELFDODING


def test_a_self_harm_act_with_a_knife_is_113_and_someone_else_with_a_knife_is_112():
    assert crisis.detect("ik kras met een mes in mijn arm").soort == crisis.ZELFDODING
    assert crisis.detect("mijn man loopt met een mes door het huis").soort == crisis.ACUUT_GEVAAR


@pytest.mark.parametrize(
    "text",
    [
        "vroeger wilde ik niet meer leven, nu gaat het goed",
        "toen ik 16 was sneed ik mezelf, inmiddels ben ik er overheen en gaat het goed",
        "jaren geleden wilde mijn zoon dood, nu is hij gelukkig",
    ],
)
def test_a_past_crisis_the_resident_says_is_over_gets_no_helpline(text):
    # Decided for issue 9: the resident says it is over, so no 113 reply (the classifier may still ask).
    assert crisis.detect(text) is None, crisis.detect(text)


@pytest.mark.parametrize(
    "text",
    [
        "vroeger wilde ik niet meer leven, nu gaat het niet goed",
        "vorig jaar heb ik een poging gedaan",
        "vorig jaar heb ik een poging gedaan, nu gaat het beter maar soms denk ik er weer aan",
        "ik sneed vroeger en nu doe ik het weer",
        "ik wil dood, vroeger ging het goed",
    ],
)
def test_a_past_crisis_that_is_not_over_still_gets_113(text):
    assert crisis.detect(text).soort == crisis.ZELFDODING


def test_past_violence_at_home_keeps_veilig_thuis():
    assert crisis.detect("vroeger sloeg mijn man me, nu gaat het goed").soort == crisis.HUISELIJK_GEWELD


@pytest.mark.parametrize(
    ("text", "soort"),
    [
        ("ik heb een boek gelezen over zelfmoord", None),
        ("in die serie pleegt iemand zelfmoord", None),
        ("we hadden op school een les over zelfdoding", None),
        ("ik heb een film over zelfmoord gezien en nu wil ik ook dood", crisis.ZELFDODING),
        ("in die film ging het over de dood, ik denk zelf aan zelfmoord", crisis.ZELFDODING),
    ],
)
def test_suicide_as_a_topic_of_a_book_or_film_is_no_wish(text, soort):
    signal = crisis.detect(text)
    assert (signal and signal.soort) == soort, (text, signal)


@pytest.mark.parametrize(
    "text",
    ["gisteren sloeg mijn man me", "toen schopte hij ons", "vannacht heeft mijn vriend me geslagen"],
)
def test_violence_with_the_verb_before_the_subject(text):
    assert crisis.detect(text).soort == crisis.HUISELIJK_GEWELD


# The typo copy (1–2 keyboard typos in up to 3 words per line) keeps the kind.
# Typos are read back by the speller and by the keyboard reading (bot.safety.typo_readings:
# every word that is a neighbouring-key slip of a lexicon word, also when the slip
# made another Dutch word, "tegen" -> "regen", or another lexicon word, "last" -> "laat";
# a slip hidden in a tripled letter, "meee"; a rare Dutch word one key from a negation,
# "miet"; "door"/"doof" at the end of a clause in a message with other typos). A message
# whose words are all Dutch is read as typed ("ik wil door" stays harmless, so the table's
# "k wil dood" -> "k wil door" cannot be read back); a rare Dutch word one key from a negation
# ("noet") counts as a typo.
# Measured 2026-12-02 over eleven seeds (20261201, 1-10) on 735 lines: 0-4 lines lost or with
# another kind (0-0.5%), on this seed 1 ("k wil door"); the traps' typo copy: 1 of 676 on six seeds
# ("niemznd beit me ooit", "belt" read as "beet"; "een les oger zelfdodkng"; "een past kwikt"),
# 0 on the five others and on this one.
MAX_TYPO_MISS_RATE = 0.01


def test_the_typo_copy_keeps_the_kind():
    texts = [text for _, _, text in LINES]
    typos = keyboard_typos(texts, TYPO_SEED, words_per_text=3)
    missed = [
        (typo, text)
        for (_, soort, text), typo in zip(LINES, typos, strict=True)
        if (signal := crisis.detect(typo)) is None or signal.soort != soort
    ]
    assert len(missed) <= MAX_TYPO_MISS_RATE * len(LINES), missed


def test_the_typo_copy_of_the_traps_raises_no_alarm():
    fired = [
        (typo, text)
        for typo, text in zip(keyboard_typos(TRAPS, TYPO_SEED, 3), TRAPS, strict=True)
        if crisis.detect(typo)
    ]
    assert fired == []
