"""One settings object, read from the environment once and validated at start-up.

Every process (web app, Telegram bridge, action server, sender, CLI) builds its
settings with `Settings.from_env()` and passes them on; libraries never read the
environment. Secrets that are not given in the environment are generated once
into `var/` so a fresh clone runs without configuration. The production profile
(`WW_PROFILE=productie`) refuses those development defaults: generated secrets,
the SQLite database, cookies without Secure and in-process shared state.
A value of the wrong type or out of range stops the process with a clear
`SettingsError` naming the variable.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROFILE_DEVELOPMENT = "ontwikkeling"
PROFILE_PRODUCTION = "productie"
_PROFILE_NAMES = {
    "": PROFILE_DEVELOPMENT,
    "ontwikkeling": PROFILE_DEVELOPMENT,
    "development": PROFILE_DEVELOPMENT,
    "dev": PROFILE_DEVELOPMENT,
    "productie": PROFILE_PRODUCTION,
    "production": PROFILE_PRODUCTION,
    "prod": PROFILE_PRODUCTION,
}
_TRUE = {"1", "true", "yes", "ja", "on"}
_FALSE = {"0", "false", "no", "nee", "off"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """The environment holds an invalid setting; the message names every problem."""


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


class _Reader:
    """Typed reads of the environment; collects every problem before raising."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(self, name: str, default: str = "") -> str:
        return _env(name, default)

    def secret(self, name: str) -> str:
        """A secret as given (not stripped: a password may start or end with a space)."""
        return os.environ.get(name, "")

    def choice(self, name: str, default: str, allowed, label: str | None = None) -> str:
        """A lower-case word out of `allowed`; anything else is a problem and gives `default`."""
        raw = _env(name, default).lower()
        if raw not in allowed:
            self.problems.append(f"{label or name}={raw!r} is not one of {', '.join(allowed)}")
            return default
        return raw

    def url(self, name: str, schemes: tuple[str, ...], meaning: str) -> str:
        """An optional address that must start with one of `schemes` (empty: not set)."""
        value = _env(name, "")
        if value and not value.startswith(schemes):
            self.problems.append(f"{name} must {meaning}")
        return value

    def url_list(self, name: str, schemes: tuple[str, ...], meaning: str) -> tuple[str, ...]:
        """A comma-separated list of addresses, each without a trailing slash."""
        urls = tuple(url.strip().rstrip("/") for url in _env(name, "").split(",") if url.strip())
        if any(not url.startswith(schemes) for url in urls):
            self.problems.append(f"{name} must {meaning}")
        return urls

    def integer(
        self, name: str, default: int, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        raw = _env(name, str(default))
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(f"{name}={raw!r} is not a whole number")
            return default
        return self._in_range(name, value, minimum, maximum, default)

    def number(
        self, name: str, default: float, minimum: float | None = None, maximum: float | None = None
    ) -> float:
        raw = _env(name, str(default))
        try:
            value = float(raw)
        except ValueError:
            self.problems.append(f"{name}={raw!r} is not a number")
            return default
        if value != value or value in (float("inf"), float("-inf")):
            self.problems.append(f"{name}={raw!r} is not a finite number")
            return default
        return self._in_range(name, value, minimum, maximum, default)

    def flag(self, name: str, default: bool) -> bool:
        raw = _env(name, "true" if default else "false").lower()
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        self.problems.append(f"{name}={raw!r} is not true/false")
        return default

    def _in_range(self, name, value, minimum, maximum, default):
        if minimum is not None and value < minimum:
            self.problems.append(f"{name}={value} is below the minimum {minimum}")
            return default
        if maximum is not None and value > maximum:
            self.problems.append(f"{name}={value} is above the maximum {maximum}")
            return default
        return value


def replica_urls(base_url: str, replicas: int) -> tuple[str, ...]:
    """`base_url` and the same address on the next `replicas - 1` ports."""
    parsed = urlparse(base_url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    host = parsed.hostname or "127.0.0.1"
    return tuple(
        parsed._replace(netloc=f"{host}:{port + index}").geturl().rstrip("/") for index in range(replicas)
    )


@dataclass(frozen=True)
class EngineOptions:
    """Connection pool and statement timeout of our SQLAlchemy engines (PostgreSQL).

    SQLite ignores the pool settings; the statement timeout applies to PostgreSQL only.
    """

    pool_size: int = 5
    max_overflow: int = 10
    pool_pre_ping: bool = True
    pool_recycle_seconds: int = 1800
    pool_timeout_seconds: float = 10.0
    statement_timeout_ms: int = 5000


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
    rasa_timeout_seconds: float = 8.0
    # Longest wait of Rasa for one custom action (bot.rasa_server sets it in Rasa).
    action_timeout_seconds: float = 4.0
    # Web accounts (bot.accounts): session lifetime and inactivity limit.
    account_session_hours: int = 8
    account_idle_minutes: int = 60
    # Editors' back office (/redactie): entries not verified for this many days are stale.
    redactie_stale_days: int = 180
    # Verification reminders (bot.handoff.verification): days between reminders, how many
    # unanswered ones before an entry is marked, and whether the sender queues them hourly.
    redactie_reminder_interval_days: int = 14
    redactie_reminder_max: int = 3
    redactie_reminders: bool = True
    # Catalogue import files: largest file and deepest nesting accepted.
    import_max_bytes: int = 20_000_000
    import_max_depth: int = 40
    # SMTP login for the notification sender (STARTTLS first when the server offers it).
    smtp_user: str = ""
    smtp_password: str = ""
    # Log level of every process (bot.logging_setup); LOG_LEVEL, as bot.processes sets it.
    log_level: str = "INFO"
    # "text" (make run) or "json": one JSON object per line, no message text (bot.logging_setup).
    log_format: str = "text"
    # Bearer token for GET /metrics (bot.metrics); "" = only clients on the loopback address.
    metrics_token: str = ""
    # "ontwikkeling" (make run, tests) or "productie" (refuses development defaults).
    profile: str = PROFILE_DEVELOPMENT
    # Which secrets were generated into var/ because the environment did not give them.
    generated_secrets: tuple[str, ...] = ()
    # Times shown in the coach inbox.
    timezone: str = "Europe/Amsterdam"
    # Organisation details on the privacy page; gemeente -> coach team routing.
    privacy_file: Path = PROJECT_ROOT / "bot" / "web" / "pages" / "privacy.yml"
    teams_file: Path = PROJECT_ROOT / "bot" / "handoff" / "teams.yml"
    # Trained Rasa models (bot.training) and the built spaCy pipeline ("" = a blank one).
    models_dir: Path = PROJECT_ROOT / "var" / "models"
    spacy_model: str = ""
    # Retention (bot.handoff.purge; the consent text names retention_days).
    retention_days: int = 90
    retention_tracker_days: int = 30
    retention_draft_days: int = 2
    # Notification sender and outbox (bot.handoff.sender, bot.handoff.outbox).
    sender_poll_seconds: float = 2.0
    sender_purge: bool = True
    outbox_lease_seconds: float = 120.0
    outbox_base_delay_seconds: float = 30.0
    outbox_max_delay_seconds: float = 3600.0
    outbox_max_attempts: int = 12
    # Connection pool and statement timeout of our databases.
    engine_options: EngineOptions = field(default_factory=EngineOptions)
    # Shared web state (rate limits, offered buttons) and Rasa's lock store: "" = in memory.
    redis_url: str = ""
    # Rasa's tracker store on PostgreSQL (a database URL); "" = SQLite at tracker_db.
    tracker_store_url: str = ""
    # Replicated profile: this many Rasa servers, action servers, web workers and senders
    # (bot.processes); replica k listens on the base port + k - 1. 1 = make run's single set.
    replicas: int = 1
    # Rasa servers on their own hosts (Kubernetes: the pods of a StatefulSet, headless Service),
    # WW_RASA_URLS; they all call the one action server (Service) at action_server_url.
    rasa_replica_urls: tuple[str, ...] = ()

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """Every Rasa replica, in order (the relay routes a conversation to one of them)."""
        if self.rasa_replica_urls:
            return self.rasa_replica_urls
        return replica_urls(self.rasa_url, self.replicas)

    @property
    def action_server_urls(self) -> tuple[str, ...]:
        """Every action server replica; Rasa replica k uses action server k."""
        if self.rasa_replica_urls:
            return (self.action_server_url,) * len(self.rasa_replica_urls)
        return replica_urls(self.action_server_url, self.replicas)

    @property
    def is_production(self) -> bool:
        return self.profile == PROFILE_PRODUCTION

    def production_problems(self) -> list[str]:
        """What keeps these settings from the production profile (empty: fit for it)."""
        problems = []
        for name in self.generated_secrets:
            problems.append(f"{name} is not set: a generated development secret is not allowed")
        if self.database_url.startswith("sqlite"):
            problems.append("WW_DATABASE_URL is SQLite: production needs PostgreSQL")
        if not self.cookie_secure:
            problems.append("WW_COOKIE_SECURE is false: production cookies must be Secure (HTTPS)")
        if not self.public_url.startswith("https://"):
            problems.append("WW_PUBLIC_URL must start with https:// in production")
        if not self.redis_url:
            problems.append("WW_REDIS_URL is not set: rate limits must be shared by all web workers")
        if not self.tracker_store_url:
            problems.append("WW_TRACKER_STORE_URL is not set: Rasa's tracker store would be SQLite")
        return problems

    @classmethod
    def from_env(cls) -> Settings:
        read = _Reader()
        profile_raw = read.text("WW_PROFILE").lower()
        profile = _PROFILE_NAMES.get(profile_raw)
        if profile is None:
            read.problems.append(f"WW_PROFILE={profile_raw!r} is not 'ontwikkeling' or 'productie'")
            profile = PROFILE_DEVELOPMENT
        production = profile == PROFILE_PRODUCTION
        var_dir = Path(read.text("WW_VAR_DIR", str(PROJECT_ROOT / "var"))).resolve()
        database_url = read.text("WW_DATABASE_URL", f"sqlite:///{var_dir / 'welzijnswijzer.db'}")
        generated: list[str] = []
        secret_key = read.text("WW_SECRET_KEY")
        if not secret_key:
            generated.append("WW_SECRET_KEY")
            # Production never writes a development secret to disk.
            secret_key = "" if production else _read_or_create_secret(
                var_dir / "secret_key", lambda: secrets.token_urlsafe(48)
            )
        elif production and len(secret_key) < 32:
            read.problems.append("WW_SECRET_KEY is shorter than 32 characters")
        fernet_env = read.text("WW_FERNET_KEYS")
        if fernet_env:
            fernet_keys = tuple(k.strip() for k in fernet_env.split(",") if k.strip())
            for number, key in enumerate(fernet_keys, start=1):
                try:
                    Fernet(key)
                except (ValueError, TypeError):
                    read.problems.append(f"WW_FERNET_KEYS: key {number} is not a valid Fernet key")
        else:
            generated.append("WW_FERNET_KEYS")
            fernet_keys = () if production else (
                _read_or_create_secret(var_dir / "fernet_key", lambda: Fernet.generate_key().decode()),
            )
        web_port = read.integer("WW_WEB_PORT", 8000, 1, 65535)
        web_host = read.text("WW_WEB_HOST", "127.0.0.1")
        timezone = read.text("WW_TIMEZONE", "Europe/Amsterdam")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            read.problems.append(f"WW_TIMEZONE={timezone!r} is not a known time zone")
            timezone = "Europe/Amsterdam"
        log_level = read.text("LOG_LEVEL", read.text("WW_LOG_LEVEL", "INFO")).upper()
        if log_level not in LOG_LEVELS:
            read.problems.append(f"LOG_LEVEL={log_level!r} is not one of {', '.join(LOG_LEVELS)}")
            log_level = "INFO"
        log_format = read.choice("WW_LOG_FORMAT", "json" if production else "text", LOG_FORMATS)
        metrics_token = read.text("WW_METRICS_TOKEN")
        if metrics_token and len(metrics_token) < 16:
            read.problems.append("WW_METRICS_TOKEN is shorter than 16 characters")
        privacy_file = Path(read.text("WW_PRIVACY_FILE", str(cls.privacy_file)))
        teams_file = Path(read.text("WW_TEAMS_FILE", str(cls.teams_file)))
        for name, path in (("WW_PRIVACY_FILE", privacy_file), ("WW_TEAMS_FILE", teams_file)):
            if not path.is_file():
                read.problems.append(f"{name}={str(path)!r} is not a file")
        tracker_store_url = read.url(
            "WW_TRACKER_STORE_URL", ("postgresql",), "be a postgresql:// database URL"
        )
        redis_url = read.url(
            "WW_REDIS_URL", ("redis://", "rediss://", "unix://"), "start with redis://, rediss:// or unix://"
        )
        engine_options = EngineOptions(
            pool_size=read.integer("WW_DB_POOL_SIZE", 5, 1, 200),
            max_overflow=read.integer("WW_DB_MAX_OVERFLOW", 10, 0, 500),
            pool_pre_ping=read.flag("WW_DB_POOL_PRE_PING", True),
            pool_recycle_seconds=read.integer("WW_DB_POOL_RECYCLE_SECONDS", 1800, -1, 86400),
            pool_timeout_seconds=read.number("WW_DB_POOL_TIMEOUT_SECONDS", 10.0, 0.1, 300),
            statement_timeout_ms=read.integer("WW_DB_STATEMENT_TIMEOUT_MS", 5000, 0, 3_600_000),
        )
        replicas = read.integer("WW_REPLICAS", 1, 1, 8)
        if replicas > 1 and not (redis_url and tracker_store_url):
            read.problems.append(
                "WW_REPLICAS > 1 needs WW_REDIS_URL (lock store, shared limits) and WW_TRACKER_STORE_URL"
            )
        rasa_replica_urls = read.url_list(
            "WW_RASA_URLS", ("http://", "https://"), "be a comma-separated list of http(s):// addresses"
        )
        if len(rasa_replica_urls) > 1 and not (redis_url and tracker_store_url):
            read.problems.append("WW_RASA_URLS with several servers needs WW_REDIS_URL and WW_TRACKER_STORE_URL")
        settings = cls(
            var_dir=var_dir,
            database_url=database_url,
            rasa_url=read.text("WW_RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            action_server_url=read.text("WW_ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip("/"),
            web_host=web_host,
            web_port=web_port,
            public_url=read.text("WW_PUBLIC_URL", f"http://{web_host}:{web_port}").rstrip("/"),
            secret_key=secret_key,
            fernet_keys=fernet_keys,
            telegram_bot_token=read.text("TELEGRAM_BOT_TOKEN"),
            telegram_webhook_url=read.text("WW_TELEGRAM_WEBHOOK_URL"),
            telegram_api_base_url=read.text("WW_TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
            telegram_coach_chat_id=read.text("WW_TELEGRAM_COACH_CHAT_ID"),
            smtp_host=read.text("WW_SMTP_HOST"),
            smtp_port=read.integer("WW_SMTP_PORT", 25, 1, 65535),
            smtp_sender=read.text("WW_SMTP_SENDER", "welzijnswijzer@example.org"),
            cookie_secure=read.flag("WW_COOKIE_SECURE", False),
            tracker_db=Path(read.text("WW_TRACKER_DB", str(var_dir / "rasa_tracker.db"))),
            frame_ancestors=read.text("WW_FRAME_ANCESTORS", "'none'"),
            telegram_webhook_listen=read.text("WW_TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1:8443"),
            max_message_chars=read.integer("WW_MAX_MESSAGE_CHARS", 1000, 1, 100_000),
            chat_messages_per_minute=read.integer("WW_CHAT_MESSAGES_PER_MINUTE", 30, 1, 10_000),
            conversation_idle_minutes=read.integer("WW_CONVERSATION_IDLE_MINUTES", 30, 1, 24 * 60),
            rasa_timeout_seconds=read.number("WW_RASA_TIMEOUT_SECONDS", 8.0, 0.1, 300),
            action_timeout_seconds=read.number("WW_ACTION_TIMEOUT_SECONDS", 4.0, 0.1, 300),
            account_session_hours=read.integer("WW_ACCOUNT_SESSION_HOURS", 8, 1, 24 * 7),
            account_idle_minutes=read.integer("WW_ACCOUNT_IDLE_MINUTES", 60, 1, 24 * 60),
            redactie_stale_days=read.integer("WW_REDACTIE_STALE_DAYS", 180, 1, 3650),
            redactie_reminder_interval_days=read.integer("WW_REDACTIE_REMINDER_INTERVAL_DAYS", 14, 1, 365),
            redactie_reminder_max=read.integer("WW_REDACTIE_REMINDER_MAX", 3, 1, 20),
            redactie_reminders=read.flag("WW_REDACTIE_REMINDERS", True),
            import_max_bytes=read.integer("WW_IMPORT_MAX_BYTES", 20_000_000, 1, 2_000_000_000),
            import_max_depth=read.integer("WW_IMPORT_MAX_DEPTH", 40, 1, 10_000),
            smtp_user=read.text("WW_SMTP_USER"),
            smtp_password=read.secret("WW_SMTP_PASSWORD"),
            log_level=log_level,
            log_format=log_format,
            metrics_token=metrics_token,
            profile=profile,
            generated_secrets=tuple(generated),
            timezone=timezone,
            privacy_file=privacy_file,
            teams_file=teams_file,
            models_dir=Path(read.text("WW_MODELS_DIR", str(PROJECT_ROOT / "var" / "models"))),
            spacy_model=read.text("WW_SPACY_MODEL"),
            retention_days=read.integer("WW_RETENTION_DAYS", 90, 0, 3650),
            retention_tracker_days=read.integer("WW_RETENTION_TRACKER_DAYS", 30, 0, 3650),
            retention_draft_days=read.integer("WW_RETENTION_DRAFT_DAYS", 2, 0, 365),
            sender_poll_seconds=read.number("WW_SENDER_POLL_SECONDS", 2.0, 0.05, 3600),
            sender_purge=read.flag("WW_SENDER_PURGE", True),
            outbox_lease_seconds=read.number("WW_OUTBOX_LEASE_SECONDS", 120.0, 1, 86400),
            outbox_base_delay_seconds=read.number("WW_OUTBOX_BASE_DELAY_SECONDS", 30.0, 0, 86400),
            outbox_max_delay_seconds=read.number("WW_OUTBOX_MAX_DELAY_SECONDS", 3600.0, 0, 7 * 86400),
            outbox_max_attempts=read.integer("WW_OUTBOX_MAX_ATTEMPTS", 12, 1, 1000),
            engine_options=engine_options,
            redis_url=redis_url,
            tracker_store_url=tracker_store_url,
            replicas=replicas,
            rasa_replica_urls=rasa_replica_urls,
        )
        problems = list(read.problems)
        if production:
            problems += settings.production_problems()
        if problems:
            raise SettingsError(
                f"invalid settings (profile {profile}):\n" + "\n".join(f"- {p}" for p in problems)
            )
        return settings
