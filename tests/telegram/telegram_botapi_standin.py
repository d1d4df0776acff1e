"""A local Bot API for the bridge tests: a real HTTP server on 127.0.0.1 that
speaks the methods the bridge uses (getMe, getUpdates with queued updates,
sendMessage, sendChatAction, answerCallbackQuery, editMessageReplyMarkup,
deleteWebhook, setWebhook), and `TelegramChat`, a resident typing and pressing
buttons in one private chat."""
from __future__ import annotations

import itertools
import json
import threading
import time
from urllib.parse import parse_qs

from support.http_standin import LocalHttpServer, QuietHandler

from bot.channel_messages import channel_text

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "Welzijnswijzer",
            "username": "welzijnswijzer_test_bot"}
RESIDENT = {"id": 424242, "is_bot": False, "first_name": "Inwoner"}


def wait_until(done, timeout: float) -> bool:
    """Poll `done()` until it is true or `timeout` seconds have passed; its last answer."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


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
        wait_until(lambda: len(self.calls_of(method)) >= count, timeout)
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


def _keyboard(params: dict) -> list[dict]:
    markup = params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [{"title": button["text"], "payload": button["callback_data"]}
            for row in markup.get("inline_keyboard") or [] for button in row]


class TelegramChat:
    """A resident in one private chat, like support.stack.ChatClient for the web:
    `say` types a message, `click` presses an inline button (its callback data
    is the "payload" of the returned buttons). Both wait for all of the
    bridge's replies to that update, as `[{"text", "buttons"}]`.

    End of the replies: once the bridge shows "typing" it holds the chat's turn;
    a sticker sent then is answered ("alleen tekst") only after the last reply,
    because the bridge answers a chat's updates in order."""

    def __init__(self, botapi: BotApiStandIn, chat_id: int, timeout: float = 90.0):
        self.botapi, self.chat_id, self.timeout = botapi, chat_id, timeout
        self._marker = channel_text("telegram", "alleen_tekst")

    def say(self, text: str) -> list[dict]:
        return self._exchange(self.botapi.text_update(self.chat_id, text))

    def click(self, callback_data: str) -> list[dict]:
        return self._exchange(self.botapi.callback_update(self.chat_id, callback_data))

    def click_old(self, callback_data: str) -> str:
        """Press a button that is no longer offered; returns the bridge's own answer."""
        before = len(self.calls("sendMessage"))
        self.botapi.queue(self.botapi.callback_update(self.chat_id, callback_data))
        self._wait("answer", lambda: len(self.calls("sendMessage")) > before)
        return self.calls("sendMessage")[before]["text"]

    def calls(self, method: str) -> list[dict]:
        """The bridge's calls of `method` for this chat."""
        return [p for p in self.botapi.calls_of(method) if int(p["chat_id"]) == self.chat_id]

    def _wait(self, what: str, done) -> None:
        if not wait_until(done, self.timeout):
            raise AssertionError(f"chat {self.chat_id}: no {what} after {self.timeout:.0f} s")

    def _exchange(self, update: dict) -> list[dict]:
        typing, before = len(self.calls("sendChatAction")), len(self.calls("sendMessage"))
        self.botapi.queue(update)
        self._wait("'typing'", lambda: len(self.calls("sendChatAction")) > typing)
        self.botapi.queue(self.botapi.sticker_update(self.chat_id))
        self._wait("replies", lambda: self._marker in self._texts_since(before))
        sent = self.calls("sendMessage")[before:]
        replies = sent[:self._texts_since(before).index(self._marker)]
        return [{"text": m["text"], "buttons": _keyboard(m)} for m in replies]

    def _texts_since(self, index: int) -> list[str]:
        return [m["text"] for m in self.calls("sendMessage")[index:]]
