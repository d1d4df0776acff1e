"""Logging of every process (web app, Telegram bridge, sender, action server, Rasa).

`configure_logging(settings)` gives one format and level, and two protections:

- Library loggers that write secrets or message texts stay at WARNING, also at
  DEBUG: httpx/httpcore log every request URL at INFO, and the Telegram Bot API
  URL contains the bot token; python-telegram-bot logs request parameters (the
  texts of messages) at DEBUG.
- Defence in depth: a log record factory replaces every known secret (bot token,
  SMTP password, secret key, Fernet keys, the passwords in the database, tracker
  store and Redis URLs) by "[geheim]"
  in the message and the exception text of every record, whichever library
  logs it and whichever handler writes it. Installed as a record factory, it
  also covers handlers that Rasa, Sanic or uvicorn set up after us.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlparse

REDACTED = "[geheim]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that must not log below WARNING in any process (see the module text).
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "hpack", "urllib3")
MIN_SECRET_CHARS = 6


def known_secrets(settings) -> list[str]:
    """The secret values of `settings`, with the forms they take in URLs."""
    values = [settings.secret_key, *settings.fernet_keys, getattr(settings, "smtp_password", "")]
    token = settings.telegram_bot_token
    if token:
        values += [token, quote(token, safe=""), token.partition(":")[2]]
    urls = [settings.database_url, getattr(settings, "tracker_store_url", "")]
    for url in [*urls, getattr(settings, "redis_url", "")]:
        password = urlparse(url).password if url and "://" in url else None
        if password:
            values += [password, quote(password, safe=""), unquote(password)]
    return [v for v in dict.fromkeys(values) if v and len(v) >= MIN_SECRET_CHARS]


class SecretRedactor:
    def __init__(self, secrets: Iterable[str]):
        ordered = sorted(set(secrets), key=len, reverse=True)  # longest first: "a:b" before "b"
        self.pattern = re.compile("|".join(re.escape(s) for s in ordered)) if ordered else None

    def redact(self, text: str) -> str:
        return self.pattern.sub(REDACTED, text) if self.pattern and text else text

    def clean(self, record: logging.LogRecord) -> None:
        if self.pattern is None:
            return
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: logging reports it itself
            return
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)


_base_factory = logging.getLogRecordFactory()
_redactor = SecretRedactor(())


def _redacting_factory(*args, **kwargs) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    _redactor.clean(record)
    return record


def install_redaction(secrets: Iterable[str]) -> None:
    """Redact `secrets` from every log record of this process from now on (idempotent)."""
    global _redactor
    _redactor = SecretRedactor(secrets)
    if logging.getLogRecordFactory() is not _redacting_factory:
        logging.setLogRecordFactory(_redacting_factory)


def quiet_libraries() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(settings, level: str | None = None, stream=None) -> None:
    """The logging set-up of one of our processes: format, level, quiet libraries, redaction."""
    level = (level or getattr(settings, "log_level", "INFO") or "INFO").upper()
    logging.basicConfig(level=level, format=FORMAT, stream=stream or sys.stderr)
    logging.getLogger().setLevel(level)
    quiet_libraries()
    install_redaction(known_secrets(settings))


def protect_process_logs(settings) -> None:
    """For processes whose framework sets up its own handlers (Rasa, the action
    server): only the quiet libraries and the redaction."""
    quiet_libraries()
    install_redaction(known_secrets(settings))
