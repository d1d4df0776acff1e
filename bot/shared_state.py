"""State that every web worker must share: rate-limit windows and short-lived values.

One small interface, two implementations, chosen by `Settings.redis_url`:

- `MemoryState`: in this process's memory (make run, one web worker);
- `RedisState`: in Redis (redis-py), shared by all workers and machines.

Used for the chat rate limits (bot.web.conversation.ChatRateLimits), the button
payloads offered to each conversation (OfferedPayloads) and the failed-login
limits (bot.accounts.limits.LoginLimiter). Sessions are server-side rows in the
database already (bot.accounts), so they are shared without this.

Redis down: every call falls back to a `MemoryState` in this process, so the
chat and the crisis reply keep answering; rate limiting is then per worker
(degraded) and a warning is logged once per outage, with the error class only
(never a key, a sender id or message text). Redis is retried after a pause.
Keys are hashed before they reach Redis (no sender id or IP address in it).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict, deque

log = logging.getLogger(__name__)

KEY_PREFIX = "ww:"


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class MemoryState:
    """Sliding windows and values with a lifetime, bounded, in this process."""

    def __init__(self, max_keys: int = 50_000):
        self._events: dict[str, deque] = {}
        self._values: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_keys = max_keys
        self._lock = threading.Lock()

    # -- sliding windows
    def _recent(self, key: str, window: float, now: float) -> deque:
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self._max_keys:
                for old in [k for k, e in self._events.items() if not e or e[-1] <= now - window]:
                    del self._events[old]
            events = self._events[key] = deque()
        while events and events[0] <= now - window:
            events.popleft()
        return events

    def allow(self, key: str, limit: int, window_seconds: float) -> bool:
        """Count one event for `key` when it is under `limit` in the window; False when over it."""
        with self._lock:
            now = time.monotonic()
            events = self._recent(key, window_seconds, now)
            if len(events) >= limit:
                return False
            events.append(now)
            return True

    def count(self, key: str, window_seconds: float) -> int:
        with self._lock:
            return len(self._recent(key, window_seconds, time.monotonic()))

    def add(self, key: str, window_seconds: float) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, window_seconds, now).append(now)

    def forget(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    # -- values
    def put(self, key: str, value: str, ttl_seconds: float) -> None:
        with self._lock:
            self._values[key] = (time.monotonic() + ttl_seconds, value)
            self._values.move_to_end(key)
            while len(self._values) > self._max_keys:
                self._values.popitem(last=False)

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._values.get(key)
            if item is None:
                return None
            expires, value = item
            if expires <= time.monotonic():
                del self._values[key]
                return None
            return value

    def healthy(self) -> bool:
        return True


# Atomic sliding window on a sorted set, timed by the Redis server's clock (one clock for all workers).
# KEYS[1] window; ARGV: limit (-1 = count only, -2 = add without limit), window ms, unique member.
_WINDOW_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if limit == -1 then return n end
if limit >= 0 and n >= limit then return -1 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return n + 1
"""


class RedisState:
    """The same interface in Redis; falls back to memory while Redis cannot be reached."""

    def __init__(self, url: str, timeout_seconds: float = 0.25, retry_after_seconds: float = 5.0):
        import redis

        self._errors = (redis.exceptions.RedisError, OSError)
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
            health_check_interval=30,
        )
        self._window = self._client.register_script(_WINDOW_SCRIPT)
        self._fallback = MemoryState()
        self._retry_after = retry_after_seconds
        self._down_until = 0.0
        self._degraded = False
        self._lock = threading.Lock()

    def _key(self, kind: str, key: str) -> str:
        return f"{KEY_PREFIX}{kind}:{hashed(key)}"

    def _call(self, operation, fallback):
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            result = operation()
        except self._errors as error:
            with self._lock:
                self._down_until = time.monotonic() + self._retry_after
                if not self._degraded:
                    self._degraded = True
                    log.warning(
                        "shared_state_unavailable: Redis %s; rate limits and offered buttons "
                        "now per worker (degraded) until it is back",
                        type(error).__name__,
                    )
            return fallback()
        if self._degraded:
            with self._lock:
                if self._degraded:
                    self._degraded = False
                    log.warning("shared_state_restored: Redis reachable again")
        return result

    def allow(self, key: str, limit: int, window_seconds: float) -> bool:
        return self._call(
            lambda: self._run_window(key, limit, window_seconds) >= 0,
            lambda: self._fallback.allow(key, limit, window_seconds),
        )

    def count(self, key: str, window_seconds: float) -> int:
        return self._call(
            lambda: self._run_window(key, -1, window_seconds),
            lambda: self._fallback.count(key, window_seconds),
        )

    def add(self, key: str, window_seconds: float) -> None:
        self._call(
            lambda: self._run_window(key, -2, window_seconds),
            lambda: self._fallback.add(key, window_seconds),
        )

    def forget(self, key: str) -> None:
        self._fallback.forget(key)
        self._call(lambda: self._client.delete(self._key("w", key)), lambda: None)

    def _run_window(self, key: str, limit: int, window_seconds: float) -> int:
        window_ms = max(int(window_seconds * 1000), 1)
        return int(self._window(keys=[self._key("w", key)], args=[limit, window_ms, uuid.uuid4().hex]))

    def put(self, key: str, value: str, ttl_seconds: float) -> None:
        self._fallback.put(key, value, ttl_seconds)  # kept here too, for an outage that starts later
        ttl_ms = max(int(ttl_seconds * 1000), 1)
        data = value.encode("utf-8")
        self._call(lambda: self._client.set(self._key("v", key), data, px=ttl_ms), lambda: None)

    def get(self, key: str) -> str | None:
        def read():
            raw = self._client.get(self._key("v", key))
            return raw.decode("utf-8") if raw is not None else None

        return self._call(read, lambda: self._fallback.get(key))

    def healthy(self) -> bool:
        try:
            return bool(self._client.ping())
        except self._errors:
            return False


def shared_state(settings) -> MemoryState | RedisState:
    """Redis when `settings.redis_url` is set, else this process's memory."""
    if settings.redis_url:
        return RedisState(settings.redis_url)
    return MemoryState()


class Window:
    """A sliding-window limit on a shared state: `limit` events per `window_seconds` per key."""

    def __init__(self, state, name: str, limit: int, window_seconds: float):
        self.state, self.name, self.limit, self.window = state, name, limit, window_seconds

    def _key(self, key: str) -> str:
        return f"{self.name}:{key}"

    def allow(self, key: str) -> bool:
        return self.state.allow(self._key(key), self.limit, self.window)

    def count(self, key: str) -> int:
        return self.state.count(self._key(key), self.window)

    def exceeded(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def add(self, key: str) -> None:
        self.state.add(self._key(key), self.window)

    def forget(self, key: str) -> None:
        self.state.forget(self._key(key))
