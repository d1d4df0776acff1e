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

With `WW_LOG_FORMAT=json` (Settings.log_format; the default of the productie
profile) every line a process logs is one JSON object (`JsonFormatter`):
`ts`, `level`, `logger`, `process`, `pid`, `event` and a few safe fields. It
carries no message text of a resident, no contact detail and no secret:

- the event is our own log message (which never holds typed text; secrets
  redacted as above), shortened to `MAX_EVENT_CHARS`;
- an exception gives its type and its frames (`file:line function`), never
  its message (which could quote input);
- uvicorn's access lines become `method`, `path` (no query string) and
  `status`, without the client's address;
- Rasa's structlog events (JSON already) are merged in, with the text keys
  dropped by bot.rasa_server and exceptions reduced to type and frames.

`install_json_logs` makes it hold for handlers that a framework installs later
(coloredlogs in the action server, Rasa's basicConfig, uvicorn's dictConfig):
from then on every `Handler.setFormatter` of the process gets the JSON
formatter, and so does a handler without a formatter.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlparse

REDACTED = "[geheim]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that must not log below WARNING in any process (see the module text).
QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "hpack", "urllib3")
MIN_SECRET_CHARS = 6
MAX_EVENT_CHARS = 500
MAX_FRAMES = 12


def known_secrets(settings) -> list[str]:
    """The secret values of `settings`, with the forms they take in URLs."""
    values = [
        settings.secret_key,
        *settings.fernet_keys,
        getattr(settings, "smtp_password", ""),
        getattr(settings, "metrics_token", ""),
    ]
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


def _frames(tb) -> list[str]:
    return [f"{frame.filename}:{frame.lineno} {frame.name}" for frame in traceback.extract_tb(tb)][
        -MAX_FRAMES:
    ]


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_EVENT_CHARS else text[: MAX_EVENT_CHARS - 1] + "…"


def _structlog_fields(message: str) -> dict | None:
    """A structlog event rendered as JSON (Rasa), reduced to safe fields; else None."""
    if not message.startswith("{"):
        return None
    try:
        event = json.loads(message)
    except ValueError:
        return None
    if not isinstance(event, dict) or "event" not in event:
        return None
    fields = {}
    for key, value in event.items():
        if key in ("exception", "exc_info"):
            if isinstance(value, list):  # structlog's dict tracebacks: type and frames only
                errors = [e for e in value if isinstance(e, dict)]
                fields["exc_type"] = ",".join(str(e.get("exc_type", "")) for e in errors)
                fields["stack"] = [
                    f"{f.get('filename')}:{f.get('lineno')} {f.get('name')}"
                    for e in value
                    if isinstance(e, dict)
                    for f in e.get("frames", [])
                ][-MAX_FRAMES:]
            continue
        if key == "level":
            continue
        if isinstance(value, str):
            value = _shorten(value)
        elif not isinstance(value, (int, float, bool, type(None))):
            value = _shorten(json.dumps(value, default=str))
        fields["rasa_" + key if key in ("ts", "logger", "process", "pid") else key] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line, without message text, contact details or secrets."""

    def __init__(self, process: str):
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": self.process,
            "pid": record.process,
        }
        args = record.args if isinstance(record.args, tuple) else ()
        if record.name == "uvicorn.access" and len(args) == 5:
            _client, method, path, _version, status = args  # the client's address is left out
            line.update(event="http_request", method=str(method), path=str(path).split("?")[0],
                        status=status)
        else:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken format string
                message = str(record.msg)
            structured = _structlog_fields(message)
            if structured is not None:
                line.update(structured)
            else:
                line["event"] = _shorten(_redactor.redact(message))
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
            line["stack"] = _frames(record.exc_info[2])
        return json.dumps(line, ensure_ascii=False, default=str)


_json_formatter: JsonFormatter | None = None
_original_set_formatter = logging.Handler.setFormatter


def _json_set_formatter(handler: logging.Handler, _fmt) -> None:
    _original_set_formatter(handler, _json_formatter)


def process_name() -> str:
    """`bot.web`, `bot.action_server`, ...: the module the process was started as."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None) or os.path.basename(sys.argv[0] or "python")
    return name.removesuffix(".__main__")


def install_json_logs(process: str | None = None) -> None:
    """Every log line of this process is JSON from now on, whoever installs a handler."""
    global _json_formatter
    _json_formatter = JsonFormatter(process or process_name())
    logging.Handler.setFormatter = _json_set_formatter
    logging._defaultFormatter = _json_formatter  # handlers that never got a formatter
    logging.captureWarnings(True)  # warnings.warn() writes to stderr itself otherwise
    loggers = [logging.getLogger(), *[
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]]
    for logger in loggers:
        for handler in logger.handlers:
            _original_set_formatter(handler, _json_formatter)


def configure_logging(settings, level: str | None = None, stream=None) -> None:
    """The logging set-up of one of our processes: format, level, quiet libraries, redaction."""
    level = (level or getattr(settings, "log_level", "INFO") or "INFO").upper()
    logging.basicConfig(level=level, format=FORMAT, stream=stream or sys.stderr)
    logging.getLogger().setLevel(level)
    quiet_libraries()
    install_redaction(known_secrets(settings))
    if getattr(settings, "log_format", "text") == "json":
        install_json_logs()


def protect_process_logs(settings) -> None:
    """For processes whose framework sets up its own handlers (Rasa, the action
    server): the quiet libraries, the redaction and, when asked for, JSON lines."""
    quiet_libraries()
    install_redaction(known_secrets(settings))
    if getattr(settings, "log_format", "text") == "json":
        install_json_logs()
