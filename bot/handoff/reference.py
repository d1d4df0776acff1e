"""The reference code of a request ("WW-KM34PQ"): its alphabet, and how to find one in typed text.

Pure Python, so the NLU components, the actions and the store share one definition."""

from __future__ import annotations

import re

# No 0/O, 1/I/L: codes are read aloud over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "WW-"
# A code as residents type it: with or without the dash, in any case.
REFERENCE_PATTERN = re.compile(r"\bWW-?[2-9A-HJ-NP-Z]{6}\b", re.IGNORECASE)
