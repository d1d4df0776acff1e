"""action_gemeente_van_site: the gemeente of the website from the metadata of the widget's start."""
from __future__ import annotations

import pytest
import yaml
from dialogue_helpers import load_tracker, rendered, responses, run_action
from rasa_sdk.events import SlotSet

from actions.session_start import ActionGemeenteVanSite
from bot.settings import PROJECT_ROOT


def _tracker(metadata, **slots):
    return load_tracker("plaats_gevraagd", slots=slots, latest_message={"metadata": metadata})


def test_a_known_code_introduces_the_bot_sets_the_gemeente_and_says_so_in_one_line():
    tracker = _tracker({"gemeente_code": "GM0402"})
    events, dispatcher = run_action(ActionGemeenteVanSite(), tracker)
    assert events == [SlotSet("gemeente_code", "GM0402"), SlotSet("gemeente_naam", "Hilversum")]
    # The honest-bot introduction first: the resident's first message is no longer the conversation's start.
    assert responses(dispatcher) == ["utter_intro", "gemeente_van_site"]
    assert rendered(dispatcher, tracker)[1] == "Ik zoek in Hilversum. Woon je ergens anders? Zeg het maar."


def test_after_the_bot_spoke_only_the_gemeente_line():
    tracker = _tracker({"gemeente_code": "GM1942"})
    tracker.events.append({"event": "bot", "text": "Hoi!"})
    events, dispatcher = run_action(ActionGemeenteVanSite(), tracker)
    assert responses(dispatcher) == ["gemeente_van_site"]
    assert SlotSet("gemeente_naam", "Gooise Meren") in events


def test_the_same_gemeente_again_keeps_the_slots_silently():
    tracker = _tracker({"gemeente_code": "GM0402"}, gemeente_code="GM0402", gemeente_naam="Hilversum")
    events, dispatcher = run_action(ActionGemeenteVanSite(), tracker)
    assert SlotSet("gemeente_code", "GM0402") in events and dispatcher.messages == []


@pytest.mark.parametrize("metadata", [None, {}, {"gemeente_code": "GM9999"}, {"gemeente_code": 402},
                                      {"gemeente_code": "Hilversum"}, "GM0402"])
def test_no_or_an_unknown_code_changes_nothing(metadata):
    events, dispatcher = run_action(ActionGemeenteVanSite(), _tracker(metadata))
    assert events == [] and dispatcher.messages == []


def test_sessions_start_with_rasas_own_action_so_the_first_message_needs_no_action_server():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert "action_session_start" not in domain["actions"]
    assert "action_gemeente_van_site" in domain["actions"]
