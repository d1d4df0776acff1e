"""`python -m bot.action_server --actions actions --port N`: the Rasa SDK action
server (what `rasa run actions` starts), with our log protection installed first
(bot.logging_setup: quiet libraries, secrets redacted from every record)."""

from __future__ import annotations

import sys

from bot.logging_setup import protect_process_logs
from bot.settings import Settings


def main() -> None:
    protect_process_logs(Settings.from_env())
    from rasa_sdk.__main__ import main as sdk_main

    sys.argv[0] = "rasa_sdk"
    sdk_main()


if __name__ == "__main__":
    main()
