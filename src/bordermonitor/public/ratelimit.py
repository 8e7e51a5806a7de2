"""Per-client rate limiting of the public API: an in-process token bucket per client address.

Each address may make ``per_minute`` requests in a burst, then one more each ``60 / per_minute`` seconds.
In-process is enough for one waitress process; several processes behind a proxy each keep their own buckets
(the proxy is then the place for a shared limit). Full, idle buckets are forgotten so that the table stays
small whatever the number of addresses.
"""

from __future__ import annotations

import math
import threading
import time

__all__ = ["TokenBuckets"]

_PRUNE_ABOVE = 50_000


class TokenBuckets:
    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self._buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, at)
        self._lock = threading.Lock()

    def take(self, address: str) -> float:
        """Take one token for ``address``: 0 if the request may go ahead, else the seconds to wait."""
        if self.capacity <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[address] = (tokens - 1.0, now)
                if len(self._buckets) > _PRUNE_ABOVE:
                    self._prune(now)
                return 0.0
            self._buckets[address] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        full = [a for a, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.capacity]
        for address in full:
            del self._buckets[address]

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
