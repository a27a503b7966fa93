"""Per-client rate limits: a sliding window of request times per (bucket, client address),
held in memory (one receiver process), bounded in the number of clients it remembers."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque


class RateLimiter:
    """``allow(bucket, client)`` → seconds to wait (0: allowed, and counted)."""

    def __init__(self, limits: dict[str, tuple[int, float]], max_clients: int = 10_000,
                 clock=time.monotonic):
        self.limits = limits  # bucket → (requests, window in seconds)
        self.max_clients = max_clients
        self.clock = clock
        self._seen: OrderedDict[tuple[str, str], deque] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, bucket: str, client: str) -> int:
        count, window = self.limits[bucket]
        now = self.clock()
        with self._lock:
            times = self._seen.pop((bucket, client), None) or deque()
            while times and times[0] <= now - window:
                times.popleft()
            self._seen[(bucket, client)] = times  # most recently seen last
            while len(self._seen) > self.max_clients:
                self._seen.popitem(last=False)
            if len(times) >= count:
                return max(1, int(times[0] + window - now) + 1)
            times.append(now)
            return 0
