"""Keep the assistant's processes running: `make run` (bot.run) starts them here.

One process that crashes (the action server, the web app, ...) is started again
with exponential backoff (1 s, 2 s, 4 s ... capped at `max_delay`; back to 1 s
once it has run `stable_after` seconds), so the rest of the assistant keeps
answering. Every start, stop and restart is logged with the process name, pid,
exit code and delay only, never with anything a process printed about a
conversation. Ctrl-C (SIGINT) or SIGTERM stops all processes cleanly: SIGTERM to
each process group, SIGKILL after `stop_timeout` seconds.

Each process's output is passed on line by line with its name in front, as
honcho did before.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import TextIO

log = logging.getLogger("bot.supervisor")


@dataclass
class _Child:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)  # the spec's own variables (a replica's port)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    next_start: float = 0.0
    delay: float = 0.0
    restarts: int = 0
    readers: list[threading.Thread] = field(default_factory=list)


class Supervisor:
    def __init__(
        self,
        specs,
        env: dict[str, str],
        cwd: str,
        *,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        stable_after: float = 60.0,
        stop_timeout: float = 10.0,
        out: TextIO | None = None,
    ):
        self._children = [
            _Child(spec.name, list(spec.command), dict(getattr(spec, "env", None) or {})) for spec in specs
        ]
        self._env, self._cwd = env, cwd
        self.base_delay, self.max_delay = base_delay, max_delay
        self.stable_after, self.stop_timeout = stable_after, stop_timeout
        self._out = out or sys.stdout
        self._out_lock = threading.Lock()
        self._stop = threading.Event()
        self._width = max((len(child.name) for child in self._children), default=8)

    # -- output --------------------------------------------------------
    def _write(self, name: str, line: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        with self._out_lock:
            self._out.write(f"{stamp} {name:<{self._width}} | {line.rstrip()}\n")
            self._out.flush()

    def _say(self, message: str, *args) -> None:
        """The supervisor's own lines: to its logger and to the shared output."""
        text = message % args
        log.info(text)
        self._write("supervisor", text)

    def _pump(self, name: str, stream) -> None:
        for raw in iter(stream.readline, b""):
            self._write(name, raw.decode("utf-8", errors="replace"))
        stream.close()

    # -- processes -----------------------------------------------------
    def _start(self, child: _Child) -> None:
        child.process = subprocess.Popen(
            child.command,
            cwd=self._cwd,
            env={**self._env, **child.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own group: Ctrl-C goes to us only
        )
        child.started_at = time.monotonic()
        reader = threading.Thread(target=self._pump, args=(child.name, child.process.stdout), daemon=True)
        reader.start()
        child.readers = [reader]
        self._say("started %s (pid %d)", child.name, child.process.pid)

    def _check(self, child: _Child, now: float) -> None:
        if child.process is None:
            if now >= child.next_start:
                self._start(child)
            return
        code = child.process.poll()
        if code is None:
            return
        ran = now - child.started_at
        if ran >= self.stable_after or child.delay == 0:
            child.delay = self.base_delay
        else:
            child.delay = min(child.delay * 2, self.max_delay)
        child.restarts += 1
        self._say(
            "%s (pid %d) stopped with exit code %s after %.0f s; restart %d in %.1f s",
            child.name,
            child.process.pid,
            code,
            ran,
            child.restarts,
            child.delay,
        )
        child.process = None
        child.next_start = now + child.delay

    def pids(self) -> dict[str, int]:
        return {c.name: c.process.pid for c in self._children if c.process is not None}

    def request_stop(self, *_signal_args) -> None:
        self._stop.set()

    def run(self, poll_seconds: float = 0.2) -> int:
        """Start everything and keep it running until `request_stop` (or a signal)."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, self.request_stop)
            signal.signal(signal.SIGTERM, self.request_stop)
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                for child in self._children:
                    self._check(child, now)
                self._stop.wait(poll_seconds)
        finally:
            self._stop_all()
        return 0

    def _stop_all(self) -> None:
        running = [c for c in self._children if c.process is not None and c.process.poll() is None]
        if running:
            self._say("stopping %s", ", ".join(c.name for c in running))
        for child in running:
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._say("%s did not stop in %.0f s: killed", child.name, self.stop_timeout)
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait(timeout=5)
        for child in self._children:
            for reader in child.readers:
                reader.join(timeout=2)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
