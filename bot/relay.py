"""The one path from a channel (web chat, Telegram) to Rasa's REST channel and back.

Every resident message goes through `Relay.send`, so the rule "contact details
never reach Rasa" (docs/contracts.md) lives in one place: the contact intake may
replace the text before Rasa sees it, and may rewrite Rasa's replies (the
summary of a draft) before the channel shows them.

Logs carry sender ids, lengths and error types only, never message texts.
"""
from __future__ import annotations

import logging
import re

import httpx
from starlette.concurrency import run_in_threadpool

from bot.channel_messages import channel_text

log = logging.getLogger(__name__)

RASA_TIMEOUT = httpx.Timeout(60.0, connect=5.0)

# Rasa parses any text that starts with "/" as an intent (with entities). Typed
# text must never do that: only the server decides when a payload is sent.
_LEADING_SLASHES = re.compile(r"^[\s/]+")


def neutralise_typed_text(text: str) -> str:
    """Typed text with leading slashes (and surrounding spaces) removed."""
    return _LEADING_SLASHES.sub("", text).strip()


class RasaUnavailable(Exception):
    """Rasa did not answer, answered with an error, or answered nonsense."""


class Relay:
    def __init__(self, settings, intake=None, client: httpx.AsyncClient | None = None):
        self._intake = intake
        self._client = client or httpx.AsyncClient(timeout=RASA_TIMEOUT)
        self._owns_client = client is None
        self._webhook_url = f"{settings.rasa_url}/webhooks/rest/webhook"

    async def send(self, sender_id: str, text: str, channel: str) -> list[dict]:
        """Rasa's replies to `text` (already cleaned by the channel), or a Dutch
        "storing" message that names the crisis lines when something failed."""
        try:
            if self._intake is not None:
                text = await run_in_threadpool(self._intake.route_user_message, sender_id, text, channel)
            replies = await self._post(sender_id, text)
            if self._intake is not None:
                replies = await run_in_threadpool(self._intake.process_bot_messages, sender_id, replies)
        except RasaUnavailable as problem:
            log.warning("rasa unavailable for sender %s via %s: %s", sender_id, channel, problem)
            return self.storing_messages()
        except Exception as problem:  # noqa: BLE001 - the resident must get an answer
            # Only the type: an exception message could contain what the resident typed.
            log.error("relay failed for sender %s via %s: %s", sender_id, channel, type(problem).__name__)
            return self.storing_messages()
        log.info("relayed %d chars for sender %s via %s: %d replies",
                 len(text), sender_id, channel, len(replies))
        return replies

    @staticmethod
    def storing_messages() -> list[dict]:
        return [{"text": channel_text("relay", "storing")}]

    async def _post(self, sender_id: str, text: str) -> list[dict]:
        try:
            response = await self._client.post(self._webhook_url, json={"sender": sender_id, "message": text})
        except httpx.HTTPError as problem:
            raise RasaUnavailable(type(problem).__name__) from None
        if response.status_code != 200:
            raise RasaUnavailable(f"HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError:
            raise RasaUnavailable("no JSON") from None
        if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
            raise RasaUnavailable("unexpected JSON shape")
        return replies

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
