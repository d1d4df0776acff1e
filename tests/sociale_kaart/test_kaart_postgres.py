"""The catalogue on a real PostgreSQL server: migrations, import, idempotency and export.

Starts a throw-away cluster with the machine's initdb/pg_ctl on a free port.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid

import pytest
from kaart_helpers import GOOD_YAML

from sociale_kaart.db import make_engine, migrate
from sociale_kaart.export_hsds import catalogue_hsds
from sociale_kaart.hsds_schema import hsds_errors
from sociale_kaart.importer import import_paths
from sociale_kaart.records import load_catalogue
from sociale_kaart.reports import coverage

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + command
    return command


@pytest.fixture(scope="module")
def postgres_url():
    if not (shutil.which("initdb") or shutil.which("pg_ctl")):
        pytest.skip("PostgreSQL is not installed on this machine")
    base = f"/tmp/kaart-pg-{uuid.uuid4().hex[:8]}"
    os.makedirs(base)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    data, port = f"{base}/data", _free_port()
    initdb = shutil.which("initdb") or os.path.join(os.path.dirname(shutil.which("pg_ctl")), "initdb")
    subprocess.run(
        _as_postgres_user([initdb, "-D", data, "-U", "kaart", "--auth=trust", "-E", "UTF8"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        _as_postgres_user(
            [
                "pg_ctl",
                "-D",
                data,
                "-l",
                f"{base}/log",
                "-w",
                "-o",
                f"-p {port} -k {base} -h 127.0.0.1",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        yield f"postgresql://kaart@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user(["pg_ctl", "-D", data, "-m", "fast", "stop"]), capture_output=True, timeout=120
        )
        shutil.rmtree(base, ignore_errors=True)


def test_catalogue_on_postgresql(postgres_url):
    migrate(postgres_url)
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    try:
        first = import_paths(engine, [GOOD_YAML])
        assert (first.added, first.problems) == (3, [])
        again = import_paths(engine, [GOOD_YAML])
        assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
        with engine.connect() as connection:
            catalogue = load_catalogue(connection)
            assert coverage(connection).totals["GM0402"] == 2
        assert [a["id"] for a in catalogue["activiteiten"]] == [
            "act-koffie-oost",
            "act-mantelzorg-regio",
            "act-online-geld",
        ]
        assert hsds_errors(catalogue_hsds(engine)) == []
    finally:
        engine.dispose()
