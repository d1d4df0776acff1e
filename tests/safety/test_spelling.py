"""Typo correction (bot.nlp.spelling) and what it does for the safety lexicons."""

from __future__ import annotations

import pytest

from bot.nlp.spelling import Speller, dutch_words, pattern_words
from bot.safety import crisis, medical
from bot.safety.text import normalise


def test_dutch_words_hold_word_forms_and_stop_words():
    words = dutch_words()
    assert {"slaap", "zorgen", "huis", "door", "deze", "naar"} <= words
    assert "skaap" not in words and "geslaren" not in words


def test_a_misspelt_word_becomes_the_vocabulary_word_within_one_edit():
    speller = Speller(["slaap", "zorgen", "geslagen"], known_words=set())
    assert speller.correct("skaap") == "slaap"
    assert speller.correct("zorgeh") == "zorgen"
    assert speller.correct("gelsagen") == "geslagen"  # two letters swapped count as one edit


def test_long_words_may_have_two_edits_short_words_one():
    speller = Speller(["schulden", "slaap"], known_words=set())
    assert speller.correct("schulwwn") == "schulden"
    assert speller.correct("skaaq") is None


def test_dutch_words_short_words_and_vocabulary_words_stay():
    speller = Speller(["dood", "slaap"], known_words={"door"})
    assert speller.correct("door") is None  # "ik wil door" must never read as "ik wil dood"
    assert speller.correct("doo") is None  # too short to guess
    assert speller.correct("slaap") is None


def test_a_tie_needs_a_frequency_to_decide():
    assert Speller(["dosis", "doses"], known_words=set()).correct("dosos") is None
    speller = Speller(["dosis", "doses"], known_words=set(), frequency={"dosis": 5, "doses": 1})
    assert speller.correct("dosos") == "dosis"


def test_correct_text_keeps_everything_but_the_typos():
    speller = Speller(["maken", "eind"], known_words={"ik", "wil", "er", "een", "aan"})
    assert speller.correct_text("ik wil er een eimd aan makdn!") == "ik wil er een eind aan maken!"


def test_pattern_words_skip_regex_escapes_and_count():
    words = pattern_words([r"\bwil(?:de)? {_W}{0,2}?niet meer leven\b", r"\bniet meer\b|\bzelfbeschadig\w*"])
    assert words == {"niet": 2, "meer": 2, "leven": 1, "zelfbeschadig": 1}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ik wil er een eimd aan maken", crisis.ZELFDODING),
        ("ik wil nirt meer leven", crisis.ZELFDODING),
        ("ik wil nief mewr verder", crisis.ZELFDODING),  # "nief" is as near to "nier" as to "niet"
        ("ik heb te veel pilleb geslikt", crisis.ACUUT_GEVAAR),
        ("ik sta op de brig", crisis.ACUUT_GEVAAR),
        ("mijn vriend heeft me gesoagen", crisis.HUISELIJK_GEWELD),
        ("mijn dochter praat over zelfmoors", crisis.NAASTE),
    ],
)
def test_misspelt_crisis_messages_still_fire(text, kind):
    signal = crisis.detect(text)
    assert signal is not None and signal.soort == kind, (text, signal)


@pytest.mark.parametrize(
    "text",
    [
        "ik wil door",
        "ik ben thuis geslaagd",
        "ik wil mezelf iets gunnen",
        "ik wil dolen",
        "ik ga de brug over",
    ],
)
def test_correction_raises_no_false_alarm(text):
    assert crisis.detect(text) is None, (text, crisis.detect(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a slip that made another Dutch word, at the end of its clause, in a message with other typos
        ("ik wil door, ecyt", crisis.ZELFDODING),
        ("mikn vadrr zegt dat hij door wil", crisis.NAASTE),
        ("ik wil lifver doof dan zo cerder", crisis.ZELFDODING),
        # a slip next to a doubled letter, which normalising collapses ("meee" -> "mee")
        ("ik wil niet meee verder levem", crisis.ZELFDODING),
        ("wat heeet het lecen nog vood zin", crisis.ZELFDODING),
        # a rare Dutch word one key from a negation ("miet", "biet")
        ("elke avond wenq ik dat ik biet meee wakker word", crisis.ZELFDODING),
        # a lexicon word that is a slip of another ("last" -> "laat", "doorgaan" -> "doodgaan")
        ("ik ben een laat voor ifdereen", crisis.ZELFDODING),
        ("waaroj zou ik nog doodgaan", crisis.ZELFDODING),
        # a misspelt person word decides who acts and whose life it is
        ("ik woln met iemanx die me soaat", crisis.HUISELIJK_GEWELD),
        ("mijn zoog herft zich in zijg armen gesneden", crisis.NAASTE),
    ],
)
def test_slips_into_other_words_are_read_back(text, kind):
    signal = crisis.detect(text)
    assert signal is not None and signal.soort == kind, (text, signal)


@pytest.mark.parametrize(
    "text",
    [
        "ik wil door met mijn studie, ecyt",
        "ik wil doorgaan met mijn stuide",
        "ik ga liever door dan stoppen, echf",
        "ik eet graag biet, echf",
        "ik snij me nier meer",  # "nier" is one key from "niet": the negation vetoes
        "soms snijs ik in mijn bovenbegen, niet meer",
    ],
)
def test_reading_slips_back_makes_up_no_alarm(text):
    assert crisis.detect(text) is None, (text, crisis.detect(text))


def test_misspelt_medical_questions_still_go_to_the_huisarts():
    assert medical.detect("mag ik ibuprofn nemen") is not None
    assert medical.detect("moet ik naar de huisarts mer mijn pijn") is not None
    assert medical.detect("ik wil leren koken") is None


def _training_lines(skip: set[str]):
    """Every example of data/nlu outside the intents in `skip`, entity markup removed."""
    import re

    import yaml

    from bot.settings import PROJECT_ROOT

    markup = re.compile(r"\[([^\]]+)\](?:\([^)]+\)|\{[^}]+\})")
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") and block["intent"] not in skip:
                for line in str(block.get("examples", "")).splitlines():
                    if line.strip().startswith("- "):
                        yield markup.sub(r"\1", line.strip()[2:])


def test_correction_adds_no_alarm_on_our_other_training_lines():
    """Over 2,000 everyday sentences (themes, small talk, typo variants): correcting typos adds no alarm."""
    new_crisis = [
        t for t in _training_lines({"crisis"}) if crisis.detect(t) and not crisis._detect_in(normalise(t))
    ]
    assert new_crisis == []
    new_medical = [
        t
        for t in _training_lines({"crisis", "medische_vraag"})
        if medical.detect(t) and not medical._detect_in(normalise(t))
    ]
    assert new_medical == []
