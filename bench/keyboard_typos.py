"""Seeded keyboard typos (nlpaug KeyboardAug, Dutch keyboard): typo training data and eval copy."""

from __future__ import annotations

import random


def keyboard_typos(texts: list[str], seed: int, words_per_text: int) -> list[str]:
    """Each text with up to `words_per_text` words given 1–2 keyboard typos; same seed, same output."""
    import nlpaug.augmenter.char as nac
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    augmenter = nac.KeyboardAug(
        lang="nl",
        aug_char_p=0.1,
        aug_char_max=2,
        aug_word_p=0.3,
        aug_word_max=words_per_text,
        include_special_char=False,
        include_numeric=False,
        include_upper_case=False,
    )
    out = []
    for text in texts:
        augmented = augmenter.augment(text)
        out.append(augmented[0] if isinstance(augmented, list) else augmented)
    return out
