"""The one path from a channel (web chat, Telegram) to Rasa's REST channel and back.

Every resident message goes through `Relay.send`, so the rule "contact details
never reach Rasa" (docs/contracts.md) lives in one place: the contact intake may
replace the text before Rasa sees it, and may rewrite Rasa's replies (the
summary of a draft) before the channel shows them.

Every typed message is masked on the way (bot.privacy.masking): whatever the
intake did not take, Rasa only sees with its phone numbers, e-mail addresses,
IBANs, BSNs, addresses and names replaced by placeholders ("[telefoonnummer]").
When that happened outside a hand-off, the relay says so before Rasa's replies
and offers the hand-off (bot/channel_messages.yml, relay.contactgegeven).

With several Rasa replicas (Settings.replicas, the replicated profile) a conversation
always goes to the same replica, chosen by a hash of its sender id (`replica_order`), so
two Rasa servers never handle one conversation at the same time: Rasa's RedisLockStore
issues its tickets with a read-modify-write that is not atomic between servers (Rasa
issue #9213). Only when that replica cannot be reached at all (connection refused or
not made: the turn never arrived) does the relay try the next one, which reads the same
PostgreSQL tracker store; an answer that fails after the request was sent is never
repeated elsewhere, so no turn is handled twice.

When Rasa cannot answer at all (down, Redis lock store away, tracker store
unreadable), a message that the deterministic crisis lexicon (bot.safety.crisis)
recognises still gets the crisis reply of its kind, in the words of domain.yml's
`utter_crisis`; any other message gets the Dutch "storing" reply.

Logs carry sender ids, lengths, masked kinds and error types only, never message texts.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from functools import lru_cache

import httpx
from starlette.concurrency import run_in_threadpool

from bot.channel_messages import channel_text
from bot.privacy.masking import PLACEHOLDER_PATTERN, Masked, mask
from bot.rasa_server import is_storing_marker

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3.0
# What Rasa gets at least of the deadline when the intake before it was slow.
MIN_RASA_BUDGET_S = 1.0

# Rasa parses any text that starts with "/" as an intent (with entities). Typed
# text must never do that: only the server decides when a payload is sent.
_LEADING_SLASHES = re.compile(r"^[\s/]+")
# The intent that starts the hand-off (data/handoff.yml: "een welzijnscoach vragen").
HANDOFF_PAYLOAD = "/vraag_persoon"


def neutralise_typed_text(text: str) -> str:
    """Typed text with leading slashes (and surrounding spaces) removed."""
    return _LEADING_SLASHES.sub("", text).strip()


def mask_for_rasa(text: str) -> Masked:
    """What Rasa may see of `text`. Our own "/intent" payloads (buttons, the intake's
    /pii_ontvangen) are passed as they are: typed text never starts with "/"."""
    if text.startswith("/"):
        return Masked(text, ())
    return mask(text)


def masking_notice(kinds: tuple[str, ...]) -> dict:
    """The relay's own message after masking: not kept here; a coach can contact you."""
    nouns = [channel_text("maskeren", kind) for kind in kinds]
    soort = (
        nouns[-1] if len(nouns) == 1 else (", ".join(nouns[:-1]) + channel_text("maskeren", "en") + nouns[-1])
    )
    return {
        "text": channel_text("relay", "contactgegeven", soort=soort),
        "buttons": [{"title": channel_text("relay", "contactgegeven_knop"), "payload": HANDOFF_PAYLOAD}],
    }


def only_placeholders(masked_text: str) -> bool:
    """Whether nothing but placeholders (and punctuation) is left of a masked message."""
    return not re.search(r"[^\W\d_]", PLACEHOLDER_PATTERN.sub("", masked_text))


_HELPLINE = re.compile(r"\b11[23]\b")


