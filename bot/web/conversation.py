"""Server-issued web conversations and the button payloads offered in them.

The browser never chooses Rasa's sender id: the id lives in a signed, HttpOnly
cookie that only this server issues. A forged or unsigned cookie simply starts
a new conversation.

The cookie carries the time of the last message (itsdangerous timestamp) and is
issued again with every answer, so it expires after a period of inactivity
(`Settings.conversation_idle_minutes`). The server checks that time itself: a
cookie older than that (a shared library PC, a replayed cookie) starts a new
conversation, whatever the browser kept. When the chat may be embedded in
another site (`WW_FRAME_ANCESTORS` names sites), the cookie is
`SameSite=None; Secure`, or browsers would not send it from inside the iframe.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner
from starlette.requests import Request
from starlette.responses import Response

from bot.shared_state import Window
from bot.web.rate_limit import SlidingWindow

COOKIE_NAME = "ww_gesprek"
SENDER_PREFIX = "web-"
COOKIE_SALT = "welzijnswijzer.web.gesprek.v2"


def embedding_configured(frame_ancestors: str) -> bool:
    """True when WW_FRAME_ANCESTORS names other sites (not 'none', not only 'self')."""
    sources = {part.strip().lower() for part in (frame_ancestors or "").split() if part.strip()}
    return bool(sources - {"'none'", "'self'"})


class ConversationCookies:
    def __init__(self, secret_key: str, secure: bool, idle_seconds: int = 30 * 60,
                 embedded: bool = False):
        self._signer = TimestampSigner(secret_key, salt=COOKIE_SALT)
        self._embedded = embedded
        # SameSite=None is only accepted by browsers together with Secure.
        self._secure = secure or embedded
        self.idle_seconds = idle_seconds

    @classmethod
    def from_settings(cls, settings) -> ConversationCookies:
        return cls(
            settings.secret_key,
            settings.cookie_secure,
            idle_seconds=settings.conversation_idle_minutes * 60,
            embedded=embedding_configured(settings.frame_ancestors),
        )

    def sender_id(self, request: Request) -> tuple[str, bool]:
        """(sender id, is_new). Store the id with `issue` on every answer (sliding expiry).

        A missing, forged or expired cookie gives a new conversation."""
        cookie = request.cookies.get(COOKIE_NAME, "")
        if cookie:
            try:
                token = self._signer.unsign(cookie, max_age=self.idle_seconds).decode("ascii")
                return SENDER_PREFIX + token, False
            except (BadSignature, SignatureExpired, UnicodeDecodeError):
                pass
        return SENDER_PREFIX + secrets.token_urlsafe(24), True

    def issue(self, response: Response, sender_id: str) -> None:
        token = sender_id.removeprefix(SENDER_PREFIX)
        response.set_cookie(
            COOKIE_NAME,
            self._signer.sign(token).decode("ascii"),
            max_age=self.idle_seconds,
            httponly=True,
            samesite="none" if self._embedded else "lax",
            secure=self._secure,
            path="/",
        )

    def clear(self, response: Response) -> None:
        """Forget the conversation in this browser ("Gesprek wissen")."""
        response.delete_cookie(
            COOKIE_NAME, path="/", httponly=True, secure=self._secure,
            samesite="none" if self._embedded else "lax",
        )


class OfferedPayloads:
    """The "/intent" payloads of the bot's last reply, per conversation.

    Kept in the shared state (bot.shared_state: Redis with several web workers,
    else this process's memory), for as long as a conversation lives, so any
    worker can accept a button another worker offered. A payload not offered in
    the last reply is treated as typed text, so a resident cannot inject intents
    or entities.
    """

    def __init__(self, state=None, ttl_seconds: float = 30 * 60):
        from bot.shared_state import MemoryState

        self._state = state if state is not None else MemoryState(max_keys=20_000)
        self._ttl = ttl_seconds

    def remember(self, sender_id: str, replies: list[dict]) -> None:
        payloads = sorted(
            {
                button["payload"]
                for reply in replies
                for button in (reply.get("buttons") or [])
                if isinstance(button, dict) and isinstance(button.get("payload"), str)
            }
        )
        self._state.put(f"offered:{sender_id}", json.dumps(payloads), self._ttl)

    def was_offered(self, sender_id: str, payload: str) -> bool:
        raw = self._state.get(f"offered:{sender_id}")
        return raw is not None and payload in json.loads(raw)


# Several residents may share one address (a library, a care home): a wider limit there.
RESIDENTS_PER_CLIENT_ADDRESS = 10


@dataclass(frozen=True)
class ChatRateLimits:
    per_conversation: SlidingWindow | Window
    per_client: SlidingWindow | Window

    @classmethod
    def from_settings(cls, settings, state=None) -> ChatRateLimits:
        """Limits in `state` (bot.shared_state; shared by all web workers with Redis),
        else in this process's memory."""
        per_minute = settings.chat_messages_per_minute
        if state is None:
            return cls(
                per_conversation=SlidingWindow(per_minute, 60),
                per_client=SlidingWindow(per_minute * RESIDENTS_PER_CLIENT_ADDRESS, 60),
            )
        return cls(
            per_conversation=Window(state, "chat", per_minute, 60),
            per_client=Window(state, "chat-client", per_minute * RESIDENTS_PER_CLIENT_ADDRESS, 60),
        )
