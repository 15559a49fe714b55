"""One writer at a time across every app process in front of one engine.

A write is validated against the store as it is, then applied: two processes writing at
once could each pass validation and together break the shapes. So a writer stamps an entry
of its own into a small graph on the engine (with the engine's clock), reads the entries
back, and goes ahead only if its own is the only one; otherwise it removes its entry and
tries again after a random pause. Two writers can never both go ahead: the one that reads
first without seeing the other wrote before the other read, so the other sees both and
backs off. An entry older than `LEASE` seconds is from a writer that died and is removed.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pyoxigraph as ox

from graph_service.store import queries
from graph_service.store.remote.answers import parse_answer
from graph_service.store.remote.client import EngineClient, EngineError

LOCK_GRAPH = ox.NamedNode("urn:x-untoc:store:writers")
LEASE = 600.0  # seconds: longer than any validated write (a full validation at 1M: ~1 min)
WAIT = 60.0  # seconds a writer waits for the others, then 503


class WriterBusy(EngineError):
    def __init__(self, message: str):
        super().__init__(503, message)


def _seconds(literal: ox.Literal) -> float | None:
    try:
        return datetime.fromisoformat(literal.value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _age(since: ox.Literal, now: ox.Literal) -> float:
    start, end = _seconds(since), _seconds(now)
    return 0.0 if start is None or end is None else end - start


class EngineLock:
    def __init__(self, client: EngineClient, wait: float = WAIT):
        self.client = client
        self.wait = wait

    @contextmanager
    def held(self) -> Iterator[None]:
        writer = ox.NamedNode(f"urn:x-untoc:store:writer:{uuid.uuid4()}")
        self._acquire(writer)
        try:
            yield
        finally:
            self._leave(writer)

    def _acquire(self, writer: ox.NamedNode) -> None:
        deadline = time.monotonic() + self.wait
        pause = 0.02
        while True:
            self.client.update(queries.prepare("store/lock-enter", graph=LOCK_GRAPH, writer=writer))
            others = self._others(writer)
            if not others:
                return
            self._leave(writer)
            if time.monotonic() > deadline:
                raise WriterBusy(
                    f"another process has been writing to the store for more than {self.wait:g}"
                    " s; try again later"
                )
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 1.0)

    def _others(self, writer: ox.NamedNode) -> list[ox.NamedNode]:
        sparql = queries.prepare("store/lock-writers", graph=LOCK_GRAPH)
        others = []
        for row in self._select(sparql):
            other = row["writer"]
            if other == writer:
                continue
            if _age(row["since"], row["now"]) > LEASE:
                self._leave(other)  # a writer that died holding the lock
                continue
            others.append(other)
        return others

    def _select(self, sparql: str) -> list[dict]:
        reply = self.client.query(sparql, "application/sparql-results+json")
        solutions = parse_answer(reply, self.client.endpoints.origin)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names} for s in solutions]

    def _leave(self, writer: ox.NamedNode) -> None:
        self.client.update(queries.prepare("store/lock-leave", graph=LOCK_GRAPH, writer=writer))
