"""`python -m bot.web`: serve the web app with uvicorn on Settings.web_host:web_port."""
from __future__ import annotations

import logging
import os

import uvicorn

from bot.settings import Settings
from bot.web.app import create_app


def main() -> None:
    settings = Settings.from_env()
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Connection-level chatter of the Rasa/health calls; it carries no texts but drowns the log.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # One worker: the offered button payloads are kept in this process's memory.
    # uvicorn's access log has paths only (never bodies), which is fine.
    uvicorn.run(
        create_app(settings),
        host=settings.web_host,
        port=settings.web_port,
        log_level=level.lower(),
        proxy_headers=True,
        ws="none",  # no websockets here; uvicorn's ws support does not import with Rasa's websockets pin
        server_header=False,
    )


if __name__ == "__main__":
    main()
