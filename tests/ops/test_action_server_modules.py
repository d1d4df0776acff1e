"""The action server does not load TensorFlow (bot/action_server.py): the catalogue's spaCy
lemma table imports thinc, which would import TensorFlow (~210 MB) because Rasa installed it.
Checked on the real process after its warm-up loaded spaCy, in /proc/<pid>/maps. Its memory
is printed, not asserted (figures: docs/measurements.md, bench/load.py)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from support.http_standin import free_port

from bot.settings import PROJECT_ROOT


def _mapped(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_the_warm_action_server_has_spacy_but_no_tensorflow(tmp_path):
    env = {**os.environ, "WW_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1",
           "SANIC_HOST": "127.0.0.1",
           "WW_DATABASE_URL": f"sqlite:///{tmp_path / 'ww.db'}"}
    subprocess.run([sys.executable, "-m", "bot.cli", "setup-db"], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True, timeout=600)  # the demo catalogue: the warm-up builds its index
    port = free_port()
    log_file = tmp_path / "actions.log"
    with open(log_file, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "bot.action_server", "--actions", "actions",
                                    "--port", str(port)], cwd=PROJECT_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + float(os.environ.get("WW_TEST_STARTUP_TIMEOUT", "300"))
        while True:
            assert process.poll() is None, log_file.read_text()[-2000:]
            assert time.monotonic() < deadline, "spaCy was not loaded by the warm-up in time"
            try:
                up = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
            except httpx.TransportError:
                up = False
            if up and "/spacy/" in _mapped(process.pid):
                break
            time.sleep(0.5)
        time.sleep(3)  # thinc is imported right after spaCy's first modules
        maps = _mapped(process.pid)
        assert "/thinc/" in maps  # the import that used to pull TensorFlow in has happened
        assert "tensorflow" not in maps
        rss = next(line for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS"))
        print(f"action server after warm-up: {rss}")
    finally:
        process.terminate()
        process.wait(timeout=20)
