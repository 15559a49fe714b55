"""At most N queries at once per client address, so that one caller's slow queries cannot
take every query worker and keep everyone else waiting."""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager


class TooManyQueries(Exception):
    pass


class ClientSlots:
    def __init__(self, per_client: int):
        self.per_client = per_client
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, client: str):
        with self._lock:
            if self._running[client] >= self.per_client:
                raise TooManyQueries(
                    f"{self._running[client]} queries from {client} are still running, the "
                    f"limit per client; wait for one to finish"
                )
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]

    def running(self, client: str) -> int:
        with self._lock:
            return self._running[client]
