"""action_session_start: the gemeente of the website from the session's metadata."""
from __future__ import annotations

import pytest
from dialogue_helpers import load_tracker, rendered, responses, run_action
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet

from actions.session_start import ActionSessionStart


def _start(metadata):
    tracker = load_tracker("plaats_gevraagd", slots={"session_started_metadata": metadata})
    return run_action(ActionSessionStart(), tracker), tracker


def test_a_known_code_sets_the_gemeente_and_says_so_in_one_line():
    (events, dispatcher), tracker = _start({"gemeente_code": "GM0402"})
    metadata = {"gemeente_code": "GM0402"}
    assert events == [
        SessionStarted(), SlotSet("session_started_metadata", metadata),
        SlotSet("gemeente_code", "GM0402"), SlotSet("gemeente_naam", "Hilversum"),
        ActionExecuted("action_listen"),
    ]
    assert responses(dispatcher) == ["gemeente_van_site"]
    assert rendered(dispatcher, tracker) == ["Ik zoek in Hilversum. Woon je ergens anders? Zeg het maar."]


def test_the_same_gemeente_again_keeps_the_slots_silently():
    tracker = load_tracker("plaats_gevraagd", slots={"session_started_metadata": {"gemeente_code": "GM0402"},
                                                     "gemeente_code": "GM0402", "gemeente_naam": "Hilversum"})
    events, dispatcher = run_action(ActionSessionStart(), tracker)
    assert SlotSet("gemeente_code", "GM0402") in events and dispatcher.messages == []


@pytest.mark.parametrize("metadata", [None, {}, {"gemeente_code": "GM9999"}, {"gemeente_code": 402},
                                      {"gemeente_code": "Hilversum"}, "GM0402"])
def test_no_or_an_unknown_code_is_a_plain_session_start(metadata):
    (events, dispatcher), _ = _start(metadata)
    kept = [] if metadata is None else [SlotSet("session_started_metadata", metadata)]
    assert events == [SessionStarted(), *kept, ActionExecuted("action_listen")]
    assert dispatcher.messages == []
