"""A sliding-window counter per key, in memory (one web process).

Used for the chat API (messages per conversation and per client address) and
for failed coach logins. Behind several processes each limits on its own.
"""
from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    def __init__(self, limit: int, window_seconds: float, max_keys: int = 50_000):
        self.limit = limit
        self.window = window_seconds
        self._events: dict[str, deque] = {}
        self._max_keys = max_keys
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self._max_keys:
                self._forget_idle(now)
            events = self._events[key] = deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self.window]:
            del self._events[key]

    def count(self, key: str) -> int:
        with self._lock:
            return len(self._recent(key, time.monotonic()))

    def exceeded(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def add(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, now).append(now)

    def allow(self, key: str) -> bool:
        """Count one event for `key` if it is still under the limit; False when over it."""
        with self._lock:
            now = time.monotonic()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True

    def forget(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)
