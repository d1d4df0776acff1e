"""The processes that make up a running assistant, in one place.

`bot.run` (make run) starts them under bot.supervisor; the end-to-end test harness starts
the same commands on free ports. Both get their ports and paths from `Settings`
plus the environment built here, so the two can never drift apart.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bot.rasa_endpoints import endpoints_file, rasa_environment
from bot.settings import PROJECT_ROOT, Settings

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    command: list[str]
    health_url: str | None
    # Variables this process gets on top of process_env (a replica's own port, its action server).
    env: dict[str, str] = field(default_factory=dict)


def process_env(settings: Settings, log_level: str = "INFO") -> dict[str, str]:
    """Environment shared by every process: the settings made explicit."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": log_level,
        "LOG_LEVEL_LIBRARIES": "WARNING",
        "SANIC_HOST": urlparse(settings.action_server_url).hostname or "127.0.0.1",
        "WW_VAR_DIR": str(settings.var_dir),
        "WW_DATABASE_URL": settings.database_url,
        "WW_RASA_URL": settings.rasa_url,
        "WW_ACTION_SERVER_URL": settings.action_server_url,
        "WW_WEB_HOST": settings.web_host,
        "WW_WEB_PORT": str(settings.web_port),
        "WW_TRACKER_DB": str(settings.tracker_db),
        "WW_SECRET_KEY": settings.secret_key,
        "WW_FERNET_KEYS": ",".join(settings.fernet_keys),
        "WW_RASA_TIMEOUT_SECONDS": str(settings.rasa_timeout_seconds),
        "WW_ACTION_TIMEOUT_SECONDS": str(settings.action_timeout_seconds),
        "WW_REPLICAS": str(settings.replicas),
        # PostgreSQL tracker store / Redis lock store, when configured (bot.rasa_endpoints).
        **rasa_environment(settings),
    }


def process_specs(settings: Settings, model: Path, log_level: str = "INFO") -> list[ProcessSpec]:
    """The processes of the assistant. With `settings.replicas` > 1 (the replicated profile)
    every kind runs that many times, named `rasa-1`, `rasa-2`, ...: replica k listens on the
    base port + k - 1, and Rasa replica k calls action server k. The web workers know every
    Rasa replica (bot.relay routes a conversation to one of them)."""
    debug = ["--debug"] if log_level == "DEBUG" else []
    endpoints = endpoints_file(settings)
    count = settings.replicas
    specs: list[ProcessSpec] = []
    for index in range(count):
        suffix = f"-{index + 1}" if count > 1 else ""
        rasa_url, action_url = settings.rasa_urls[index], settings.action_server_urls[index]
        rasa, actions = urlparse(rasa_url), urlparse(action_url)
        web_port = settings.web_port + index
        specs += [
            ProcessSpec(
                f"actions{suffix}",
                # `rasa run actions`, with bot.logging_setup's protection installed first.
                [
                    sys.executable,
                    "-m",
                    "bot.action_server",
                    "--actions",
                    "actions",
                    "--port",
                    str(actions.port),
                    *debug,
                ],
                f"{action_url}/health",
            ),
            ProcessSpec(
                f"rasa{suffix}",
                [
                    # Rasa's CLI with a short action timeout and a visible action failure.
                    sys.executable,
                    "-m",
                    "bot.rasa_server",
                    "run",
                    "--model",
                    str(model),
                    "--interface",
                    rasa.hostname or "127.0.0.1",
                    "--port",
                    str(rasa.port),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    str(PROJECT_ROOT / "credentials.yml"),
                    *debug,
                ],
                f"{rasa_url}/",
                # The endpoints file reads ${WW_ACTION_SERVER_URL}: this replica's action server.
                {"WW_ACTION_SERVER_URL": action_url} if count > 1 else {},
            ),
            ProcessSpec(
                f"web{suffix}",
                [sys.executable, "-m", "bot.web"],
                f"http://{settings.web_host}:{web_port}/health",
                # Every worker keeps the one public address (links) and knows all Rasa replicas.
                {"WW_WEB_PORT": str(web_port), "WW_PUBLIC_URL": settings.public_url} if count > 1 else {},
            ),
            # Senders share the outbox through its leases (bot.handoff.outbox).
            ProcessSpec(f"sender{suffix}", [sys.executable, "-m", "bot.handoff.sender"], None),
        ]
    order = ("actions", "rasa", "web", "sender")
    specs.sort(key=lambda spec: order.index(spec.name.split("-")[0]))
    if settings.telegram_bot_token:
        specs.append(ProcessSpec("telegram", [sys.executable, "-m", "bot.telegram"], None))
    return specs
