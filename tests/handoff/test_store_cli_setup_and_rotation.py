"""`welzijnswijzer setup-db` and `rotate-keys` as real processes on a temp database."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import create_engine, inspect, select

from bot.handoff.crypto import Cipher
from bot.handoff.db import session_scope
from bot.handoff.models import ContactDraft, HandoffRequest
from bot.handoff.store import HandoffStore, RequestContext
from bot.settings import PROJECT_ROOT, Settings


def cli(env, *args):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, check=True)


def test_setup_db_is_repeatable_and_rotation_moves_every_token_to_the_new_key(tmp_path, monkeypatch):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    env = {**os.environ, "WW_VAR_DIR": str(tmp_path), "WW_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}",
           "WW_FERNET_KEYS": old_key}
    cli(env, "setup-db", "--no-demo")
    assert "database klaar" in cli(env, "setup-db", "--no-demo").stdout
    engine = create_engine(env["WW_DATABASE_URL"], future=True)
    tables = set(inspect(engine).get_table_names())
    assert {"handoff_requests", "handoff_outbox", "alembic_version_handoff"} <= tables

    for name in ("WW_VAR_DIR", "WW_DATABASE_URL", "WW_FERNET_KEYS"):
        monkeypatch.setenv(name, env[name])
    store = HandoffStore.from_settings(Settings.from_env())
    with session_scope(env["WW_DATABASE_URL"]) as session:
        cipher = Cipher([old_key])
        session.add(ContactDraft(sender_hash=store.sender_hash("s"), channel="web", contact_route="email",
                                 name_encrypted=cipher.encrypt("Rotje"),
                                 contact_encrypted=cipher.encrypt("rotje@example.org")))
    store.record_consent("s", "web", "v1", "0" * 64)
    store.submit("s", RequestContext("GM0402", "Hilversum", preferred_moment="avond"))

    out = cli({**env, "WW_FERNET_KEYS": f"{new_key},{old_key}"}, "rotate-keys").stdout
    assert out.startswith("2 ")
    with engine.connect() as connection:
        token = connection.execute(select(HandoffRequest.contact_encrypted)).scalar_one()
    assert Cipher([new_key]).decrypt(token) == "rotje@example.org"
    with pytest.raises(InvalidToken):
        Cipher([old_key]).decrypt(token)
    engine.dispose()
