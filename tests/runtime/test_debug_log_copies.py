"""bot.rasa_speedups.skip_debug_log_copies: RulePolicy's and MemoizationPolicy's deep copies
of the states for a debug event are made only when that event can be logged."""

from __future__ import annotations

import inspect
import logging
import re

import rasa.core.policies.memoization as memoization
import rasa.core.policies.rule_policy as rule_policy

from bot.rasa_speedups import _CopyForDebugLog, skip_debug_log_copies

MODULES = (rule_policy, memoization)


def test_the_policies_use_copy_only_for_debug_events():
    # If a Rasa upgrade uses `copy` for real work in these modules, the stand-in must be revisited.
    for module in MODULES:
        source = inspect.getsource(module)
        uses = re.findall(r"\bcopy\.(\w+)\(", source)
        assert uses and set(uses) == {"deepcopy"}, module.__name__
        for match in re.finditer(r"copy\.deepcopy\(", source):
            before = source[max(0, match.start() - 160):match.start()]
            assert "structlogger.debug(" in before, module.__name__


def test_installed_in_both_modules():
    skip_debug_log_copies()
    skip_debug_log_copies()  # twice is once
    for module in MODULES:
        assert isinstance(module.copy, _CopyForDebugLog)
        assert module.copy.copy is __import__("copy").copy  # the rest of the module is forwarded


def test_copies_only_with_debug_enabled():
    logger = logging.getLogger("tests.debug_log_copies")
    stand_in = _CopyForDebugLog(logger.name)
    states = [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "groet"}}]
    logger.setLevel(logging.INFO)
    assert stand_in.deepcopy(states) is states
    logger.setLevel(logging.DEBUG)
    copied = stand_in.deepcopy(states)
    assert copied == states and copied is not states and copied[0] is not states[0]
