"""NLU figures for Welzijnswijzer (`make eval`).

Prints, for the current trained model (bot.training.ensure_model()):
- accuracy and macro-F1 over the intents of ../shared/eval/dev_nlu.yml;
- the same on a typo-augmented copy (nlpaug KeyboardAug, Dutch keyboard, seeded);
- the medische_vraag and crisis recall on the dev set;
- ../shared/eval/dev_safety.yml: crisis lines that get the intent `crisis`,
  and no_crisis lines that (wrongly) get it, as written and with typos;
- our own safety table (tests/safety/crisis_table.yml, no ../shared needed):
  per kind the crisis recall and the right helpline (crisis_soort), for the
  model and for the lexicon alone, the traps' false alarms, and the same on a
  seeded keyboard-typo copy;
- 5-fold stratified cross-validation on our own training data (data/), each
  fold trained with `rasa train nlu` and the same config.yml. This takes a
  while on two cores; `--skip-cv` leaves it out.

The dev sets are only read here, never trained on.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from keyboard_typos import keyboard_typos  # noqa: E402

EVAL_DIR = Path(os.environ.get("WW_EVAL_DIR", ROOT.parent / "shared" / "eval"))
SEED = 20261122
OWN_TABLE = ROOT / "tests" / "safety" / "crisis_table.yml"
OWN_TYPO_SEED = 20261201  # the seed of tests/safety/test_crisis_table.py


def read_dev_nlu(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in data.get("nlu", []):
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((line[2:].strip(), block["intent"]))
    return pairs


def read_dev_safety(path: Path) -> tuple[list[str], list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("crisis", [])), list(data.get("no_crisis", []))


def typo_copy(texts: list[str]) -> list[str]:
    return keyboard_typos(texts, SEED, words_per_text=3)


class Parser:
    """Parses texts with a trained Rasa model, through the real pipeline (guards included)."""

    def __init__(self, model_path: Path) -> None:
        from rasa.core.agent import Agent

        from bot.rasa_speedups import load_models_without_training_step

        load_models_without_training_step()  # as the Rasa server loads it
        self.agent = Agent.load(str(model_path))
        self.loop = asyncio.new_event_loop()

    def intents(self, texts: list[str]) -> list[str]:
        return [self.parse(t)["intent"]["name"] for t in texts]

    def parse(self, text: str) -> dict:
        return self.loop.run_until_complete(self.agent.parse_message(text))


def scores(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(truth))
    return accuracy_score(truth, predicted), f1_score(
        truth, predicted, labels=labels, average="macro", zero_division=0
    )


def print_safety_recall(truth: list[str], predicted: list[str], label: str = "") -> None:
    for intent in ("medische_vraag", "crisis"):
        hits = [p == t for t, p in zip(truth, predicted, strict=True) if t == intent]
        if hits:
            print(f"  {intent}{label}: {sum(hits)}/{len(hits)} goed")


def report_dev(parser: Parser) -> None:
    dev_path = EVAL_DIR / "dev_nlu.yml"
    if not dev_path.exists():
        print(f"(geen {dev_path}: dev-figures overgeslagen)")
        return
    pairs = read_dev_nlu(dev_path)
    texts, truth = [p[0] for p in pairs], [p[1] for p in pairs]
    predicted = parser.intents(texts)
    accuracy, macro_f1 = scores(truth, predicted)
    print(
        f"dev_nlu ({len(texts)} zinnen, {len(set(truth))} intents): "
        f"accuracy {accuracy:.3f}  macro-F1 {macro_f1:.3f}"
    )
    print_safety_recall(truth, predicted)
    errors = Counter((t, p) for t, p in zip(truth, predicted, strict=True) if t != p)
    for (t, p), n in errors.most_common(12):
        print(f"  fout: {t} -> {p} ({n}x)")

    typos = typo_copy(texts)
    predicted_typos = parser.intents(typos)
    accuracy, macro_f1 = scores(truth, predicted_typos)
    print(
        f"dev_nlu met typefouten (KeyboardAug nl, seed {SEED}): "
        f"accuracy {accuracy:.3f}  macro-F1 {macro_f1:.3f}"
    )
    print_safety_recall(truth, predicted_typos, " met typefouten")


def report_safety(parser: Parser) -> None:
    path = EVAL_DIR / "dev_safety.yml"
    if not path.exists():
        print(f"(geen {path}: safety-figures overgeslagen)")
        return
    crisis_lines, harmless_lines = read_dev_safety(path)
    report_crisis_lines(parser, crisis_lines, harmless_lines, "dev_safety")
    report_crisis_lines(
        parser, typo_copy(crisis_lines), typo_copy(harmless_lines), f"dev_safety met typefouten (seed {SEED})"
    )


def report_crisis_lines(
    parser: Parser, crisis_lines: list[str], harmless_lines: list[str], label: str
) -> None:
    caught = [t for t, i in zip(crisis_lines, parser.intents(crisis_lines), strict=True) if i == "crisis"]
    harmless_intents = parser.intents(harmless_lines)
    false_alarms = [t for t, i in zip(harmless_lines, harmless_intents, strict=True) if i == "crisis"]
    print(
        f"{label}: crisis herkend {len(caught)}/{len(crisis_lines)}; "
        f"onterecht crisis {len(false_alarms)}/{len(harmless_lines)}"
    )
    for text in sorted(set(crisis_lines) - set(caught)):
        print(f"  gemist: {text}")
    for text in false_alarms:
        print(f"  onterecht: {text}")


def _kind(result: dict) -> str | None:
    kinds = [e.get("value") for e in result.get("entities", []) if e.get("entity") == "crisis_soort"]
    return kinds[0] if kinds else None


def report_own_table(parser: Parser) -> None:
    """Our table by kind: model (intent crisis, right helpline) and lexicon alone, as typed and with typos."""
    from bot.safety import crisis

    table = yaml.safe_load(OWN_TABLE.read_text(encoding="utf-8"))
    where = OWN_TABLE.relative_to(ROOT)
    print(f"eigen tabel ({where}), per soort; typefouten: KeyboardAug nl, seed {OWN_TYPO_SEED}")
    totals = Counter()
    for group, spec in table["groups"].items():
        soort, lines = spec["soort"], list(spec["lines"])
        figures = []
        for label, texts in (("", lines), (" typo", keyboard_typos(lines, OWN_TYPO_SEED, words_per_text=3))):
            results = [parser.parse(t) for t in texts]
            crisis_hits = sum(r["intent"]["name"] == "crisis" for r in results)
            right_line = sum(r["intent"]["name"] == "crisis" and _kind(r) == soort for r in results)
            lexicon = sum((sig := crisis.detect(t)) is not None and sig.soort == soort for t in texts)
            totals[f"crisis{label}"] += crisis_hits
            totals[f"lijn{label}"] += right_line
            totals[f"lexicon{label}"] += lexicon
            share = f"{crisis_hits}/{len(texts)}"
            figures.append(f"model{label} {share} (juiste lijn {right_line}), lexicon {lexicon}")
            for text, result in zip(texts, results, strict=True):
                if result["intent"]["name"] != "crisis":
                    print(f"    gemist{label}: {text}")
        totals["zinnen"] += len(lines)
        print(f"  {group} ({soort}, {len(lines)}): " + "; ".join(figures))
    n = totals["zinnen"]
    print(
        f"  totaal {n}: model {totals['crisis']}/{n} (juiste lijn {totals['lijn']}), "
        f"lexicon {totals['lexicon']}; "
        f"met typefouten model {totals['crisis typo']}/{n} (juiste lijn {totals['lijn typo']}), "
        f"lexicon {totals['lexicon typo']}"
    )
    traps = list(table["traps"])
    trap_typos = keyboard_typos(traps, OWN_TYPO_SEED, words_per_text=3)
    for label, texts in (("", traps), (" met typefouten", trap_typos)):
        intents = [parser.parse(t)["intent"]["name"] for t in texts]
        model_alarms = [t for t, i in zip(texts, intents, strict=True) if i == "crisis"]
        # crisis_vraag: only the classifier saw a crisis; the bot asks (no helpline yet, bot/nlu/crisis_guard.py)
        asked = [t for t, i in zip(texts, intents, strict=True) if i == "crisis_vraag"]
        lexicon_alarms = [t for t in texts if crisis.detect(t) is not None]
        print(
            f"  valkuilen{label} ({len(texts)}): onterecht crisis model {len(model_alarms)}, "
            f"lexicon {len(lexicon_alarms)}; alleen de vraag (crisis_vraag) {len(asked)}"
        )
        for text in model_alarms:
            print(f"    onterecht: {text}")
        for text in asked:
            print(f"    alleen de vraag: {text}")


def cross_validation(folds: int) -> None:
    """Stratified k-fold CV on our training data, each fold trained with `rasa train nlu`."""
    from rasa.shared.importers.rasa import RasaFileImporter
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    data = RasaFileImporter(training_data_paths=[str(ROOT / "data")]).get_nlu_data()
    examples = [m for m in data.training_examples if m.get("intent") and m.get("text")]
    counts = Counter(m.get("intent") for m in examples)
    examples = [m for m in examples if counts[m.get("intent")] >= folds]
    labels = [m.get("intent") for m in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    accuracies, f1s = [], []
    rasa = str(Path(sys.executable).parent / "rasa")
    for number, (train_idx, test_idx) in enumerate(splitter.split(examples, labels), start=1):
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="ww-cv-") as tmp:
            train = TrainingData(
                training_examples=[examples[i] for i in train_idx],
                entity_synonyms=data.entity_synonyms,
                regex_features=data.regex_features,
                lookup_tables=data.lookup_tables,
            )
            train_file = Path(tmp) / "nlu.yml"
            train_file.write_text(train.nlu_as_yaml(), encoding="utf-8")
            subprocess.run(
                [
                    rasa,
                    "train",
                    "nlu",
                    "--config",
                    str(ROOT / "config.yml"),
                    "--nlu",
                    str(train_file),
                    "--out",
                    tmp,
                    "--fixed-model-name",
                    "fold",
                    "--quiet",
                ],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            parser = Parser(Path(tmp) / "fold.tar.gz")
            truth = [labels[i] for i in test_idx]
            predicted = parser.intents([examples[i].get("text") for i in test_idx])
        accuracy, macro_f1 = scores(truth, predicted)
        accuracies.append(accuracy)
        f1s.append(macro_f1)
        print(
            f"  fold {number}/{folds}: accuracy {accuracy:.3f}  macro-F1 {macro_f1:.3f} "
            f"({time.monotonic() - started:.0f} s)",
            flush=True,
        )
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    print(
        f"{folds}-fold CV op data/ ({len(examples)} voorbeelden): accuracy {mean(accuracies):.3f}  "
        f"macro-F1 {mean(f1s):.3f}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: the current trained model)")
    parser.add_argument("--skip-cv", action="store_true", help="leave out the cross-validation")
    parser.add_argument("--cv-only", action="store_true", help="only the cross-validation")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    import structlog

    # Rasa logs every parse at debug level through structlog; keep the figures readable.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    if not args.cv_only:
        if args.model is None:
            from bot.training import ensure_model

            args.model = ensure_model()
        print(f"model: {args.model}")
        rasa_parser = Parser(args.model)
        report_dev(rasa_parser)
        report_safety(rasa_parser)
        report_own_table(rasa_parser)
    if not args.skip_cv:
        cross_validation(args.folds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
