"""`python -m bot.action_server --actions actions --port N`: the Rasa SDK action
server (what `rasa run actions` starts), with our log protection installed first
(bot.logging_setup: quiet libraries, secrets redacted from every record)."""

from __future__ import annotations

import sys

from bot.logging_setup import protect_process_logs
from bot.settings import Settings


def main() -> None:
    settings = Settings.from_env()
    protect_process_logs(settings)
    from rasa_sdk.__main__ import main as sdk_main

    from actions._kaart import warm_up_in_background

    warm_up_in_background()

    sys.argv[0] = "rasa_sdk"
    sdk_main()


if __name__ == "__main__":
    main()
