"""`python -m bot.web`: serve the web app with uvicorn on Settings.web_host:web_port."""

from __future__ import annotations

import uvicorn

from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.web.app import create_app


def main() -> None:
    settings = Settings.from_env()
    level = settings.log_level
    # httpx/httpcore at WARNING (request URLs), secrets redacted: bot.logging_setup.
    configure_logging(settings)
    # One worker per process: the replicated profile starts more web processes (bot.processes);
    # what they share (rate limits, offered buttons) is in Redis then (bot.shared_state).
    # uvicorn's access log has paths only (never bodies), which is fine.
    uvicorn.run(
        create_app(settings, freeze_heap=True),
        host=settings.web_host,
        port=settings.web_port,
        log_level=level.lower(),
        proxy_headers=True,
        ws="none",  # no websockets here; uvicorn's ws support does not import with Rasa's websockets pin
        server_header=False,
    )


if __name__ == "__main__":
    main()
