"""Protocol-level stand-ins for what the tests cannot reach: a mail relay and
Telegram's servers. Both are real servers on 127.0.0.1 and free ports."""
from __future__ import annotations

import asyncio
import json
import threading
import time
from email import message_from_bytes
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from support.http_standin import LocalHttpServer, QuietHandler, free_port


class SmtpStandIn:
    """aiosmtpd on 127.0.0.1. Records every message it accepts. With `login=(user,
    password)` it requires AUTH (PLAIN/LOGIN, without TLS on 127.0.0.1) and records
    the attempts in `logins`."""

    def __init__(self, login: tuple[str, str] | None = None):
        self.received = []  # every message whose DATA arrived, acknowledged or not
        self.messages = []  # messages answered with 250
        self.refuse = 0  # answer this many DATA commands with a temporary failure
        self.hold = threading.Event()
        self.hold.set()  # cleared = keep the client waiting before the 250 reply
        self.arrived = threading.Event()
        stand_in = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                stand_in.received.append(message_from_bytes(envelope.content))
                stand_in.arrived.set()
                while not stand_in.hold.is_set():
                    await asyncio.sleep(0.05)
                if stand_in.refuse > 0:
                    stand_in.refuse -= 1
                    return "451 Tijdelijk niet beschikbaar"
                stand_in.messages.append(message_from_bytes(envelope.content))
                return "250 OK"

        self.port = free_port()
        self.logins: list[tuple[str, bool]] = []  # (user, accepted)
        auth = {}
        if login is not None:
            def authenticator(server, session, envelope, mechanism, auth_data):
                user = auth_data.login.decode()
                accepted = (user, auth_data.password.decode()) == login
                stand_in.logins.append((user, accepted))
                return AuthResult(success=accepted)

            auth = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **auth)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.hold.set()
        self.controller.stop()

    def wait_for(self, count: int, timeout: float = 15.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)


class BotApiStandIn(LocalHttpServer):
    """Answers POST /bot<token>/sendMessage like the Telegram Bot API."""

    def __init__(self, token: str):
        self.token = token
        self.sent = []  # (chat_id, text)
        self.fail = 0  # answer this many calls with a 500
        self.drop_held = False  # on release, held calls end without being processed
        self.hold = threading.Event()
        self.hold.set()
        self.arrived = threading.Event()
        stand_in = self

        class Handler(QuietHandler):
            def do_POST(self):
                raw = self.read_body().decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw).items()}
                if self.path != f"/bot{stand_in.token}/sendMessage":
                    return self.send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                held = not stand_in.hold.is_set()
                stand_in.arrived.set()
                stand_in.hold.wait()
                if held and stand_in.drop_held:
                    self.close_connection = True
                    return
                if stand_in.fail > 0:
                    stand_in.fail -= 1
                    return self.send_json(500, {"ok": False, "error_code": 500, "description": "Internal"})
                stand_in.sent.append((str(params.get("chat_id")), params.get("text", "")))
                message = {
                    "message_id": len(stand_in.sent),
                    "date": int(time.time()),
                    "chat": {"id": int(params.get("chat_id", 0)), "type": "group", "title": "Coaches"},
                    "text": params.get("text", ""),
                }
                self.send_json(200, {"ok": True, "result": message})

        super().__init__(Handler)

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/bot"

    def __exit__(self, *exc):
        self.hold.set()
        super().__exit__(*exc)

    def wait_for(self, count: int, timeout: float = 15.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.sent) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.sent)
