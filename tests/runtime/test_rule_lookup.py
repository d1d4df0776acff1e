"""bot.rasa_speedups.speed_up_rule_lookup: RulePolicy finds exactly the rules Rasa's own
search finds, for rules and conversations of every length (seeded random states in the
format of Rasa's featurizer: conversation starts, previous actions by name and by text,
SHOULD_NOT_BE_SET, empty conversations)."""

from __future__ import annotations

import json
import random

from bot.rasa_speedups import speed_up_rule_lookup

ACTIONS = ["action_listen", "utter_groet", "action_zoek_aanbod", "aanmeld_form", "utter_vraag_gemeente"]
INTENTS = ["groet", "eenzaamheid", "schulden", "bevestig", "ontken"]


def _state(rng: random.Random, should_not_be_set: str, start: bool = False) -> dict:
    state: dict = {}
    if not start:
        roll = rng.random()
        if roll < 0.8:
            state["prev_action"] = {"action_name": rng.choice(ACTIONS)}
        elif roll < 0.9:
            state["prev_action"] = {"action_text": "Hoi"}
        else:
            state["prev_action"] = {"action_name": should_not_be_set}
    if rng.random() < 0.7:
        state["user"] = {"intent": rng.choice(INTENTS)}
    if rng.random() < 0.4:
        state["slots"] = {"gemeente": rng.choice([(1.0,), should_not_be_set])}
    if rng.random() < 0.3:
        state["active_loop"] = {"name": rng.choice(["aanmeld_form", should_not_be_set])}
    return state


def _lookup(rng: random.Random, should_not_be_set: str) -> dict[str, str]:
    rules = {json.dumps([]): "action_listen"}
    for _ in range(150):
        length = rng.randint(1, 7)
        states = [_state(rng, should_not_be_set, start=(i == 0 and rng.random() < 0.2)) for i in range(length)]
        rules[json.dumps(states)] = rng.choice(ACTIONS)
    return rules


def _conversation(rng, lookup, should_not_be_set) -> list[dict]:
    length = rng.randint(0, 25)
    if rng.random() < 0.5:  # end with a rule's own states, so that rules match
        rule = json.loads(rng.choice(list(lookup)))
        prefix = [_state(rng, should_not_be_set) for _ in range(max(0, length - len(rule)))]
        states = prefix + rule
    else:
        states = [_state(rng, should_not_be_set, start=(i == 0)) for i in range(length)]
    for state in states:  # the featurizer gives tuples where the rules' JSON has lists
        if "slots" in state and isinstance(state["slots"]["gemeente"], list):
            state["slots"] = {"gemeente": tuple(state["slots"]["gemeente"])}
    return states


def test_the_same_rules_match_as_with_rasas_search():
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import SHOULD_NOT_BE_SET

    speed_up_rule_lookup()
    speed_up_rule_lookup()  # installing twice changes nothing
    patched = RulePolicy._get_possible_keys
    original = patched.rasa_original
    assert patched is not original
    policy = object.__new__(RulePolicy)  # the search uses no state of the policy itself
    rng = random.Random(13)
    matched = 0
    for lookup in (_lookup(rng, SHOULD_NOT_BE_SET), _lookup(rng, SHOULD_NOT_BE_SET), {}):
        for _ in range(150):
            states = _conversation(rng, lookup or {json.dumps([{}]): "x"}, SHOULD_NOT_BE_SET)
            expected = original(policy, lookup, states)
            assert patched(policy, lookup, states) == expected
            matched += len(expected) > 1  # more than the empty rule
    assert matched > 50  # the comparison covered many matching conversations
