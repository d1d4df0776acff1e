"""RulePolicy's rule search: Rasa's own against bot.rasa_speedups.speed_up_rule_lookup.

    .venv/bin/python bench/rule_lookup_bench.py [--model var/models/<hash>.tar.gz] [--cases 300]

Takes the rules of the trained model (RulePolicy's lookup table) and conversations that end
with one of those rules after 0-24 random earlier states (the featurizer's state format),
and prints the CPU ms per search (`RulePolicy._get_possible_keys`, `time.process_time`) of
both, twice each, and whether both found the same rules for every conversation.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACTIONS = ["action_listen", "utter_groet", "action_zoek_aanbod", "utter_vraag_gemeente"]
INTENTS = ["groet", "eenzaamheid", "schulden", "bevestig", "ontken"]


def random_state(rng: random.Random, should_not_be_set: str) -> dict:
    state: dict = {"prev_action": {"action_name": rng.choice(ACTIONS)}}
    if rng.random() < 0.7:
        state["user"] = {"intent": rng.choice(INTENTS)}
    if rng.random() < 0.4:
        state["slots"] = {"gemeente": rng.choice([(1.0,), should_not_be_set])}
    return state


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    model = args.model or Path(max(glob.glob(str(ROOT / "var/models/*.tar.gz")), key=lambda p: Path(p).stat().st_mtime))
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.constants import SHOULD_NOT_BE_SET

    from bot.rasa_speedups import speed_up_rule_lookup

    with tarfile.open(model) as archive:
        [member] = [m for m in archive.getmembers() if m.name.endswith("rule_policy.json")]
        lookup = json.load(archive.extractfile(member))["lookup"]["rules"]
    speed_up_rule_lookup()
    patched = RulePolicy._get_possible_keys
    original = patched.rasa_original
    policy = object.__new__(RulePolicy)  # the search uses no state of the policy itself
    rng = random.Random(1)
    keys = list(lookup)
    cases = []
    for _ in range(args.cases):
        rule = json.loads(rng.choice(keys))
        earlier = max(0, rng.randint(5, 25) - len(rule))
        cases.append([random_state(rng, SHOULD_NOT_BE_SET) for _ in range(earlier)] + rule)
    print(f"model {model.name}: {len(lookup)} rules, {len(cases)} conversations")
    for name, search in (("rasa", original), ("speed_up_rule_lookup", patched)) * 2:
        started = time.process_time()
        found = [search(policy, lookup, states) for states in cases]
        per_search = (time.process_time() - started) / len(cases) * 1000
        print(f"{name:<22} {per_search:.3f} ms CPU per search, {sum(map(bool, found))} with a rule")
    same = all(original(policy, lookup, states) == patched(policy, lookup, states) for states in cases)
    print(f"same rules found for every conversation: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
