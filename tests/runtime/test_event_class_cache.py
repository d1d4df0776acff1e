"""bot.rasa_speedups.cache_event_classes: Rasa's Event.resolve_by_type answers as before
(every event name, unknown names, the default), and a newly defined Event class is found."""

from __future__ import annotations

import pytest

from bot.rasa_speedups import cache_event_classes


def _walk(type_name):
    """Rasa's own lookup: the first class of the subclass walk with that name."""
    import rasa.shared.utils.common as common
    from rasa.shared.core.events import Event

    return next((cls for cls in common.all_subclasses(Event) if cls.type_name == type_name), None)


def test_every_event_name_resolves_to_the_class_rasas_walk_finds():
    import rasa.shared.utils.common as common
    from rasa.shared.core.events import ActionExecuted, Event, UserUttered

    cache_event_classes()
    cache_event_classes()  # installing twice changes nothing
    names = {cls.type_name for cls in common.all_subclasses(Event)}
    assert {"user", "action", "slot", "bot", "session_started"} <= names
    for _ in range(2):  # remembered answers equal the first ones
        for name in names:
            assert Event.resolve_by_type(name) is _walk(name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("bestaat-niet", default=UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("bestaat-niet")
    event = Event.from_parameters({"event": "action", "name": "action_listen", "timestamp": 1.0})
    assert isinstance(event, ActionExecuted) and event.action_name == "action_listen"


def test_an_event_class_defined_later_is_found():
    from rasa.shared.core.events import Event, SlotSet

    cache_event_classes()
    assert Event.resolve_by_type("ww_proef_event", default=SlotSet) is SlotSet

    class WwProefEvent(SlotSet):
        type_name = "ww_proef_event"

    assert Event.resolve_by_type("ww_proef_event") is WwProefEvent
    assert Event.resolve_by_type("slot") is _walk("slot") is SlotSet
