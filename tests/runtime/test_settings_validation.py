"""One typed settings object: values are checked at start-up, and the production profile
refuses the development defaults (generated secrets, SQLite, cookies without Secure)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.settings import PROJECT_ROOT, Settings, SettingsError

PRODUCTION = {
    "WW_PROFILE": "productie",
    "WW_SECRET_KEY": "x" * 48,
    "WW_DATABASE_URL": "postgresql+psycopg2://ww:geheim@127.0.0.1:5432/ww",
    "WW_COOKIE_SECURE": "true",
    "WW_PUBLIC_URL": "https://welzijnswijzer.example.org",
    "WW_REDIS_URL": "redis://127.0.0.1:6379/0",
    "WW_TRACKER_STORE_URL": "postgresql+psycopg2://rasa:geheim@127.0.0.1:5432/rasa",
}


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("WW_") or key in {"TELEGRAM_BOT_TOKEN", "LOG_LEVEL"}:
            monkeypatch.delenv(key)
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    return tmp_path


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WW_WEB_PORT", "achtduizend"),
        ("WW_WEB_PORT", "70000"),
        ("WW_CHAT_MESSAGES_PER_MINUTE", "0"),
        ("WW_RASA_TIMEOUT_SECONDS", "nan"),
        ("WW_COOKIE_SECURE", "misschien"),
        ("WW_TIMEZONE", "Europe/Nergensland"),
        ("WW_OUTBOX_MAX_ATTEMPTS", "-1"),
        ("WW_DB_POOL_SIZE", "0"),
        ("WW_DB_STATEMENT_TIMEOUT_MS", "5s"),
        ("WW_TEAMS_FILE", "/bestaat/niet.yml"),
        ("WW_PRIVACY_FILE", "/bestaat/niet.yml"),
        ("WW_REDIS_URL", "http://127.0.0.1:6379"),
        ("WW_TRACKER_STORE_URL", "sqlite:///tracker.db"),
        ("WW_PROFILE", "test"),
        ("LOG_LEVEL", "LUID"),
        ("WW_FERNET_KEYS", "geen-fernet-sleutel"),
        ("WW_RASA_URLS", "http://rasa-0:5005,rasa-1:5005"),
        ("WW_METRICS_TOKEN", "te-kort"),
        ("WW_LOG_FORMAT", "xml"),
    ],
)
def test_a_wrong_value_stops_start_up_with_the_variable_named(clean_env, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert name in str(raised.value)


def test_text_values_are_read_the_same_way_for_every_setting(clean_env, monkeypatch):
    monkeypatch.setenv("WW_REDIS_URL", "  redis://127.0.0.1:6379/0  ")
    monkeypatch.setenv("WW_METRICS_TOKEN", " " + "m" * 20 + " ")
    monkeypatch.setenv("WW_RASA_URLS", " http://rasa-0:5005/ , ,https://rasa-1:5005 ")
    monkeypatch.setenv("WW_TRACKER_STORE_URL", "postgresql://rasa@127.0.0.1/rasa")
    monkeypatch.setenv("WW_SMTP_PASSWORD", " met spaties ")
    monkeypatch.setenv("WW_LOG_FORMAT", "JSON")
    settings = Settings.from_env()
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.metrics_token == "m" * 20
    assert settings.rasa_replica_urls == ("http://rasa-0:5005", "https://rasa-1:5005")
    assert settings.smtp_password == " met spaties "
    assert settings.log_format == "json"


def test_every_problem_is_named_at_once(clean_env, monkeypatch):
    monkeypatch.setenv("WW_WEB_PORT", "x")
    monkeypatch.setenv("WW_SMTP_PORT", "y")
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert "WW_WEB_PORT" in str(raised.value) and "WW_SMTP_PORT" in str(raised.value)


def test_library_settings_are_typed_fields(clean_env, monkeypatch, tmp_path):
    teams = tmp_path / "teams.yml"
    teams.write_text("standaard_team: {code: r, naam: R, organisatie: r}\n", encoding="utf-8")
    values = {
        "WW_TIMEZONE": "Europe/London",
        "WW_TEAMS_FILE": str(teams),
        "WW_MODELS_DIR": str(tmp_path / "modellen"),
        "WW_RETENTION_DAYS": "45",
        "WW_RETENTION_TRACKER_DAYS": "0",
        "WW_SENDER_POLL_SECONDS": "0.5",
        "WW_SENDER_PURGE": "false",
        "WW_OUTBOX_LEASE_SECONDS": "60",
        "WW_OUTBOX_MAX_ATTEMPTS": "3",
        "WW_DB_POOL_SIZE": "7",
        "WW_DB_STATEMENT_TIMEOUT_MS": "2500",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert settings.timezone == "Europe/London" and settings.teams_file == teams
    assert settings.models_dir == tmp_path / "modellen"
    assert (settings.retention_days, settings.retention_tracker_days) == (45, 0)
    assert settings.sender_poll_seconds == 0.5 and settings.sender_purge is False
    assert settings.outbox_lease_seconds == 60.0 and settings.outbox_max_attempts == 3
    assert settings.engine_options.pool_size == 7
    assert settings.engine_options.statement_timeout_ms == 2500


def test_production_refuses_every_development_default(clean_env):
    with pytest.raises(SettingsError) as raised:
        os.environ["WW_PROFILE"] = "productie"
        try:
            Settings.from_env()
        finally:
            del os.environ["WW_PROFILE"]
    message = str(raised.value)
    for needed in ("WW_SECRET_KEY", "WW_FERNET_KEYS", "SQLite", "WW_COOKIE_SECURE", "https", "WW_REDIS_URL",
                   "WW_TRACKER_STORE_URL"):
        assert needed in message, needed
    # Production writes no development secret to disk.
    assert not (clean_env / "var" / "secret_key").exists()
    assert not (clean_env / "var" / "fernet_key").exists()


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("WW_SECRET_KEY", "", "WW_SECRET_KEY"),
        ("WW_SECRET_KEY", "te-kort", "WW_SECRET_KEY"),
        ("WW_FERNET_KEYS", "", "WW_FERNET_KEYS"),
        ("WW_DATABASE_URL", "sqlite:////tmp/ww.db", "SQLite"),
        ("WW_COOKIE_SECURE", "false", "WW_COOKIE_SECURE"),
        ("WW_PUBLIC_URL", "http://welzijnswijzer.example.org", "WW_PUBLIC_URL"),
        ("WW_REDIS_URL", "", "WW_REDIS_URL"),
        ("WW_TRACKER_STORE_URL", "", "WW_TRACKER_STORE_URL"),
    ],
)
def test_production_refuses_each_default_on_its_own(clean_env, monkeypatch, name, value, named):
    for key, good in {**PRODUCTION, "WW_FERNET_KEYS": Fernet.generate_key().decode()}.items():
        monkeypatch.setenv(key, good)
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert named in str(raised.value)
    assert str(raised.value).count("\n- ") == 1  # only the one problem


def test_production_starts_with_real_values(clean_env, monkeypatch):
    for key, good in {**PRODUCTION, "WW_FERNET_KEYS": Fernet.generate_key().decode()}.items():
        monkeypatch.setenv(key, good)
    settings = Settings.from_env()
    assert settings.is_production and settings.generated_secrets == ()
    assert settings.production_problems() == []


def test_a_process_refuses_to_start_in_production_with_defaults(clean_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WW_")}
    env.update(WW_PROFILE="productie", WW_VAR_DIR=str(clean_env / "var"))
    result = subprocess.run(
        [sys.executable, "-m", "bot.handoff.sender"], env=env, cwd=PROJECT_ROOT,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "SettingsError" in result.stderr and "WW_DATABASE_URL is SQLite" in result.stderr


LIBRARY_DIRS = ("bot", "sociale_kaart", "actions")
# Only the settings module and process entry points read the environment.
ENTRY_POINTS = {
    "bot/settings.py",
    "bot/processes.py",  # builds the environment of child processes from Settings
    "bot/training.py",  # passes the environment on to `rasa train`
    "sociale_kaart/cli.py",  # the editors' command line, a process entry point
}


def _reads_environment(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                return True
    return False


def test_libraries_do_not_read_the_environment():
    offenders = []
    for directory in LIBRARY_DIRS:
        for path in sorted((PROJECT_ROOT / directory).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT).as_posix()
            if relative in ENTRY_POINTS:
                continue
            if _reads_environment(ast.parse(path.read_text(encoding="utf-8"))):
                offenders.append(relative)
    assert offenders == [], f"read os.environ outside bot/settings.py: {offenders}"


def test_readme_names_every_setting():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    source = Path(PROJECT_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"WW_[A-Z0-9_]+", node.value):
                names.add(node.value)
    missing = sorted(name for name in names if name not in readme)
    assert missing == [], f"settings missing in README's table: {missing}"
