"""The conversation's texts: domain.yml (what rules and stories use) and the templates
only actions say (actions/teksten_*.yml): complete, used, honest and in step with the vocabularies."""
from __future__ import annotations

import ast
import re
import string
import warnings

from dialogue_helpers import domain

from actions._teksten import TEMPLATE_FILES, templates
from bot.settings import PROJECT_ROOT
from sociale_kaart.taxonomy import load_taxonomy

ACTION_FILES = sorted(p.name for p in (PROJECT_ROOT / "actions").glob("*.py") if p.name != "__init__.py")
OUR_ACTION_FILES = [name for name in ACTION_FILES if not name.startswith(("handoff", "_handoff"))]
# Slot values that happen to contain a space (the moment buttons and NLU send them); not sentences.
VALUES_NOT_SENTENCES = {"maakt niet uit"}


def _our_responses() -> set[str]:
    """Responses used by our rules and actions (safety and hand-off have their own tests)."""
    rules = (PROJECT_ROOT / "data" / "rules.yml").read_text(encoding="utf-8")
    ours = set(re.findall(r"action: (utter_[a-z_]+)", rules))
    for file in OUR_ACTION_FILES:
        ours |= set(re.findall(r'"(utter_[a-z_]+)"', (PROJECT_ROOT / "actions" / file).read_text(encoding="utf-8")))
    return ours


def _text(name: str) -> str:
    return " ".join(variant["text"] for variant in domain()["responses"][name])


def _template_calls() -> list[tuple[str, set[str], set[str] | None]]:
    """Every call of utter(dispatcher, NAME, ...) or fill(NAME, ...) in actions/: file, the names it
    can send (every string in the NAME expression) and its keyword values (None with **values)."""
    calls = []
    for file in ACTION_FILES:
        tree = ast.parse((PROJECT_ROOT / "actions" / file).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            position = {"utter": 1, "fill": 0}.get(node.func.id)
            if position is None or file == "_teksten.py":  # the loader itself
                continue
            strings = [n for n in ast.walk(node.args[position]) if isinstance(n, ast.Constant)]
            names = {n.value for n in strings if isinstance(n.value, str)}
            keywords = {k.arg for k in node.keywords if k.arg not in (None, "buttons")}
            calls.append((file, names, None if any(k.arg is None for k in node.keywords) else keywords))
    return calls


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


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
    assert templates()["voorbeeldgegevens"]["text"] == "Let op: dit zijn voorbeeldgegevens."


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


def test_every_template_an_action_uses_exists_and_gets_its_values():
    calls = _template_calls()
    assert len(calls) > 40
    for file, names, keywords in calls:
        assert names, f"{file}: a template name must be written out, so this test can check it"
        for name in names:
            assert name in templates(), f"{file}: {name}"
            if keywords is not None:  # with **values (the activity lines) the action test checks the text
                assert keywords == _placeholders(templates()[name]["text"]), f"{file}: {name}"


def test_every_template_is_used_by_an_action():
    used = set().union(*(names for _, names, _ in _template_calls()))
    assert sorted(set(templates()) - used) == []


def test_templates_are_well_formed_and_not_also_domain_responses():
    responses = domain()["responses"]
    assert [p.name for p in TEMPLATE_FILES] == ["teksten_handoff.yml", "teksten_zoeken.yml"]
    for name, template in templates().items():
        assert set(template) <= {"text", "buttons", "custom"}, name
        assert f"utter_{name}" not in responses, name
        for button in template.get("buttons", []):
            assert set(button) == {"title", "payload"} and button["payload"].startswith("/"), name
    # The channel's intake keeps the answer to these out of Rasa (docs/privacy.md).
    for name, template in templates().items():
        if re.fullmatch(r"ask_handoff_(naam|contact|notitie)(_hulp|_telefoon|_email)?", name):
            assert template["custom"]["pii_request"] in ("naam", "contact", "notitie"), name
        elif name == "handoff_verwijder_controle":  # the second factor for deletion by code
            assert template["custom"]["pii_request"] == "verificatie", name
        elif name == "status_controle":  # the second factor for a status lookup by code
            assert template["custom"]["pii_request"] == "verificatie_status", name
        else:
            assert "pii_request" not in template.get("custom", {}), name


def test_rasa_validator_finds_no_unused_intent_or_response():
    """`rasa data validate` warns, without failing, about intents and responses no story or rule uses."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    with warnings.catch_warnings(record=True) as caught:  # Rasa's own notes while loading stay quiet too
        warnings.simplefilter("always")
        importer = TrainingDataImporter.load_from_config(
            str(PROJECT_ROOT / "config.yml"), str(PROJECT_ROOT / "domain.yml"), [str(PROJECT_ROOT / "data")]
        )
        validator = Validator.from_importer(importer)
        assert validator.verify_intents_in_stories(ignore_warnings=False)
        assert validator.verify_utterances_in_stories(ignore_warnings=False)
    unused = [str(w.message) for w in caught if "is not used in any story or rule" in str(w.message)]
    assert unused == []


def test_no_resident_sentence_hides_in_our_actions():
    # Dutch text belongs in domain.yml or actions/teksten_*.yml;
    # a quoted phrase with spaces in an action is suspect.
    for file in ACTION_FILES:
        source = (PROJECT_ROOT / "actions" / file).read_text(encoding="utf-8")
        code = re.sub(r'""".*?"""', "", source, flags=re.S)
        code = "\n".join(line.split("#")[0] for line in code.splitlines() if "logger." not in line)
        phrases = [p for p in re.findall(r'"([^"\n]*)"', code) if " " in p.strip() and not p.startswith("/")]
        phrases = [p for p in phrases if p not in VALUES_NOT_SENTENCES and not p.startswith("{path.name}")]
        assert phrases == [], f"{file}: {phrases}"


def test_conversation_responses_are_short_b1_sentences():
    ours = _our_responses()
    texts = {name: " ".join(v["text"] for v in variants) for name, variants in domain()["responses"].items() if name in ours}
    texts |= {name: template["text"] for name, template in templates().items()}
    assert len(texts) > 70
    for name, text in texts.items():
        for sentence in re.split(r"(?<=[.?!:])\s+", text):
            assert len(sentence.split()) <= 22, f"{name}: {sentence}"
        assert " u " not in f" {text.lower()} ", name  # B1 here means "je"


def test_one_question_at_a_time():
    # These come right before another question (the form's, or utter_vraag_zorg), so they ask none.
    no_question = ["utter_intro", "utter_terug", "utter_plaats_nodig", "utter_fallback_kort", "utter_wat_ben_jij",
                   "utter_privacy"]
    no_question += [name for name in domain()["responses"] if name.startswith(("utter_normaal_", "utter_hulplijn_"))]
    for name in no_question:
        assert "?" not in _text(name), name
    no_question_templates = ["tweede_thema", "voorbeeldgegevens", "resultaten", "resultaten_regio",
                             "activiteit", "geen_match", "geen_meer"]
    for name in no_question_templates:
        assert "?" not in templates()[name]["text"], name
    for name in _our_responses():
        for variant in domain()["responses"][name]:
            assert variant["text"].count("?") <= 1, name
    for name, template in templates().items():
        assert template["text"].count("?") <= 1, name
