"""The conversation's texts in domain.yml: complete, honest and in step with the vocabularies."""
from __future__ import annotations

import re

from dialogue_helpers import domain

from bot.settings import PROJECT_ROOT
from sociale_kaart.taxonomy import load_taxonomy

OUR_ACTION_FILES = [p.name for p in (PROJECT_ROOT / "actions").glob("*.py") if not p.name.startswith(("handoff", "_handoff", "__"))]


def _our_responses() -> set[str]:
    """Responses used by our rules and actions (safety and hand-off have their own tests)."""
    rules = (PROJECT_ROOT / "data" / "rules.yml").read_text(encoding="utf-8")
    ours = set(re.findall(r"action: (utter_[a-z_]+)", rules))
    for file in OUR_ACTION_FILES:
        ours |= set(re.findall(r'"(utter_[a-z_]+)"', (PROJECT_ROOT / "actions" / file).read_text(encoding="utf-8")))
    return ours


def _text(name: str) -> str:
    return " ".join(variant["text"] for variant in domain()["responses"][name])


def test_intro_says_digital_assistant_no_medical_advice_and_how_to_reach_a_person():
    for name in ("utter_intro", "utter_wat_ben_jij"):
        text = _text(name).lower()
        assert "digitale assistent" in text and "geen mens" in text, name
        assert "geen medisch advies" in text, name
    assert "welzijnscoach" in _text("utter_intro")
    # After "opnieuw" the next message is a conversation start again, so the intro follows there.
    assert "opnieuw" in _text("utter_opnieuw")


def test_every_theme_has_a_normalising_reply():
    responses = domain()["responses"]
    for code in load_taxonomy().themes:
        assert f"utter_normaal_{code}" in responses, code


def test_figures_in_replies_name_their_source():
    for code in load_taxonomy().themes:
        text = _text(f"utter_normaal_{code}")
        if re.search(r"\d", text):
            assert re.search(r"\((bron: [^)]+|GGD, \d{4}|Nivel)\)", text), code


def test_helpline_replies_use_the_numbers_of_hulplijnen_yml():
    helplines = load_taxonomy().helplines
    assert load_taxonomy().themes["geldzorgen"].helpline == "geldfit"
    for theme, line in (("geldzorgen", "geldfit"), ("eenzaamheid", "luisterlijn")):
        text = _text(f"utter_hulplijn_thema_{theme}")
        assert helplines[line].naam in text
        assert all(number in text for number in helplines[line].telefoon)
        assert helplines[line].web.split()[0] in text


def test_demo_data_notice_is_literal():
    assert _text("utter_voorbeeldgegevens") == "Let op: dit zijn voorbeeldgegevens."


def test_every_response_our_actions_use_exists():
    responses = domain()["responses"]
    for file in OUR_ACTION_FILES:
        source = (PROJECT_ROOT / "actions" / file).read_text(encoding="utf-8")
        for name in re.findall(r'"(utter_[a-z_]+)"', source):
            assert name in responses, f"{file}: {name}"


def test_every_response_our_rules_use_exists():
    responses = domain()["responses"]
    rules = (PROJECT_ROOT / "data" / "rules.yml").read_text(encoding="utf-8")
    for name in re.findall(r"action: (utter_[a-z_]+)", rules):
        assert name in responses, name


def test_no_resident_sentence_hides_in_our_actions():
    # Dutch text belongs in domain.yml; a quoted phrase with spaces in an action is suspect.
    for file in OUR_ACTION_FILES:
        source = (PROJECT_ROOT / "actions" / file).read_text(encoding="utf-8")
        code = re.sub(r'""".*?"""', "", source, flags=re.S)
        code = "\n".join(line.split("#")[0] for line in code.splitlines())
        phrases = [p for p in re.findall(r'"([^"\n]*)"', code) if " " in p.strip() and not p.startswith("/")]
        assert phrases == [], f"{file}: {phrases}"


def test_conversation_responses_are_short_b1_sentences():
    ours = _our_responses()
    texts = {name: " ".join(v["text"] for v in variants) for name, variants in domain()["responses"].items() if name in ours}
    assert len(texts) > 40
    for name, text in texts.items():
        for sentence in re.split(r"(?<=[.?!:])\s+", text):
            assert len(sentence.split()) <= 22, f"{name}: {sentence}"
        assert " u " not in f" {text.lower()} ", name  # B1 here means "je"


def test_one_question_at_a_time():
    # These come right before another question (the form's, or utter_vraag_zorg), so they ask none.
    no_question = ["utter_intro", "utter_terug", "utter_plaats_nodig", "utter_fallback_kort", "utter_tweede_thema",
                   "utter_voorbeeldgegevens", "utter_resultaten", "utter_resultaten_regio", "utter_activiteit",
                   "utter_geen_match", "utter_geen_meer", "utter_wat_ben_jij", "utter_privacy"]
    no_question += [name for name in domain()["responses"] if name.startswith(("utter_normaal_", "utter_hulplijn_"))]
    for name in no_question:
        assert "?" not in _text(name), name
    for name in _our_responses():
        for variant in domain()["responses"][name]:
            assert variant["text"].count("?") <= 1, name
