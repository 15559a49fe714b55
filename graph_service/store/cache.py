"""Values computed from the store (whole-store aggregates, dumps, page fragments), kept while
the store's state stays the same: every write and every reopen starts afresh.

Each key is computed once per state, outside the cache's own lock: a slow aggregate holds up
only the requests that wait for that same value.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class StateCache:
    def __init__(self, state: Callable[[], Hashable], max_entries: int = 256):
        self._state = state
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._current: Hashable = None
        self._since = 0
        self._values: dict[Hashable, Any] = {}
        self._computing: dict[Hashable, threading.Lock] = {}

    def _sync(self) -> Hashable:
        """Drop everything when the state changed; return the state (lock held)."""
        state = self._state()
        if state != self._current:
            # Whole seconds, as HTTP dates have them, and never the same second twice: a
            # client holding the page of the previous state must not get a 304.
            self._current, self._since = state, max(int(time.time()), self._since + 1)
            self._values, self._computing = {}, {}
        return state

    def since(self) -> int:
        """When the current state was first seen: the Last-Modified of what depends on it."""
        with self._lock:
            self._sync()
            return self._since

    def tag(self) -> Hashable:
        """The current state, for ETags."""
        with self._lock:
            return self._sync()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """`compute()` once per state and key."""
        with self._lock:
            state = self._sync()
            if key in self._values:
                return self._values[key]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                if self._current == state and key in self._values:
                    return self._values[key]
            value = compute()
            with self._lock:
                if self._current == state:
                    if len(self._values) >= self._max_entries:
                        self._values.pop(next(iter(self._values)))
                    self._values[key] = value
                    self._computing.pop(key, None)
            return value
