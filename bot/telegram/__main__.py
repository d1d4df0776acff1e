"""`python -m bot.telegram`: run the Telegram bridge until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.telegram.service import run_bridge

log = logging.getLogger("bot.telegram")


async def _main(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await run_bridge(settings, stop)


def main() -> int:
    settings = Settings.from_env()
    # PTB logs request parameters (message texts) at DEBUG and httpx logs URLs that
    # contain the bot token at INFO: both stay at WARNING; secrets are redacted anyway.
    configure_logging(settings)
    if not settings.telegram_bot_token:
        log.error("TELEGRAM_BOT_TOKEN is not set: the Telegram bridge does not start")
        return 2
    asyncio.run(_main(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
