"""`python -m bot.action_server --actions actions --port N`: the Rasa SDK action
server (what `rasa run actions` starts), with our log protection installed first
(bot.logging_setup: quiet libraries, secrets redacted from every record).

TensorFlow is kept out: nothing here needs it, but spaCy (the catalogue's Dutch lemma
table, sociale_kaart.text) imports thinc, which imports TensorFlow when it is installed
(Rasa needs it) - about 210 MB of the action server's memory (450 -> 240 MB RSS after
the warm-up, docs/measurements.md). `BLOCKED_MODULES` makes that import fail as if
TensorFlow were not installed; thinc then simply goes without it."""

from __future__ import annotations

import sys

from bot.logging_setup import protect_process_logs
from bot.settings import Settings

BLOCKED_MODULES = ("tensorflow",)


def block_unneeded_modules() -> None:
    for name in BLOCKED_MODULES:
        if name not in sys.modules:
            sys.modules[name] = None  # `import tensorflow` raises ImportError from now on


def main() -> None:
    block_unneeded_modules()
    settings = Settings.from_env()
    protect_process_logs(settings)
    from rasa_sdk.__main__ import main as sdk_main

    from actions._kaart import warm_up_in_background

    warm_up_in_background()

    sys.argv[0] = "rasa_sdk"
    sdk_main()


if __name__ == "__main__":
    main()
