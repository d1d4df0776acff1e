"""Shared fixtures. `tests/` is on sys.path (pytest rootdir conftest), so test
modules import the harness as `from support.stack import ...`."""
from __future__ import annotations

import pytest

# Real PostgreSQL and Redis servers (session-scoped), for the production-path tests.
from support.servers import postgres, postgres_url, redis_session, redis_url  # noqa: F401
from support.stack import ChatClient, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """One real stack (actions, Rasa, web app) shared by the end-to-end tests."""
    with running_stack(tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture
def chat(stack):
    """A fresh resident in the web chat (own conversation cookie)."""
    client = ChatClient(stack)
    yield client
    client.close()
