"""Settings defaults, generated development secrets, the training hash and the spaCy build."""
from __future__ import annotations

import os
import stat

import pytest
import spacy
from cryptography.fernet import Fernet

from bot.nlp.build_spacy import build
from bot.settings import Settings
from bot.training import training_hash


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("WW_") or key == "TELEGRAM_BOT_TOKEN":
            monkeypatch.delenv(key)
    monkeypatch.setenv("WW_VAR_DIR", str(tmp_path / "var"))
    return tmp_path


def test_defaults_are_local_and_secrets_are_generated_once(clean_env):
    first = Settings.from_env()
    assert first.database_url == f"sqlite:///{clean_env / 'var' / 'welzijnswijzer.db'}"
    assert first.rasa_url == "http://127.0.0.1:5005"
    assert first.web_host == "127.0.0.1" and first.web_port == 8000
    assert first.public_url == "http://127.0.0.1:8000"
    assert first.telegram_bot_token == ""
    key_file = clean_env / "var" / "fernet_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = Settings.from_env()
    assert (second.secret_key, second.fernet_keys) == (first.secret_key, first.fernet_keys)


def test_environment_overrides_defaults(clean_env, monkeypatch):
    new_key, old_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("WW_FERNET_KEYS", f"{new_key}, {old_key}")
    monkeypatch.setenv("WW_WEB_PORT", "8123")
    monkeypatch.setenv("WW_RASA_URL", "http://127.0.0.1:6000/")
    settings = Settings.from_env()
    assert settings.fernet_keys == (new_key, old_key)
    assert settings.web_port == 8123 and settings.public_url.endswith(":8123")
    assert settings.rasa_url == "http://127.0.0.1:6000"
    assert not (clean_env / "var" / "fernet_key").exists()


def test_training_hash_follows_training_inputs_only(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    (tmp_path / "domain.yml").write_text("version: '3.1'\n")
    (tmp_path / "data" / "nlu.yml").write_text("nlu: []\n")
    before = training_hash(tmp_path)
    (tmp_path / "README.md").write_text("not a training input")
    assert training_hash(tmp_path) == before
    (tmp_path / "data" / "nlu.yml").write_text("nlu: [x]\n")
    assert training_hash(tmp_path) != before


def test_blank_dutch_pipeline_lemmatizes_and_is_built_once(tmp_path):
    target = tmp_path / "spacy_nl"
    assert build(target) is True
    assert build(target) is False
    nlp = spacy.load(target)
    lemmas = [token.lemma_ for token in nlp("wandelde met honden")]
    assert lemmas == ["wandelen", "met", "hond"]
