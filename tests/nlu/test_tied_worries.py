"""Two worries in one message tie in the classifier; the InputGuard lets the stronger one win."""
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.input_guard import tied_worry


def _message(intent: str, ranking: list[tuple[str, float]]) -> Message:
    return Message(data={
        "text": "ik ben vaak alleen en daarnaast heb ik ook schulden",
        "intent": {"name": intent, "confidence": 0.4},
        "intent_ranking": [{"name": name, "confidence": conf} for name, conf in ranking],
    })


def test_two_tied_worries_give_the_stronger_one():
    message = _message("nlu_fallback", [("nlu_fallback", 0.4), ("thema_eenzaamheid", 0.47), ("thema_geldzorgen", 0.46)])
    assert tied_worry(message) == ("thema_eenzaamheid", 0.47)


def test_a_tie_with_something_else_than_a_worry_stays_a_fallback():
    message = _message("nlu_fallback", [("nlu_fallback", 0.4), ("thema_eenzaamheid", 0.45), ("begroeten", 0.44)])
    assert tied_worry(message) is None


def test_two_weak_worries_stay_a_fallback():
    message = _message("nlu_fallback", [("nlu_fallback", 0.4), ("thema_eenzaamheid", 0.25), ("thema_geldzorgen", 0.2)])
    assert tied_worry(message) is None


def test_a_clear_intent_is_left_alone():
    message = _message("thema_eenzaamheid", [("thema_eenzaamheid", 0.9), ("thema_geldzorgen", 0.05)])
    assert tied_worry(message) is None