def _is_crisis_reply(masked_text: str, replies: list[dict]) -> bool:
    from bot.safety.crisis import detect  # the safety lexicon is the source of truth

    if detect(masked_text) is not None:
        return True
    return any(_HELPLINE.search(str(reply.get("text") or "")) for reply in replies)


def replica_order(sender_id: str, count: int) -> list[int]:
    """The Rasa replicas to try for this conversation: its own (by a hash of the sender
    id, the same in every web worker and Telegram bridge) first, then the next ones."""
    first = int(hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:8], 16) % count if count > 1 else 0
    return [(first + step) % count for step in range(count)]


@lru_cache(maxsize=1)
def _crisis_texts() -> dict[str | None, str]:
    """domain.yml's utter_crisis variations by crisis_soort (None: the general one)."""
    import yaml

    from bot.settings import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    texts: dict[str | None, str] = {}
    for variation in domain["responses"]["utter_crisis"]:
        kinds = [c.get("value") for c in variation.get("condition") or [] if c.get("name") == "crisis_soort"]
        texts.setdefault(kinds[0] if kinds else None, variation["text"])
    return texts


def crisis_reply_without_rasa(masked_text: str) -> list[dict] | None:
    """The crisis reply for `masked_text` when Rasa cannot give it, or None (no crisis)."""
    from bot.safety.crisis import detect

    if not masked_text or masked_text.startswith("/"):
        return None
    signal = detect(masked_text)
    if signal is None:
        return None
    texts = _crisis_texts()
    return [{"text": texts.get(signal.soort) or texts[None]}]


class RasaUnavailable(Exception):
    """Rasa did not answer, answered with an error, or answered nonsense."""


