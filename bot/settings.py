"""One settings object, read from the environment with safe local defaults.

Every process (web app, Telegram bridge, action server, CLI) builds its settings
with `Settings.from_env()`. Secrets that are not given in the environment are
generated once into `var/` so a fresh clone runs without configuration; in
production they come from the environment.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _read_or_create_secret(path: Path, make) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    # Created readable by the owner only: this is a local development secret.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    rasa_url: str
    action_server_url: str
    web_host: str
    web_port: int
    public_url: str
    secret_key: str
    fernet_keys: tuple[str, ...]
    telegram_bot_token: str
    telegram_webhook_url: str
    telegram_api_base_url: str
    telegram_coach_chat_id: str
    smtp_host: str
    smtp_port: int
    smtp_sender: str
    cookie_secure: bool
    tracker_db: Path = Path("var/rasa_tracker.db")
    frame_ancestors: str = "'none'"
    telegram_webhook_listen: str = "127.0.0.1:8443"
    max_message_chars: int = 1000
    chat_messages_per_minute: int = 30
    # A web conversation ends after this many minutes without a message (cookie and server).
    conversation_idle_minutes: int = 30
    # Longest wait for Rasa's answer before the resident gets the "storing" reply.
    rasa_timeout_seconds: float = 9.0
    # Longest wait of Rasa for one custom action (bot.rasa_server sets it in Rasa).
    action_timeout_seconds: float = 4.0
    # Web accounts (bot.accounts): session lifetime and inactivity limit.
    account_session_hours: int = 8
    account_idle_minutes: int = 60
    # Catalogue import files: largest file and deepest nesting accepted.
    import_max_bytes: int = 20_000_000
    import_max_depth: int = 40
    # SMTP login for the notification sender (STARTTLS first when the server offers it).
    smtp_user: str = ""
    smtp_password: str = ""
    # Log level of every process (bot.logging_setup); LOG_LEVEL, as bot.processes sets it.
    log_level: str = "INFO"

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = Path(_env("WW_VAR_DIR", str(PROJECT_ROOT / "var"))).resolve()
        database_url = _env("WW_DATABASE_URL", f"sqlite:///{var_dir / 'welzijnswijzer.db'}")
        secret_key = os.environ.get("WW_SECRET_KEY", "").strip() or _read_or_create_secret(
            var_dir / "secret_key", lambda: secrets.token_urlsafe(48)
        )
        fernet_env = os.environ.get("WW_FERNET_KEYS", "").strip()
        if fernet_env:
            fernet_keys = tuple(k.strip() for k in fernet_env.split(",") if k.strip())
        else:
            fernet_keys = (
                _read_or_create_secret(var_dir / "fernet_key", lambda: Fernet.generate_key().decode()),
            )
        web_port = int(_env("WW_WEB_PORT", "8000"))
        web_host = _env("WW_WEB_HOST", "127.0.0.1")
        return cls(
            var_dir=var_dir,
            database_url=database_url,
            rasa_url=_env("WW_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            action_server_url=_env("WW_ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip("/"),
            web_host=web_host,
            web_port=web_port,
            public_url=_env("WW_PUBLIC_URL", f"http://{web_host}:{web_port}").rstrip("/"),
            secret_key=secret_key,
            fernet_keys=fernet_keys,
            telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_webhook_url=os.environ.get("WW_TELEGRAM_WEBHOOK_URL", "").strip(),
            telegram_api_base_url=_env("WW_TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
            telegram_coach_chat_id=os.environ.get("WW_TELEGRAM_COACH_CHAT_ID", "").strip(),
            smtp_host=os.environ.get("WW_SMTP_HOST", "").strip(),
            smtp_port=int(_env("WW_SMTP_PORT", "25")),
            smtp_sender=_env("WW_SMTP_SENDER", "welzijnswijzer@example.org"),
            cookie_secure=_env("WW_COOKIE_SECURE", "false").lower() in {"1", "true", "yes"},
            tracker_db=Path(_env("WW_TRACKER_DB", str(var_dir / "rasa_tracker.db"))),
            frame_ancestors=_env("WW_FRAME_ANCESTORS", "'none'"),
            telegram_webhook_listen=_env("WW_TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:8443"),
            max_message_chars=int(_env("WW_MAX_MESSAGE_CHARS", "1000")),
            chat_messages_per_minute=int(_env("WW_CHAT_MESSAGES_PER_MINUTE", "30")),
            conversation_idle_minutes=int(_env("WW_CONVERSATION_IDLE_MINUTES", "30")),
            rasa_timeout_seconds=float(_env("WW_RASA_TIMEOUT_SECONDS", "9")),
            action_timeout_seconds=float(_env("WW_ACTION_TIMEOUT_SECONDS", "4")),
            account_session_hours=int(_env("WW_ACCOUNT_SESSION_HOURS", "8")),
            account_idle_minutes=int(_env("WW_ACCOUNT_IDLE_MINUTES", "60")),
            import_max_bytes=int(_env("WW_IMPORT_MAX_BYTES", "20000000")),
            import_max_depth=int(_env("WW_IMPORT_MAX_DEPTH", "40")),
            smtp_user=os.environ.get("WW_SMTP_USER", "").strip(),
            smtp_password=os.environ.get("WW_SMTP_PASSWORD", ""),
            log_level=_env("LOG_LEVEL", _env("WW_LOG_LEVEL", "INFO")).upper(),
        )
