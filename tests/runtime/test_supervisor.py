"""bot.supervisor with real child processes (small Python commands): a crashed
process is started again with growing delays up to the cap, its output is passed
on with its name, and stopping ends every process group."""
from __future__ import annotations

import io
import os
import re
import sys
import threading
import time
from dataclasses import dataclass

from bot.supervisor import Supervisor


@dataclass(frozen=True)
class Spec:
    name: str
    command: list[str]


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _run_for(supervisor: Supervisor, seconds: float) -> None:
    thread = threading.Thread(target=supervisor.run, kwargs={"poll_seconds": 0.05})
    thread.start()
    time.sleep(seconds)
    supervisor.request_stop()
    thread.join(30)
    assert not thread.is_alive()


def test_a_crashing_process_is_restarted_with_capped_backoff_and_the_others_keep_running(tmp_path):
    out = io.StringIO()
    specs = [Spec("kapot", _python("print('opgestart', flush=True); raise SystemExit(3)")),
             Spec("gezond", _python("import time; print('bezig', flush=True); time.sleep(60)"))]
    supervisor = Supervisor(specs, dict(os.environ), str(tmp_path), base_delay=0.2, max_delay=0.8,
                            stable_after=30, out=out)
    _run_for(supervisor, 4.0)
    log = out.getvalue()
    delays = [float(d) for d in re.findall(
        r"kapot \(pid \d+\) stopped with exit code 3 after \d+ s; restart \d+ in ([\d.]+) s", log)]
    assert len(delays) >= 4, log
    assert delays[:4] == [0.2, 0.4, 0.8, 0.8], "doubling from the base delay up to the cap"
    assert log.count("started gezond") == 1, "the healthy process is never restarted"
    assert re.search(r"kapot +\| opgestart", log) and re.search(r"gezond +\| bezig", log)
    assert re.search(r"stopping .*gezond", log)


def test_backoff_starts_again_from_the_base_after_a_stable_run(tmp_path):
    out = io.StringIO()
    # Runs 0.5 s, then fails: with stable_after=0.3 every run counts as stable.
    spec = Spec("wankel", _python("import time; time.sleep(0.5); raise SystemExit(1)"))
    supervisor = Supervisor([spec], dict(os.environ), str(tmp_path), base_delay=0.1, max_delay=5,
                            stable_after=0.3, out=out)
    _run_for(supervisor, 3.0)
    delays = re.findall(r"restart \d+ in ([\d.]+) s", out.getvalue())
    assert len(delays) >= 3 and set(delays) == {"0.1"}, out.getvalue()


def test_sigterm_like_stop_ends_every_process_group(tmp_path):
    marker = tmp_path / "kind.pid"
    # The child starts a grandchild in its own group; both must be gone after the stop.
    code = ("import subprocess, sys, time, pathlib; "
            f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)']); "
            f"pathlib.Path({str(marker)!r}).write_text(str(p.pid)); time.sleep(120)")
    out = io.StringIO()
    supervisor = Supervisor([Spec("ouder", _python(code))], dict(os.environ), str(tmp_path), out=out,
                            stop_timeout=5)
    thread = threading.Thread(target=supervisor.run, kwargs={"poll_seconds": 0.05})
    thread.start()
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    parent = supervisor.pids()["ouder"]
    grandchild = int(marker.read_text())
    supervisor.request_stop()
    thread.join(30)
    for pid in (parent, grandchild):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"process {pid} still runs after the stop")
