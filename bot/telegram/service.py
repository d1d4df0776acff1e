"""Run the bridge until `stop` is set: polling by default, webhook mode when
Settings.telegram_webhook_url is set."""
from __future__ import annotations

import asyncio
import contextlib
import logging

import uvicorn

from bot.handoff.intake import ContactIntake
from bot.relay import Relay
from bot.telegram.bridge import ALLOWED_UPDATES, TelegramBridge, webhook_secret_token
from bot.telegram.webhook import webhook_app, webhook_listen, webhook_path

log = logging.getLogger(__name__)


async def run_bridge(settings, stop: asyncio.Event, relay: Relay | None = None) -> None:
    relay = relay or Relay(settings, intake=ContactIntake(settings))
    await asyncio.to_thread(relay.warm_up)
    webhook_mode = bool(settings.telegram_webhook_url)
    bridge = TelegramBridge(settings, relay)
    application = bridge.build_application(with_updater=not webhook_mode)
    try:
        async with application:  # getMe at start, clean shutdown at the end
            await application.start()
            try:
                if webhook_mode:
                    await _serve_webhook(settings, application, stop)
                else:
                    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
                    log.info("telegram bridge polling")
                    await stop.wait()
            finally:
                if application.updater and application.updater.running:
                    await application.updater.stop()
                await application.stop()
    finally:
        await relay.aclose()


async def _serve_webhook(settings, application, stop: asyncio.Event) -> None:
    secret = webhook_secret_token(settings.secret_key)
    host, port = webhook_listen(settings)
    await application.bot.set_webhook(
        url=settings.telegram_webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
    )
    app = webhook_app(application, secret, webhook_path(settings.telegram_webhook_url))
    server = uvicorn.Server(uvicorn.Config(
        # ws="none": uvicorn's websocket support does not import with Rasa's websockets pin.
        # log_config=None: the process's logging is bot.logging_setup's; uvicorn's own
        # dictConfig would stop its loggers from reaching the process's handlers.
        app, host=host, port=port, ws="none", log_level="warning", access_log=False, log_config=None,
    ))
    server.capture_signals = contextlib.nullcontext  # the caller owns the signals
    serving = asyncio.create_task(server.serve())
    log.info("telegram bridge webhook on %s:%d", host, port)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopping.cancel()
    await serving
