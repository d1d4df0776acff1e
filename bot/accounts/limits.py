"""Login rate limiting: a sliding window of failed logins per address and per account.

In memory: it protects one web process (behind several processes each limits
on its own; a shared store is the production path, see docs/handoff.md).
"""

from __future__ import annotations

import threading
import time
from collections import deque


class _Window:
    def __init__(self, limit: int, seconds: float, max_keys: int = 50_000):
        self.limit, self.seconds, self._max_keys = limit, seconds, max_keys
        self._events: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self._max_keys:
                for old in [k for k, e in self._events.items() if not e or e[-1] <= now - self.seconds]:
                    del self._events[old]
            events = self._events[key] = deque()
        while events and events[0] <= now - self.seconds:
            events.popleft()
        return events

    def exceeded(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def add(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, now).append(now)

    def forget(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


class LoginLimiter:
    """At most `per_account` failed logins per account and `per_ip` per address in the window.

    With a shared `state` (bot.shared_state, Redis with several web workers) the limits
    hold across workers; without one, in this process's memory."""

    def __init__(self, per_account: int = 5, per_ip: int = 20, window_seconds: float = 900, state=None):
        if state is None:
            self._by_account = _Window(per_account, window_seconds)
            self._by_ip = _Window(per_ip, window_seconds)
        else:
            from bot.shared_state import Window

            self._by_account = Window(state, "login-account", per_account, window_seconds)
            self._by_ip = Window(state, "login-ip", per_ip, window_seconds)

    @staticmethod
    def _account(username: str) -> str:
        return username.strip().lower()

    def blocked(self, ip: str, username: str) -> bool:
        return self._by_ip.exceeded(ip) or self._by_account.exceeded(self._account(username))

    def failed(self, ip: str, username: str) -> None:
        self._by_ip.add(ip)
        self._by_account.add(self._account(username))

    def succeeded(self, username: str) -> None:
        self._by_account.forget(self._account(username))
