"""Rasa's endpoints file for the settings: SQLite tracker store (make run) or the
production back ends (PostgreSQL tracker store, Redis lock store).

`endpoints.yml` in the project root is the default (SQLite tracker store, in-memory
lock store, one Rasa process). With `WW_TRACKER_STORE_URL` (PostgreSQL) and/or
`WW_REDIS_URL` the processes get a file written into `var/` from these settings.
It holds `${...}` placeholders only, never a password: Rasa fills them in from
the environment that bot.processes gives it (`rasa_environment`).

Rasa's RedisLockStore raises when Redis is down, so a turn fails honestly (the
relay answers with the Dutch "storing" reply naming 113/112): no silent
in-memory lock. Redis database and key prefix are shared with the web state
(bot.shared_state); the prefixes differ ("ww:" vs "wwlock").
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from bot.settings import PROJECT_ROOT

DEFAULT_ENDPOINTS = PROJECT_ROOT / "endpoints.yml"
LOCK_KEY_PREFIX = "wwlock"  # Rasa requires an alphanumeric prefix
# Rasa's SQLTrackerStore with less work per turn, same tables and rows (bot/tracker_store.py).
TRACKER_STORE_CLASS = "bot.tracker_store.SQLTrackerStore"


def uses_production_backends(settings) -> bool:
    return bool(settings.tracker_store_url or settings.redis_url)


def endpoints_text(settings) -> str:
    lines = [
        "# Written by bot/rasa_endpoints.py from the settings; values come from the environment.",
        "action_endpoint:",
        "  url: ${WW_ACTION_SERVER_URL}/webhook",
        "",
        "tracker_store:",
        f"  type: {TRACKER_STORE_CLASS}",
    ]
    if settings.tracker_store_url:
        # Rasa passes `url` on as SQLTrackerStore(host=...), which takes a complete database URL.
        # WW_RASA_TRACKER_STORE_URL: WW_TRACKER_STORE_URL with the statement timeout (rasa_environment).
        lines += ["  dialect: postgresql", "  url: ${WW_RASA_TRACKER_STORE_URL}", "  db: rasa"]
    else:
        lines += ["  dialect: sqlite", "  db: ${WW_TRACKER_DB}"]
    if settings.redis_url:
        lines += [
            "",
            "lock_store:",
            "  type: redis",
            "  url: ${WW_LOCK_STORE_HOST}",
            "  port: ${WW_LOCK_STORE_PORT}",
            "  db: ${WW_LOCK_STORE_DB}",
            "  password: ${WW_LOCK_STORE_PASSWORD}",
            f"  key_prefix: {LOCK_KEY_PREFIX}",
            "  socket_timeout: 2",
        ]
    return "\n".join(lines) + "\n"


def endpoints_file(settings) -> Path:
    """The endpoints file Rasa is started with for these settings."""
    if not uses_production_backends(settings):
        return DEFAULT_ENDPOINTS
    path = Path(settings.var_dir) / "endpoints.generated.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = endpoints_text(settings)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def tracker_store_url_with_timeout(url: str, statement_timeout_ms: int) -> str:
    """The tracker store URL with PostgreSQL's statement_timeout as a connection option
    (psycopg2 `options`), unless the URL already sets options or the timeout is 0."""
    if statement_timeout_ms <= 0 or "options=" in url:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-c%20statement_timeout%3D{int(statement_timeout_ms)}"


def rasa_environment(settings) -> dict[str, str]:
    """The variables the generated endpoints file refers to, and the size of the
    tracker store's connection pool (Rasa's own default is 50 + 100 overflow per process)."""
    env = {}
    if settings.tracker_store_url:
        options = getattr(settings, "engine_options", None)
        timeout_ms = options.statement_timeout_ms if options else 0
        env["WW_RASA_TRACKER_STORE_URL"] = tracker_store_url_with_timeout(settings.tracker_store_url, timeout_ms)
        if options:
            env["SQL_POOL_SIZE"] = str(options.pool_size)
            env["SQL_MAX_OVERFLOW"] = str(options.max_overflow)
    if settings.redis_url:
        parsed = urlparse(settings.redis_url)
        database = (parsed.path or "/0").lstrip("/") or "0"
        env.update(
            WW_LOCK_STORE_HOST=parsed.hostname or "127.0.0.1",
            WW_LOCK_STORE_PORT=str(parsed.port or 6379),
            WW_LOCK_STORE_DB=database,
            WW_LOCK_STORE_PASSWORD=unquote(parsed.password or ""),
        )
    return env
