"""Throttling of sign-in attempts: at most N failures per account and client address a minute.

In memory, per process: enough for one uvicorn worker (what `uprtc serve` runs by default); with
several workers or hosts each keeps its own count, so the limit is N per worker. The address is
the connection's; behind a reverse proxy, UPRTC_TRUSTED_PROXIES names it and `uprtc serve` has
uvicorn take the client's address from its X-Forwarded-For (from nobody else's)."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class LoginRateLimiter:
    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, account: str, address: str) -> float:
        """Seconds until another attempt is allowed (0: allowed now)."""
        key = (account, address)
        with self._lock:
            if key not in self._failures:
                return 0.0
            failures = self._recent(key)
            if len(failures) < self.max_failures:
                return 0.0
            return max(0.0, failures[0] + self.window - self._clock())

    def failed(self, account: str, address: str) -> None:
        with self._lock:
            if len(self._failures) >= self._max_keys:
                self._prune()
            key = (account, address)
            self._recent(key).append(self._clock())
            if len(self._failures[key]) > self.max_failures:
                self._failures[key].popleft()

    def succeeded(self, account: str, address: str) -> None:
        with self._lock:
            self._failures.pop((account, address), None)

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        horizon = self._clock() - self.window
        while failures and failures[0] <= horizon:
            failures.popleft()
        return failures

    def _prune(self) -> None:
        horizon = self._clock() - self.window
        for key in [k for k, v in self._failures.items() if not v or v[-1] <= horizon]:
            del self._failures[key]
        if len(self._failures) >= self._max_keys:  # still full: forget the oldest half
            oldest = sorted(self._failures, key=lambda k: self._failures[k][-1])
            for key in oldest[: len(oldest) // 2]:
                del self._failures[key]
