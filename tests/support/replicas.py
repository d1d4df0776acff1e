"""The replicated profile (WW_REPLICAS=2) on one machine, for the scale and fault tests.

The same process specs `make run` uses (bot.processes): 2 Rasa servers on one
PostgreSQL tracker store and one Redis lock store, 2 action servers (Rasa replica
k calls action server k), 2 web workers on two ports (a hosting party puts its
load balancer in front; the tests address each worker directly) and 2
notification senders. Each replica listens on its base port + k - 1, so the
harness picks base ports whose next ports are free as well.

A test may kill and start single processes (`stop`, `kill`, `restart`) and
waits for them with `wait_up`.
"""
from __future__ import annotations

import os
import random
import signal
import socket
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.processes import ProcessSpec, process_env, process_specs
from bot.training import ensure_model
from support.stack import (
    STARTUP_TIMEOUT_S,
    TLS,
    Stack,
    _wait_until_up,
    make_settings,
    setup_database,
    terminate_all,
)


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_ports(count: int) -> int:
    """A port p on 127.0.0.1 with p .. p + count - 1 all free, below the kernel's ephemeral
    range: there an outgoing connection can take p + 1 between this check and the start."""
    low, _high = _ephemeral_range()
    for _ in range(500):
        base = random.randint(10000, max(10001, low - count - 1))
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no run of free ports")


@dataclass
class ReplicatedStack(Stack):
    specs: dict[str, ProcessSpec] = field(default_factory=dict)

    def worker_url(self, replica: int) -> str:
        """Web worker `replica` (1-based); `web_url` is worker 1."""
        return f"http://{self.settings.web_host}:{self.settings.web_port + replica - 1}"

    def rasa_url_of(self, replica: int) -> str:
        return self.settings.rasa_urls[replica - 1]

    def kill(self, name: str) -> None:
        """SIGKILL the process group: a crash, no clean shut-down."""
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def restart(self, name: str, timeout: float = STARTUP_TIMEOUT_S) -> None:
        if name in self.processes:
            self.stop(name)
        self.start(self.specs[name])
        self.wait_up(name, timeout)

    def wait_up(self, name: str, timeout: float = STARTUP_TIMEOUT_S) -> None:
        url = self.specs[name].health_url
        if url:
            _wait_until_up(self, name, url, time.monotonic() + timeout)

    def log_of(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def replicated_env(postgres, redis_server, replicas: int = 2) -> dict[str, str]:
    """Settings of the replicated profile on the test's PostgreSQL and Redis servers."""
    return {
        "WW_REPLICAS": str(replicas),
        "WW_DATABASE_URL": postgres.create_database("ww"),
        "WW_TRACKER_STORE_URL": postgres.create_database("rasa"),
        "WW_REDIS_URL": redis_server.url,
        "WW_RASA_URL": f"http://127.0.0.1:{free_ports(replicas)}",
        "WW_ACTION_SERVER_URL": f"http://127.0.0.1:{free_ports(replicas)}",
        "WW_WEB_PORT": str(free_ports(replicas)),
    }


def _wait_all_up(stack: ReplicatedStack, specs: list[ProcessSpec], deadline: float) -> None:
    """Until every process answers its health URL; fails at once when any process stops."""
    pending = {spec.name: spec.health_url for spec in specs if spec.health_url}
    while pending and time.monotonic() < deadline:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped during start-up:\n{stack.log_of(name)[-3000:]}")
        for name, url in list(pending.items()):
            try:
                if httpx.get(url, timeout=2, verify=TLS).status_code < 500:
                    pending.pop(name)
            except httpx.HTTPError:
                pass
        time.sleep(1)
    if pending:
        raise TimeoutError(f"not up after {STARTUP_TIMEOUT_S:.0f} s: {sorted(pending)}")


@contextmanager
def replicated_stack(
    workdir: Path,
    postgres,
    redis_server,
    *,
    replicas: int = 2,
    extra_env: dict[str, str] | None = None,
    log_level: str = "INFO",
    with_sender: bool = True,
):
    """Start every replica of actions, Rasa, web (and the senders); torn down on exit."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings, overrides = make_settings(workdir, {**replicated_env(postgres, redis_server, replicas),
                                                  **(extra_env or {})})
    env = {**process_env(settings, log_level), **overrides}
    log_dir = workdir / "logs"
    log_dir.mkdir(exist_ok=True)
    setup_database(env)
    # WW_TEST_MODEL: a trained model to use as it is (iterating while others change data/).
    model = Path(os.environ["WW_TEST_MODEL"]) if os.environ.get("WW_TEST_MODEL") else ensure_model()
    specs = [
        spec for spec in process_specs(settings, model, log_level)
        if spec.name != "telegram" and (with_sender or not spec.name.startswith("sender"))
    ]
    stack = ReplicatedStack(settings=settings, env=env, log_dir=log_dir, specs={s.name: s for s in specs})
    try:
        for spec in specs:
            stack.start(spec)
        _wait_all_up(stack, specs, time.monotonic() + STARTUP_TIMEOUT_S)
        yield stack
    finally:
        stack.rasa_http.close()
        terminate_all(stack.processes.values())


class WorkerChat:
    """A resident whose requests go to any web worker: one cookie jar, one client per worker."""

    def __init__(self, stack: ReplicatedStack):
        self.cookies = httpx.Cookies()
        self.workers = [
            httpx.Client(base_url=stack.worker_url(k + 1), timeout=60, cookies=self.cookies, verify=TLS)
            for k in range(stack.settings.replicas)
        ]

    def post(self, worker: int, text: str) -> httpx.Response:
        client = self.workers[worker - 1]
        response = client.post("/api/chat", json={"message": text})
        # Each client keeps its own jar: share the conversation cookie with the others.
        for other in self.workers:
            other.cookies.update(response.cookies)
        return response

    def say(self, worker: int, text: str) -> list[dict]:
        response = self.post(worker, text)
        response.raise_for_status()
        return response.json()["messages"]

    def history(self, worker: int = 1) -> list[dict]:
        return self.workers[worker - 1].get("/api/chat/geschiedenis").json()["messages"]

    def close(self) -> None:
        for client in self.workers:
            client.close()
