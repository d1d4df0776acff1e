"""Server-issued web conversations and the button payloads offered in them.

The browser never chooses Rasa's sender id: the id lives in a signed, HttpOnly
cookie that only this server issues. A forged or unsigned cookie simply starts
a new conversation.
"""
from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response

from bot.web.rate_limit import SlidingWindow

COOKIE_NAME = "ww_gesprek"
SENDER_PREFIX = "web-"


class ConversationCookies:
    def __init__(self, secret_key: str, secure: bool):
        self._signer = Signer(secret_key, salt="welzijnswijzer.web.gesprek")
        self._secure = secure

    def sender_id(self, request: Request) -> tuple[str, bool]:
        """(sender id, is_new). A new id must be stored with `issue`."""
        cookie = request.cookies.get(COOKIE_NAME, "")
        if cookie:
            try:
                token = self._signer.unsign(cookie).decode("ascii")
                return SENDER_PREFIX + token, False
            except (BadSignature, UnicodeDecodeError):
                pass
        return SENDER_PREFIX + secrets.token_urlsafe(24), True

    def issue(self, response: Response, sender_id: str) -> None:
        token = sender_id.removeprefix(SENDER_PREFIX)
        response.set_cookie(
            COOKIE_NAME,
            self._signer.sign(token).decode("ascii"),
            httponly=True,
            samesite="lax",
            secure=self._secure,
            path="/",
        )


class OfferedPayloads:
    """The "/intent" payloads of the bot's last reply, per conversation.

    In memory with a bounded LRU: one web process serves the chat (uvicorn
    with one worker). A payload not offered in the last reply is treated as
    typed text, so a resident cannot inject intents or entities.
    """

    def __init__(self, max_conversations: int = 20_000):
        self._offered: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._max = max_conversations

    def remember(self, sender_id: str, replies: list[dict]) -> None:
        payloads = frozenset(
            button["payload"]
            for reply in replies
            for button in (reply.get("buttons") or [])
            if isinstance(button, dict) and isinstance(button.get("payload"), str)
        )
        self._offered[sender_id] = payloads
        self._offered.move_to_end(sender_id)
        while len(self._offered) > self._max:
            self._offered.popitem(last=False)

    def was_offered(self, sender_id: str, payload: str) -> bool:
        return payload in self._offered.get(sender_id, frozenset())


# Several residents may share one address (a library, a care home): a wider limit there.
RESIDENTS_PER_CLIENT_ADDRESS = 10


@dataclass(frozen=True)
class ChatRateLimits:
    per_conversation: SlidingWindow
    per_client: SlidingWindow

    @classmethod
    def from_settings(cls, settings) -> ChatRateLimits:
        per_minute = settings.chat_messages_per_minute
        return cls(
            per_conversation=SlidingWindow(per_minute, 60),
            per_client=SlidingWindow(per_minute * RESIDENTS_PER_CLIENT_ADDRESS, 60),
        )
