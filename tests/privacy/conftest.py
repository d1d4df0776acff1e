"""tests/privacy uses the stand-ins of tests/telegram, whose folder name would
shadow python-telegram-bot as a package: put the folder itself on sys.path."""
from __future__ import annotations

import sys
from pathlib import Path

TELEGRAM_TESTS = str(Path(__file__).resolve().parents[1] / "telegram")
if TELEGRAM_TESTS not in sys.path:
    sys.path.append(TELEGRAM_TESTS)
