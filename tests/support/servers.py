"""Real PostgreSQL and Redis servers for the tests, from the machine's packages.

Each starts on a free 127.0.0.1 port in its own temporary directory (PostgreSQL as
the `postgres` user when the tests run as root: it refuses to run as root) and is
torn down afterwards. When the binaries are missing the tests that need them skip,
unless `CI` is set: CI installs them (.ci/run), so there a missing binary fails.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed; CI must install it (.ci/run)")
    pytest.skip(f"{what} is not installed on this machine")


def postgres_binary(name: str) -> str | None:
    """`name` (initdb, pg_ctl, pg_dump, psql) of the newest installed PostgreSQL."""
    versioned = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0,
    )
    if versioned:
        return versioned[-1]
    return shutil.which(name)


def _as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PostgresServer:
    """A throw-away cluster; `url(db)` gives a SQLAlchemy URL, `create_database()` a fresh db."""

    user = "ww"

    def __init__(self) -> None:
        self.initdb = postgres_binary("initdb")
        self.pg_ctl = postgres_binary("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            _missing("PostgreSQL (initdb, pg_ctl)")
        self.base = Path(tempfile.mkdtemp(prefix="ww-pg-"))
        os.chmod(self.base, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres", "postgres")
        self.data = self.base / "data"
        self.port = free_port()

    def _run(self, command: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_postgres_user(command), check=True, capture_output=True, text=True, timeout=timeout
        )

    def start(self) -> None:
        if not self.data.exists():
            self._run([self.initdb, "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                       "--locale=C.UTF-8"])
        self._run([
            self.pg_ctl, "-D", str(self.data), "-l", str(self.base / "log"), "-w", "-t", "60",
            "-o", f"-p {self.port} -k {self.base} -h 127.0.0.1 -c fsync=off -c max_connections=200",
            "start",
        ])

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(_as_postgres_user([self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"]),
                       capture_output=True, timeout=120)

    def restart(self) -> None:
        self.stop()
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; returns its URL."""
        import psycopg2

        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user, dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.url(name)

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


class RedisServer:
    """redis-server on a free port, without persistence; can be stopped and started again."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        if not self.binary:
            _missing("Redis (redis-server)")
        self.base = Path(tempfile.mkdtemp(prefix="ww-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.base), "--protected-mode", "yes"],
            stdout=open(self.base / "log", "ab"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushall()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@contextmanager
def postgres_server():
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@contextmanager
def redis_server():
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the session; tests take a fresh database from it."""
    with postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres):
    """A fresh, empty PostgreSQL database for one test."""
    return postgres.create_database()


@pytest.fixture(scope="session")
def redis_session():
    with redis_server() as server:
        yield server


@pytest.fixture
def redis_url(redis_session):
    """The session's Redis server, emptied for this test (started again if a test stopped it)."""
    if redis_session.process is None or redis_session.process.poll() is not None:
        redis_session.start()
    redis_session.flush()
    return redis_session.url
