"""A local Bot API for the bridge tests: a real HTTP server on 127.0.0.1 that
speaks the methods the bridge uses (getMe, getUpdates with queued updates,
sendMessage, sendChatAction, answerCallbackQuery, editMessageReplyMarkup,
deleteWebhook, setWebhook)."""
from __future__ import annotations

import itertools
import json
import threading
import time
from urllib.parse import parse_qs

from support.http_standin import LocalHttpServer, QuietHandler

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "Welzijnswijzer",
            "username": "welzijnswijzer_test_bot"}
RESIDENT = {"id": 424242, "is_bot": False, "first_name": "Inwoner"}


def _decode(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


class BotApiStandIn(LocalHttpServer):
    def __init__(self, token: str):
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = threading.Condition()
        stand_in = self

        class Handler(QuietHandler):
            def do_POST(self):
                raw = self.read_body().decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or "{}")
                else:
                    params = {key: _decode(values[0]) for key, values in parse_qs(raw).items()}
                prefix = f"/bot{stand_in.token}/"
                if not self.path.startswith(prefix):
                    return self.send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                method = self.path[len(prefix):]
                result = stand_in._handle(method, params)
                if result is None:
                    return self.send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                self.send_json(200, {"ok": True, "result": result})

        super().__init__(Handler)

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/bot"


    # --- what the test does -------------------------------------------------
    def make_update(self, **content) -> dict:
        return {"update_id": next(self._update_ids), **content}

    def queue(self, update: dict) -> None:
        with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    def text_update(self, chat_id: int, text: str) -> dict:
        message = self._message(chat_id, text=text, from_user=RESIDENT)
        if text.startswith("/"):  # Telegram marks a leading command as an entity
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.make_update(message=message)

    def sticker_update(self, chat_id: int) -> dict:
        sticker = {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular"}
        return self.make_update(message=self._message(chat_id, sticker=sticker, from_user=RESIDENT))

    def callback_update(self, chat_id: int, data: str, message_id: int = 1) -> dict:
        message = self._message(chat_id, text="Wil je dat?", from_user=BOT_USER, message_id=message_id)
        query = {"id": f"cb{next(self._update_ids)}", "from": RESIDENT, "chat_instance": "ci1",
                 "data": data, "message": message}
        return self.make_update(callback_query=query)

    def group_text_update(self, chat_id: int, text: str) -> dict:
        message = self._message(chat_id, text=text, from_user=RESIDENT)
        message["chat"] = {"id": chat_id, "type": "group", "title": "Coaches"}
        return self.make_update(message=message)

    def calls_of(self, method: str) -> list[dict]:
        return [params for name, params in list(self.calls) if name == method]

    def wait_for(self, method: str, count: int, timeout: float = 15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.calls_of(method)) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.calls_of(method)

    # --- the Bot API ---------------------------------------------------------
    def _message(self, chat_id, from_user, message_id=None, **content) -> dict:
        return {"message_id": message_id or next(self._message_ids), "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Inwoner"},
                "from": from_user, **content}

    def _handle(self, method: str, params: dict):
        if method == "getUpdates":
            return self._get_updates(params)
        self.calls.append((method, params))
        if method == "getMe":
            return BOT_USER
        if method in ("deleteWebhook", "setWebhook", "sendChatAction", "answerCallbackQuery"):
            return True
        if method == "sendMessage":
            return self._message(int(params["chat_id"]), from_user=BOT_USER, text=params.get("text", ""))
        if method == "editMessageReplyMarkup":
            return self._message(int(params["chat_id"]), from_user=BOT_USER, text="…",
                                 message_id=int(params["message_id"]))
        return None

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 0.5)
        with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and wait:
                self._changed.wait(wait)
            return list(self._updates)
