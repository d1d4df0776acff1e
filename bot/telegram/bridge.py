"""The Telegram bridge: private chats <-> Relay <-> Rasa REST.

Rasa never sees a Telegram chat id: the sender id is an HMAC-SHA256 of the chat
id with the server secret. Rasa buttons become inline keyboards whose
callback_data is a short random key (Telegram allows 64 bytes); the key maps to
the payload server-side, and only keys of the bot's last reply in that chat are
accepted, so a resident cannot inject intents or entities.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import weakref
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ChatAction, ChatType, MessageLimit, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.cards import attach_cards, card_texts, report_texts, telegram_html
from bot.channel_messages import channel_text
from bot.handoff.pickup import MARKER as PICKUP_MARKER
from bot.handoff.pickup import telegram_reply
from bot.relay import Relay, neutralise_typed_text
from bot.text_input import is_readable_text

log = logging.getLogger(__name__)

CHANNEL = "telegram"
SENDER_PREFIX = "tg-"
# /start opens the conversation with a greeting (intent from docs/contracts.md).
START_PAYLOAD = "/begroeten"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def telegram_sender_id(secret_key: str, chat_id: int | str) -> str:
    digest = hmac.new(secret_key.encode(), f"telegram:{chat_id}".encode(), hashlib.sha256).hexdigest()
    return SENDER_PREFIX + digest


def webhook_secret_token(secret_key: str) -> str:
    """Telegram echoes this in X-Telegram-Bot-Api-Secret-Token on every webhook call."""
    return hmac.new(secret_key.encode(), b"telegram-webhook", hashlib.sha256).hexdigest()


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Telegram messages hold at most 4096 characters; split at line ends where possible."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return parts + [text] if text else parts


def _buttons(reply: dict) -> list[dict]:
    buttons = reply.get("buttons") or []
    return [b for b in buttons if isinstance(b, dict) and isinstance(b.get("payload"), str)]


class ButtonKeys:
    """Short callback keys of the last offered buttons, per chat (bounded LRU)."""

    def __init__(self, max_chats: int = 20_000):
        self._offered: OrderedDict[int, dict[str, str]] = OrderedDict()
        self._max = max_chats

    def offer(self, chat_id: int, payloads: list[str]) -> list[str]:
        keys = {secrets.token_urlsafe(9): payload for payload in payloads}
        self._offered[chat_id] = keys
        self._offered.move_to_end(chat_id)
        while len(self._offered) > self._max:
            self._offered.popitem(last=False)
        return list(keys)

    def take(self, chat_id: int, key: str) -> str | None:
        """The payload behind `key` if it belongs to the last reply; the offer is then used up."""
        keys = self._offered.get(chat_id, {})
        payload = keys.get(key)
        if payload is not None:
            self._offered[chat_id] = {}
        return payload


REPORT_PREFIX = "k:"  # callback data of "Klopt dit niet?" (k:<key>) and its reasons (k:<key>:<code>)
REPORT_CANCEL = "-"
REPORTS_PER_CHAT_HOUR = 5


class ReportKeys:
    """Short keys of the activities shown as cards, per chat (bounded): "Klopt dit niet?"
    under a card keeps working while the card is in view; each activity is reported once."""

    def __init__(self, max_chats: int = 20_000, per_chat: int = 60):
        self._keys: OrderedDict[int, OrderedDict[str, str]] = OrderedDict()
        self._reported: dict[int, set[str]] = {}
        self._max, self._per_chat = max_chats, per_chat

    def offer(self, chat_id: int, activity_id: str) -> str:
        keys = self._keys.setdefault(chat_id, OrderedDict())
        self._keys.move_to_end(chat_id)
        key = secrets.token_urlsafe(6)
        keys[key] = activity_id
        while len(keys) > self._per_chat:
            keys.popitem(last=False)
        while len(self._keys) > self._max:
            old, _ = self._keys.popitem(last=False)
            self._reported.pop(old, None)
        return key

    def activity(self, chat_id: int, key: str) -> str | None:
        return self._keys.get(chat_id, {}).get(key)

    def first_report(self, chat_id: int, activity_id: str) -> bool:
        done = self._reported.setdefault(chat_id, set())
        if activity_id in done:
            return False
        done.add(activity_id)
        return True


class TelegramBridge:
    def __init__(self, settings, relay: Relay):
        self.settings = settings
        self.relay = relay
        self.buttons = ButtonKeys()
        self.reports = ReportKeys()
        self._report_limits = None
        self._kaart_engine = None
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def build_application(self, *, with_updater: bool = True) -> Application:
        builder = (
            ApplicationBuilder()
            .token(self.settings.telegram_bot_token)
            .base_url(self.settings.telegram_api_base_url)
            # Chats run side by side; one chat's messages are handled in order (see _lock).
            .concurrent_updates(32)
        )
        if not with_updater:
            builder = builder.updater(None)
        application = builder.build()
        application.add_handler(CommandHandler("start", self.on_start, filters=PRIVATE_MESSAGES))
        application.add_handler(MessageHandler(PRIVATE_MESSAGES & filters.TEXT, self.on_text))
        application.add_handler(
            MessageHandler(PRIVATE_MESSAGES & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.on_not_text)
        )
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_error_handler(self.on_error)
        return application

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._converse(context.bot, update.effective_chat.id, START_PAYLOAD)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        raw = update.effective_message.text or ""
        if len(raw) > self.settings.max_message_chars:
            await self._say(context.bot, chat_id, "te_lang", max_tekens=self.settings.max_message_chars)
            return
        if not is_readable_text(raw):  # a lone surrogate or a control character: not sent on
            await self._say(context.bot, chat_id, "ongeldige_tekens")
            return
        text = neutralise_typed_text(raw)
        if not text:
            await self._say(context.bot, chat_id, "leeg_bericht")
            return
        await self._converse(context.bot, chat_id, text)

    async def on_not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context.bot, update.effective_chat.id, "alleen_tekst")

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        message = query.message
        if message is None or message.chat.type != ChatType.PRIVATE:
            await query.answer()
            return
        chat_id = message.chat.id
        if (query.data or "").startswith(REPORT_PREFIX):
            await query.answer()
            await self.on_report(context.bot, query, chat_id, query.data[len(REPORT_PREFIX):])
            return
        payload = self.buttons.take(chat_id, query.data or "")
        await query.answer()
        if payload is None:
            await self._say(context.bot, chat_id, "oude_knop")
            return
        try:
            await query.edit_message_reply_markup(reply_markup=None)  # a button works once
        except TelegramError as problem:
            log.info("could not remove keyboard in a chat: %s", type(problem).__name__)
        text = payload if payload.startswith("/") else neutralise_typed_text(payload)
        await self._converse(context.bot, chat_id, text)

    async def on_report(self, bot, query, chat_id: int, data: str) -> None:
        """"Klopt dit niet?" under a card: one question, the reason as a button. Only the
        reason code, "telegram" and the day are stored (sociale_kaart.signals); Rasa never sees it."""
        from bot.shared_state import MemoryState
        from sociale_kaart import signals
        from sociale_kaart.db import make_engine

        words = report_texts()
        key, _, code = data.partition(":")
        activity = self.reports.activity(chat_id, key)
        if activity is None:
            await bot.send_message(chat_id=chat_id, text=words["verlopen"])
            return
        if not code:  # the question, with a button per reason
            rows = [[InlineKeyboardButton(label, callback_data=f"{REPORT_PREFIX}{key}:{reason}")]
                    for reason, label in words["redenen"].items()]
            rows.append([InlineKeyboardButton(words["annuleren"], callback_data=f"{REPORT_PREFIX}{key}:{REPORT_CANCEL}")])
            await bot.send_message(chat_id=chat_id, text=words["vraag"], reply_markup=InlineKeyboardMarkup(rows))
            return
        try:
            await query.edit_message_reply_markup(reply_markup=None)  # the question is answered
        except TelegramError as problem:
            log.info("could not remove keyboard in a chat: %s", type(problem).__name__)
        if code == REPORT_CANCEL:
            return
        if code not in words["redenen"]:
            await bot.send_message(chat_id=chat_id, text=words["niet_gelukt"])
            return
        if not self.reports.first_report(chat_id, activity):
            await bot.send_message(chat_id=chat_id, text=words["al_gemeld"])
            return
        if self._report_limits is None:
            self._report_limits = MemoryState(max_keys=20_000)
        if not self._report_limits.allow(f"meldingen:{chat_id}", REPORTS_PER_CHAT_HOUR, 3600):
            await bot.send_message(chat_id=chat_id, text=words["te_vaak"])
            return
        if self._kaart_engine is None:
            self._kaart_engine = make_engine(self.settings.database_url)
        try:
            await asyncio.to_thread(signals.report, self._kaart_engine, activity, code, "telegram")
        except Exception as problem:  # the type only: nothing of the chat in the log
            log.warning("activity report failed: %s", type(problem).__name__)
            await bot.send_message(chat_id=chat_id, text=words["niet_gelukt"])
            return
        log.info("activity report stored (telegram)")
        await bot.send_message(chat_id=chat_id, text=words["bedankt"])

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the type: the error text could quote what the resident wrote.
        log.error("telegram update failed: %s", type(context.error).__name__)

    async def _say(self, bot, chat_id: int, key: str, **values) -> None:
        # In turn, like _converse: a sticker sent after a text is answered after that text.
        async with self._lock(chat_id):
            await bot.send_message(chat_id=chat_id, text=channel_text("telegram", key, **values))

    async def _converse(self, bot, chat_id: int, text: str) -> None:
        async with self._lock(chat_id):
            try:
                await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
            except TelegramError:
                pass
            sender_id = telegram_sender_id(self.settings.secret_key, chat_id)
            replies = await self.relay.send(sender_id, text, CHANNEL)
            # The resident's opt-in for a pickup message is stored with this chat id
            # (encrypted; bot/handoff/pickup.py); Rasa never sees the chat id.
            if any(isinstance(r.get("custom"), dict) and PICKUP_MARKER in r["custom"] for r in replies):
                replies = await asyncio.to_thread(telegram_reply, self.settings, sender_id, chat_id, replies)
            await self._send_replies(bot, chat_id, replies)

    async def _send_card(self, bot, chat_id: int, card: dict) -> None:
        """An activity card as one formatted message; its web page as a link button under it."""
        rows = []
        if card.get("link"):
            label = card_texts()["labels"]["link"]
            rows.append([InlineKeyboardButton(label, url=card["link"])])
        if card.get("id"):
            key = self.reports.offer(chat_id, card["id"])
            rows.append([InlineKeyboardButton(report_texts()["knop"], callback_data=f"{REPORT_PREFIX}{key}")])
        markup = InlineKeyboardMarkup(rows) if rows else None
        await bot.send_message(
            chat_id=chat_id,
            text=telegram_html(card),
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )

    async def _send_replies(self, bot, chat_id: int, replies: list[dict]) -> None:
        replies = attach_cards(replies)
        keys = iter(self.buttons.offer(chat_id, [b["payload"] for reply in replies for b in _buttons(reply)]))
        for reply in replies:
            if reply.get("card") and not _buttons(reply):
                await self._send_card(bot, chat_id, reply["card"])
                continue
            buttons = _buttons(reply)
            text = reply.get("text") or ""
            if not text and buttons:
                text = channel_text("telegram", "kies_knop")
            if not text:
                continue
            markup = None
            if buttons:
                rows = [
                    [InlineKeyboardButton(str(b.get("title") or b["payload"]), callback_data=next(keys))]
                    for b in buttons
                ]
                markup = InlineKeyboardMarkup(rows)
            parts = split_text(text)
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                await bot.send_message(chat_id=chat_id, text=part, reply_markup=markup if last else None)
