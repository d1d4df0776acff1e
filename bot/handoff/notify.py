"""Deliver one notification about a new hand-off request to a coach team.

The message names the reference, the gemeente, the theme(s) and a link to the
inbox. It never carries contact details: those stay encrypted in the database
and are only shown in the inbox to a logged-in coach of the team.

Every message carries its outbox id as an idempotency key (the e-mail
Message-ID and an X-Welzijnswijzer-Outbox header), so a receiver can drop the
duplicate that a crash between "sent" and "marked delivered" can cause.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

EMAIL = "email"
TELEGRAM = "telegram"


class DeliveryError(Exception):
    """Delivery failed. `permanent` failures are not retried."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Notification:
    outbox_id: int
    channel: str  # EMAIL or TELEGRAM
    recipient: str  # e-mail address or Telegram chat id
    referentie: str
    gemeente: str
    team: str
    themas: list[str] = field(default_factory=list)
    inbox_url: str = ""
    # "nieuw": a new request for the team; "terugkoppeling": feedback is ready for the referrer;
    # "verificatieherinnering": an editor is asked to check a catalogue entry (bot.handoff.verification).
    soort: str = "nieuw"
    naam: str = ""
    klopt_nog_url: str = ""
    nummer: int = 0
    gecontroleerd_op: str = ""

    @property
    def idempotency_key(self) -> str:
        return f"outbox-{self.outbox_id}"


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render(notification: Notification) -> tuple[str, str]:
    """(subject, body) in Dutch, from the templates."""
    context = {
        "referentie": notification.referentie,
        "gemeente": notification.gemeente,
        "team": notification.team,
        "themas": notification.themas,
        "inbox_url": notification.inbox_url,
        "naam": notification.naam,
        "klopt_nog_url": notification.klopt_nog_url,
        "nummer": notification.nummer,
        "gecontroleerd_op": notification.gecontroleerd_op,
    }
    env = _templates()
    prefix = {"terugkoppeling": "terugkoppeling", "verificatieherinnering": "herinnering",
              "ophaalbericht": "ophaalbericht"}.get(
        notification.soort, "melding"
    )
    subject = env.get_template(f"{prefix}_onderwerp.txt.j2").render(context).strip()
    body = env.get_template(f"{prefix}_tekst.txt.j2").render(context).strip() + "\n"
    return subject, body


class Notifier:
    """Sends notifications by SMTP (smtplib) or the Telegram Bot API."""

    def __init__(self, settings, timeout: float = 10.0):
        self.settings = settings
        self.timeout = timeout

    def deliver(self, notification: Notification) -> None:
        if notification.channel == EMAIL:
            self._send_email(notification)
        elif notification.channel == TELEGRAM:
            self._send_telegram(notification)
        else:
            raise DeliveryError(f"unknown channel {notification.channel!r}", permanent=True)

    def _send_email(self, notification: Notification) -> None:
        if not self.settings.smtp_host:
            raise DeliveryError("WW_SMTP_HOST is not set")
        subject, body = render(notification)
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = notification.recipient
        message["Subject"] = subject
        message["Message-ID"] = f"<{notification.idempotency_key}@welzijnswijzer>"
        message["X-Welzijnswijzer-Outbox"] = notification.idempotency_key
        message.set_content(body)
        try:
            with smtplib.SMTP(self.settings.smtp_host, self.settings.smtp_port, timeout=self.timeout) as smtp:
                if self.settings.smtp_user:
                    self._login(smtp)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"recipient refused: {exc.recipients}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"smtp: {type(exc).__name__}: {exc}") from exc

    def _login(self, smtp: smtplib.SMTP) -> None:
        """WW_SMTP_USER / WW_SMTP_PASSWORD; over STARTTLS whenever the server offers it."""
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        smtp.login(self.settings.smtp_user, self.settings.smtp_password)

    def _send_telegram(self, notification: Notification) -> None:
        if not self.settings.telegram_bot_token:
            raise DeliveryError("TELEGRAM_BOT_TOKEN is not set")
        _subject, body = render(notification)
        try:
            asyncio.run(self._telegram_send(notification.recipient, body))
        except DeliveryError:
            raise
        except Exception as exc:  # PTB raises its own hierarchy plus network errors
            raise DeliveryError(f"telegram: {type(exc).__name__}: {exc}") from exc

    async def _telegram_send(self, chat_id: str, text: str) -> None:
        from telegram import Bot
        from telegram.error import BadRequest, Forbidden, InvalidToken
        from telegram.request import HTTPXRequest

        t = self.timeout
        request = HTTPXRequest(read_timeout=t, write_timeout=t, connect_timeout=t, pool_timeout=t)
        bot = Bot(
            self.settings.telegram_bot_token, base_url=self.settings.telegram_api_base_url, request=request
        )
        # Only the request object is opened: bot.initialize() would call getMe every time.
        async with request:
            try:
                await bot.send_message(chat_id=chat_id, text=text)
            except (BadRequest, Forbidden, InvalidToken) as exc:
                raise DeliveryError(f"telegram refused: {exc}", permanent=True) from exc
