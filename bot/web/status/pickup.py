"""The web side of the pickup message (bot.handoff.pickup): a resident who opted in
at hand-off sees "a coach picked up your request" when they come back to the chat.

A web conversation ends after `WW_CONVERSATION_IDLE_MINUTES`, long before a
coach calls, so the opt-in is bound to the browser instead: a random token in a
signed, HttpOnly cookie of its own (`ww_ophaalbericht`, 60 days, the same
SameSite/Secure rules as the conversation cookie); the database keeps only its
SHA-256. The chat history endpoint (GET /api/chat/geschiedenis, asked by every
chat page when it opens) shows a due message once and then forgets the token.
"Gesprek wissen" removes the cookie as well.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, Signer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.handoff.pickup import CHANNEL_WEB, WEB_TOKEN_LIFETIME, PickupNotices, take_marker
from bot.web.conversation import embedding_configured

COOKIE_NAME = "ww_ophaalbericht"
COOKIE_SALT = "welzijnswijzer.web.ophaalbericht.v1"


class WebPickup:
    def __init__(self, settings):
        self.notices = PickupNotices.from_settings(settings)
        self._signer = Signer(settings.secret_key, salt=COOKIE_SALT)
        self._embedded = embedding_configured(settings.frame_ancestors)
        self._secure = bool(settings.cookie_secure) or self._embedded

    def _token(self, request: Request) -> str | None:
        cookie = request.cookies.get(COOKIE_NAME, "")
        if not cookie:
            return None
        try:
            return self._signer.unsign(cookie).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None

    async def take(
        self, request: Request, sender_id: str, replies: list[dict]
    ) -> tuple[list[dict], str | None]:
        """Rasa's replies without the opt-in marker; the browser token to issue when an
        opt-in was stored (the browser's own token when it has one)."""
        _rest, code = take_marker(replies)
        if code is None:
            return replies, None
        token = self._token(request) or secrets.token_urlsafe(24)
        replies, stored = await run_in_threadpool(
            self.notices.take_reply, sender_id, CHANNEL_WEB, replies, web_token=token
        )
        return replies, (token if stored else None)

    async def visit(self, request: Request) -> tuple[list[dict], bool | None]:
        """Due messages of this browser as bot messages, and whether to keep the cookie
        (None: the browser has no token)."""
        token = self._token(request)
        if token is None:
            return [], None
        texts, keep = await run_in_threadpool(self.notices.web_visit, token)
        return [{"from": "bot", "text": text, "buttons": [], "custom": None} for text in texts], keep

    def _cookie_options(self) -> dict:
        return {
            "httponly": True,
            "samesite": "none" if self._embedded else "lax",
            "secure": self._secure,
            "path": "/",
        }

    def issue(self, response: Response, token: str) -> None:
        response.set_cookie(
            COOKIE_NAME,
            self._signer.sign(token).decode("ascii"),
            max_age=int(WEB_TOKEN_LIFETIME.total_seconds()),
            **self._cookie_options(),
        )

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE_NAME, **self._cookie_options())


def web_pickup(app) -> WebPickup:
    """One WebPickup per web app (built from app.state.settings on first use)."""
    pickup = getattr(app.state, "pickup", None)
    if pickup is None:
        pickup = app.state.pickup = WebPickup(app.state.settings)
    return pickup