class Relay:
    def __init__(self, settings, intake=None, client: httpx.AsyncClient | None = None):
        self._intake = intake
        # One deadline for the whole answer (settings.rasa_timeout_seconds, default 8 s),
        # counted from the moment the message arrives: a hung Rasa or action server gives
        # the "storing" reply within 10 s, never silence.
        self._deadline = float(settings.rasa_timeout_seconds)
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(self._deadline, connect=min(CONNECT_TIMEOUT_S, self._deadline))
        )
        self._owns_client = client is None
        rasa_urls = getattr(settings, "rasa_urls", None) or (settings.rasa_url,)
        self._webhook_urls = tuple(f"{url}/webhooks/rest/webhook" for url in rasa_urls)

    def warm_up(self) -> None:
        """Load what the fallback needs (the crisis lexicon, the crisis texts) now, at
        start-up: loaded lazily it cost 1-3 s on the first failed turn, on top of the
        deadline. Blocking; call it off the event loop."""
        from bot.safety import crisis

        crisis.warm_up()
        crisis.detect("warm")  # compiles the lexicon
        _crisis_texts()

    async def send(self, sender_id: str, text: str, channel: str, metadata: dict | None = None) -> list[dict]:
        """Rasa's replies to `text` (already cleaned by the channel), or a Dutch
        "storing" message that names the crisis lines when something failed.

        `metadata` is what the server (never the resident) knows about the
        conversation, e.g. the checked gemeente code of the website; an action
        reads it from the latest message (action_gemeente_van_site)."""
        typed = text
        deadline = asyncio.get_running_loop().time() + self._deadline
        try:
            if self._intake is not None:
                text = await run_in_threadpool(self._intake.route_user_message, sender_id, text, channel)
            masked = await run_in_threadpool(mask_for_rasa, text)  # a few ms; off the event loop
            text = masked.text
            if masked.kinds and only_placeholders(text) and not await self._handoff_running(sender_id):
                # Nothing but the detail itself: Rasa would only guess at "[telefoonnummer]".
                replies = [masking_notice(masked.kinds)]
            else:
                replies = await self._post(sender_id, text, metadata, deadline)
                if self._intake is not None:
                    replies = await run_in_threadpool(self._intake.process_bot_messages, sender_id, replies)
                if masked.kinds:
                    replies = await self._with_masking_notice(sender_id, masked, replies)
        except RasaUnavailable as problem:
            log.warning("rasa unavailable for sender %s via %s: %s", sender_id, channel, problem)
            return await self._fallback(sender_id, typed)
        except Exception as problem:  # noqa: BLE001 - the resident must get an answer
            # Only the type: an exception message could contain what the resident typed.
            log.error("relay failed for sender %s via %s: %s", sender_id, channel, type(problem).__name__)
            return await self._fallback(sender_id, typed)
        log.info(
            "relayed %d chars for sender %s via %s: %d replies%s",
            len(text),
            sender_id,
            channel,
            len(replies),
            f" (masked: {', '.join(masked.kinds)})" if masked.kinds else "",
        )
        return replies

    async def _with_masking_notice(self, sender_id: str, masked: Masked, replies: list[dict]) -> list[dict]:
        """Rasa's replies, preceded by "I do not keep that here" unless a hand-off is
        running (it asks for the details itself) or the reply is a crisis reply."""
        if _is_crisis_reply(masked.text, replies) or await self._handoff_running(sender_id):
            return replies
        return [masking_notice(masked.kinds), *replies]

    async def _handoff_running(self, sender_id: str) -> bool:
        return self._intake is not None and await run_in_threadpool(self._intake.has_draft, sender_id)

    async def _fallback(self, sender_id: str, typed: str) -> list[dict]:
        """Without Rasa: the crisis reply for a crisis message, else the "storing" reply."""
        try:
            masked = await run_in_threadpool(mask_for_rasa, typed)
            crisis = await run_in_threadpool(crisis_reply_without_rasa, masked.text)
        except Exception as problem:  # noqa: BLE001 - the storing reply names 113/112 as well
            log.error("crisis check without rasa failed for sender %s: %s", sender_id, type(problem).__name__)
            crisis = None
        if crisis is not None:
            log.warning("crisis reply given without rasa for sender %s", sender_id)
            return crisis
        return self.storing_messages()

    @staticmethod
    def storing_messages() -> list[dict]:
        return [{"text": channel_text("relay", "storing")}]

    async def _post(self, sender_id: str, text: str, metadata: dict | None, deadline: float) -> list[dict]:
        body = {"sender": sender_id, "message": text, **({"metadata": metadata} if metadata else {})}
        budget = max(MIN_RASA_BUDGET_S, deadline - asyncio.get_running_loop().time())
        try:
            response = await asyncio.wait_for(self._post_to_replica(sender_id, body), timeout=budget)
        except asyncio.TimeoutError:
            raise RasaUnavailable(f"no answer within {budget:.1f} s") from None
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
        if not replies:
            # Rasa answers [] when an action failed (e.g. the action server is down):
            # the resident must hear that something is wrong, not silence.
            raise RasaUnavailable("empty reply list")
        if any(is_storing_marker(reply) for reply in replies):
            # A custom action failed inside Rasa (bot.rasa_server): say so once, after
            # whatever Rasa could still answer.
            log.warning("a custom action failed for sender %s", sender_id)
            replies = [r for r in replies if not is_storing_marker(r)] + self.storing_messages()
        return replies

    async def _post_to_replica(self, sender_id: str, body: dict) -> httpx.Response:
        """POST to the conversation's replica; to the next one only when the request could
        not be delivered at all (so Rasa never saw it)."""
        order = replica_order(sender_id, len(self._webhook_urls))
        for attempt, index in enumerate(order):
            try:
                return await self._client.post(self._webhook_urls[index], json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as problem:
                if attempt == len(order) - 1:
                    raise
                log.warning(
                    "rasa replica %d unreachable for sender %s (%s): trying replica %d",
                    index + 1, sender_id, type(problem).__name__, order[attempt + 1] + 1,
                )
        raise RasaUnavailable("no Rasa replica")  # pragma: no cover - order is never empty

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
