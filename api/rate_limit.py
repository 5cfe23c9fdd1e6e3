"""A token bucket per API key: `FATURA_API_RATE_LIMIT` requests per minute (default 600), bursts up to that many.

With REDIS_URL the bucket lives in Redis (one Lua script, atomic, shared by every process); without it, in this
process (the embedded single-process deployment). A refused call gets 429 with Retry-After in whole seconds.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from typing import Protocol

DEFAULT_PER_MINUTE = 600


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until one token is back


class Limiter(Protocol):
    def take(self, key: str) -> Decision: ...


class MemoryBucket:
    def __init__(self, per_minute: int) -> None:
        self.capacity, self.rate = float(per_minute), per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> Decision:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return Decision(True)
            self._buckets[key] = (tokens, now)
            return Decision(False, max(1, math.ceil((1 - tokens) / self.rate)))


# KEYS[1] bucket; ARGV: capacity, rate per second, now (seconds). Returns {allowed, retry_after}.
_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return {allowed, retry}
"""


class RedisBucket:
    def __init__(self, redis_url: str, per_minute: int, namespace: str = "fatura:api:rate") -> None:
        import redis

        self.client = redis.Redis.from_url(redis_url)
        self.capacity, self.rate, self.namespace = per_minute, per_minute / 60.0, namespace
        self._script = self.client.register_script(_LUA)

    def take(self, key: str) -> Decision:
        allowed, retry = self._script(keys=[f"{self.namespace}:{key}"], args=[self.capacity, self.rate, time.time()])
        return Decision(bool(allowed), max(1, int(retry)) if not allowed else 0)


_limiter: Limiter | None = None
_lock = threading.Lock()


def limiter() -> Limiter:
    """Built on first use from the environment; tests install their own with `use`."""
    global _limiter
    with _lock:
        if _limiter is None:
            per_minute = parse_limit(os.environ.get("FATURA_API_RATE_LIMIT", ""))
            redis_url = os.environ.get("REDIS_URL")
            _limiter = RedisBucket(redis_url, per_minute) if redis_url else MemoryBucket(per_minute)
        return _limiter


def use(new: Limiter | None) -> None:
    global _limiter
    with _lock:
        _limiter = new


def parse_limit(raw: str) -> int:
    """ "600", "600/min" or "10/s" → requests per minute."""
    text = raw.strip().lower()
    if not text:
        return DEFAULT_PER_MINUTE
    count, _, unit = text.partition("/")
    factor = {"": 1, "min": 1, "m": 1, "minute": 1, "s": 60, "sec": 60, "second": 60, "h": 1 / 60, "hour": 1 / 60}
    return max(1, int(int(count) * factor.get(unit.strip(), 1)))
