"""What a loaded model predicts, as plain data: DIET's parse (intent ranking, entities) of
texts and TED's action probabilities on the conversations of data/.

`python tests/nlu/model_outputs.py MODEL TEXTS.json OUT.json` loads MODEL with Rasa's own
`Agent.load` (no bot.rasa_speedups) and writes its outputs; tests/nlu/test_model_load.py
compares them with the model as bot.rasa_speedups loads it."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def texts_of_every_intent(per_intent: int = 6) -> list[str]:
    """The first examples of every intent in data/nlu, and every example with an entity."""
    import yaml

    chosen: list[str] = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            examples = [line.strip()[2:] for line in (block.get("examples") or "").splitlines()
                        if line.strip().startswith("- ")]
            chosen += examples[:per_intent] + [e for e in examples[per_intent:] if "](" in e or "]{" in e]
    return chosen


def model_outputs(agent, texts: list[str]) -> dict:
    import rasa.core.training
    from rasa.core.policies.ted_policy import TEDPolicy

    loop = asyncio.new_event_loop()
    parses = []
    for text in texts:
        parsed = loop.run_until_complete(agent.parse_message(text))
        parses.append({key: parsed.get(key) for key in ("text", "intent", "intent_ranking", "entities")})
    loop.close()
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    ted = next(node._component for node in nodes if isinstance(getattr(node, "_component", None), TEDPolicy))
    trackers = rasa.core.training.load_data(str(PROJECT_ROOT / "data"), agent.domain, augmentation_factor=0)
    actions = [ted.predict_action_probabilities(tracker, agent.domain).probabilities for tracker in trackers]
    return {"parses": parses, "ted": actions}


def main(model: str, texts_file: str, out_file: str) -> None:
    from rasa.core.agent import Agent

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    outputs = model_outputs(Agent.load(model), texts)
    Path(out_file).write_text(json.dumps(outputs), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
