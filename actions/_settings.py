"""The action server's settings (bot.settings), for the actions' library calls.

Read per call rather than cached: it is cheap, and a test that changes the
environment between actions sees the change.
"""

from __future__ import annotations

from bot.settings import Settings


def settings() -> Settings:
    return Settings.from_env()
