"""Sharing the query workers fairly between clients.

Each client address may run a few queries at once (`per_client`); past that its queries wait
in a short queue of their own (`max_waiting`), and only past that is a query refused (429).
A freed worker goes to the waiting client that runs the fewest queries, first come first
served among equals. One worker stays in reserve for clients that run nothing yet: a caller
with slow queries never holds every worker, so a cheap query from anyone else is answered.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class TooManyQueries(Exception):
    """The client already runs and queues as many queries as it may (HTTP 429)."""


class NoWorkerInTime(Exception):
    """No worker became free for this query before its deadline (HTTP 503)."""


@dataclass(order=True)
class _Waiter:
    ticket: int
    client: str = field(compare=False)
    admitted: bool = field(default=False, compare=False)


class FairScheduler:
    def __init__(self, capacity: int, per_client: int = 2, max_waiting: int = 8, reserve: int = 1):
        self.capacity = capacity
        self.per_client = per_client
        self.max_waiting = max_waiting
        self.reserve = min(reserve, capacity - 1) if capacity > 1 else 0
        self._running: Counter[str] = Counter()
        self._waiting: list[_Waiter] = []
        self._tickets = itertools.count()
        self._changed = threading.Condition()

    # For operators and tests

    def running(self, client: str | None = None) -> int:
        with self._changed:
            return self._running[client] if client else sum(self._running.values())

    def waiting(self, client: str | None = None) -> int:
        with self._changed:
            return sum(1 for w in self._waiting if client is None or w.client == client)

    # Admission

    def _may_start(self, client: str) -> bool:
        busy = sum(self._running.values())
        if busy >= self.capacity or self._running[client] >= self.per_client:
            return False
        return self._running[client] == 0 or self.capacity - busy > self.reserve

    def _admit_waiters(self) -> None:
        """Hand free workers to waiting clients, the least served first."""
        while self._waiting:
            candidates = [w for w in self._waiting if self._may_start(w.client)]
            if not candidates:
                return
            chosen = min(candidates, key=lambda w: (self._running[w.client], w.ticket))
            self._waiting.remove(chosen)
            chosen.admitted = True
            self._running[chosen.client] += 1
            self._changed.notify_all()

    @contextmanager
    def slot(self, client: str, deadline: float) -> Iterator[None]:
        """Hold a worker for `client` while the block runs; wait for one until `deadline`
        (time.monotonic()), then NoWorkerInTime; TooManyQueries past the client's queue."""
        with self._changed:
            if not self._waiting and self._may_start(client):
                self._running[client] += 1
            else:
                if sum(1 for w in self._waiting if w.client == client) >= self.max_waiting:
                    raise TooManyQueries(
                        f"{self._running[client]} queries from {client} are running and "
                        f"{self.max_waiting} more are waiting, the limit per client; wait "
                        "for some to finish"
                    )
                waiter = _Waiter(next(self._tickets), client)
                self._waiting.append(waiter)
                self._admit_waiters()
                while not waiter.admitted:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self._waiting.remove(waiter)
                        raise NoWorkerInTime(
                            f"all {self.capacity} query workers stayed busy until the time "
                            "limit; try again in a minute"
                        )
                    self._changed.wait(remaining)
        try:
            yield
        finally:
            with self._changed:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
                self._admit_waiters()
                self._changed.notify_all()
