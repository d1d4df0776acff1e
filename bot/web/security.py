"""Security headers for every response of the web app (pure ASGI middleware).

The chat page may be embedded in a municipal website: its frame-ancestors come
from the settings (`frame_ancestors`, env WW_FRAME_ANCESTORS, e.g.
"https://www.gemeente.nl"; default none), always with 'self' for our own demo
page. The coach inbox under /coach is
never embeddable. A mounted app that sets its own header keeps it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders

NEVER_EMBEDDED_PREFIXES = ("/coach",)


def frame_ancestors(settings) -> str:
    """'self' (our own demo page /demo/gemeente embeds the widget) plus the configured sites."""
    configured = [source for source in settings.frame_ancestors.split() if source not in ("'none'", "'self'")]
    return " ".join(["'self'", *configured])


def _csp(ancestors: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {ancestors}"
    )


class SecurityHeaders:
    def __init__(self, app, settings):
        self.app = app
        self._embeddable = frame_ancestors(settings)
        self._hsts = bool(settings.cookie_secure)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        ancestors = "'none'" if path.startswith(NEVER_EMBEDDED_PREFIXES) else self._embeddable

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", _csp(ancestors))
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                if ancestors == "'none'":
                    headers.setdefault("X-Frame-Options", "DENY")
                elif ancestors == "'self'":
                    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
                if self._hsts:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)
