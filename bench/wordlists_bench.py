"""Memory and CPU of the crisis lexicon's Dutch word lists in one process (docs/measurements.md).

    .venv/bin/python bench/wordlists_bench.py

Prints RSS (VmRSS, VmHWM of /proc/self/status) after the imports and after
`crisis.warm_up()`, the CPU of one word look-up (timeit) and of `crisis.detect` over
our crisis table and a keyboard-typo copy of it, with cold caches. Run it on another
checkout (PYTHONPATH=<checkout>) to compare.
"""

from __future__ import annotations

import random
import time
import timeit
from pathlib import Path

import yaml

from bot.privacy import masking
from bot.safety import crisis

TABLE = Path(__file__).resolve().parents[1] / "tests" / "safety" / "crisis_table.yml"
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def status() -> dict[str, float]:
    figures = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split()[:2]
            figures[key[:-1]] = int(value) / 1024
    return figures


def table_lines() -> list[str]:
    lines: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                lines.append(value) if isinstance(value, str) else walk(value)

    walk(yaml.safe_load(TABLE.read_text(encoding="utf-8")))
    return lines


def keyboard_copy(lines: list[str]) -> list[str]:
    position = {key: (row, col) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)}
    near = {
        key: [o for o, (r2, c2) in position.items() if o != key and abs(r2 - r) <= 1 and abs(c2 - c) <= 1]
        for key, (r, c) in position.items()
    }
    rng = random.Random(5)
    copies = []
    for line in lines:
        chars = list(line)
        letters = [i for i, ch in enumerate(chars) if ch in near]
        for i in rng.sample(letters, min(2, len(letters))):
            chars[i] = rng.choice(near[chars[i]])
        copies.append("".join(chars))
    return copies


def main() -> None:
    print("crisis module:", crisis.__file__)
    before = status()
    start = time.process_time()
    crisis.warm_up()
    crisis.detect("warm")
    dutch = masking._dutch_words()
    cpu = time.process_time() - start
    after = status()
    print(
        f"RSS after imports {before['VmRSS']:.0f} MB; after warm-up {after['VmRSS']:.0f} MB "
        f"(HWM {after['VmHWM']:.0f} MB); warm-up CPU {cpu:.2f} s"
    )
    from bot.nlp.spelling import common_dutch_words

    common = common_dutch_words()
    words = random.Random(1).sample(sorted(common), 2000) + ["skaap", "geslaren", "xqzt", "dlokt"] * 500
    as_set = frozenset(common)
    per = {}
    for name, container in (("word list", common), ("frozenset", as_set)):
        seconds = min(timeit.repeat(lambda c=container: [w in c for w in words], number=20, repeat=5))
        per[name] = seconds / (20 * len(words)) * 1e9
    print(f"one look-up: word list {per['word list']:.0f} ns, frozenset {per['frozenset']:.0f} ns")
    print(f"Dutch words {len(dutch)}, common {len(common)}")
    lines = table_lines()
    messages = lines + keyboard_copy(lines)
    start = time.process_time()
    found = sum(crisis.detect(message) is not None for message in messages)
    cpu = time.process_time() - start
    each = 1000 * cpu / len(messages)
    print(f"crisis.detect: {len(messages)} messages, {found} crisis, {each:.3f} ms CPU each")


if __name__ == "__main__":
    main()
