"""Evaluating SPARQL queries in worker processes that are killed at the deadline.

For the on-disk store. pyoxigraph cannot cancel an evaluation, so with threads an operator
that computes for long before its first solution (COUNT over a huge join, ORDER BY) keeps a
core busy after its caller got the 503. Here a small pool of warm processes, each with its
own `Store.read_only(path)`, evaluates the queries; at the deadline the parent kills the
worker (SIGKILL: the core is free at once) and starts a fresh one in the background.

A read-only RocksDB handle sees the store as it was when it was opened, so every job carries
the store's `generation` and a worker reopens its handle when that changed (a write).
Results cross the pipe as tuples of strings: pickling pyoxigraph terms is about twice as
slow. See docs/decisions/0002.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from graph_service.sparql.answers import Answer, Wanted
from graph_service.sparql.dataset import DEFAULT_DATASET, Dataset
from graph_service.sparql.errors import QueryError, ServerBusy, memory_limit_error, time_limit_error
from graph_service.sparql.wire import receive_body
from graph_service.store import Store

STARTUP_TIMEOUT = 60.0


def default_pool_size() -> int:
    # More workers than cores: a slow query holds a worker for up to the time limit, and
    # with the fair scheduler (scheduling.py) others still find one free.
    return max(4, 2 * (os.cpu_count() or 1))


@dataclass(eq=False)
class _Worker:
    # A fresh interpreter (`python -m graph_service.query_workers`), not multiprocessing:
    # "fork" would copy the parent's RocksDB handle and threads, and "spawn" re-runs the
    # parent's __main__ script, which breaks scripts without an `if __name__` guard.
    process: subprocess.Popen
    conn: Connection
    stopping: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        with self.stopping:  # once: a second close could hit a reused descriptor
            self.process.kill()  # SIGKILL: whatever it computes, the core is free at once
            self.process.wait()  # reaped: no zombie
            self.conn.close()


class ProcessQueryRunner:
    """A `runner.QueryRunner` on a pool of processes."""

    def __init__(
        self,
        store: Store,
        timeout: float,
        max_rows: int,
        workers: int | None = None,
        memory_mb: int = 0,
    ):
        if store.path is None:
            raise ValueError("query worker processes need the on-disk store")
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.memory_mb = memory_mb
        self.size = workers or default_pool_size()
        self.capacity = self.size
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._busy: dict[int, str] = {}  # pid -> query text
        self._lock = threading.Lock()
        self._closed = [False]
        self._start_error: str | None = None
        # Stops the workers when the runner is garbage-collected or at interpreter exit.
        self._finalizer = weakref.finalize(
            self, _shut_down, self._workers, self._lock, self._closed
        )
        for worker in [self._spawn() for _ in range(self.size)]:
            self._await_ready(worker)
        if self._start_error:
            self.close()
            raise QueryError(self._start_error)

    # For operators and tests

    def worker_pids(self) -> list[int]:
        with self._lock:
            return sorted(w.pid for w in self._workers)

    def busy_pids(self) -> list[int]:
        with self._lock:
            return sorted(self._busy)

    def idle_count(self) -> int:
        return self._idle.qsize()

    def close(self) -> None:
        self._finalizer()

    # Running a query

    def run(
        self,
        sparql: str,
        *,
        dataset: Dataset = DEFAULT_DATASET,
        base_iri: str | None = None,
        wanted: Wanted,
    ) -> Answer:
        deadline = time.monotonic() + self.timeout
        worker = self._checkout(deadline)
        arguments = dict(**dataset.query_arguments(), base_iri=base_iri)
        job = (sparql, arguments, dict(wanted), self.max_rows, self.store.generation)
        with self._lock:
            self._busy[worker.pid] = sparql
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._discard(worker)
                raise time_limit_error(self.timeout)
            reply = worker.conn.recv()
            answer = receive_body(worker.conn, reply[1]) if reply[0] == "ok" else None
        except (EOFError, OSError):
            self._discard(worker)
            raise self._stopped(worker) from None
        finally:
            with self._lock:
                self._busy.pop(worker.pid, None)
        self._idle.put(worker)
        if answer is None:
            raise reply[1]
        return answer

    def _stopped(self, worker: _Worker) -> QueryError:
        """Why a worker went away in the middle of a query."""
        code = worker.process.wait()
        if code == -signal.SIGABRT and self.memory_mb:  # the engine could not allocate
            return memory_limit_error(self.memory_mb)
        return QueryError(f"the query worker stopped unexpectedly (exit code {code}); try again")

    def _checkout(self, deadline: float) -> _Worker:
        while True:
            if self._closed[0]:
                raise QueryError("the query service is shutting down")
            if self._start_error and not self.worker_pids():
                raise QueryError(self._start_error)
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ServerBusy(
                    f"all {self.size} query workers are busy; try again in a minute"
                ) from None
            if worker.alive():
                return worker
            self._discard(worker)  # died while idle (killed from outside)

    # The pool

    def _spawn(self) -> _Worker:
        parent_end, child_end = socket.socketpair()
        command = [
            sys.executable,
            "-m",
            "graph_service.sparql.worker",
            str(child_end.fileno()),
            str(self.store.path),
            str(self.store.generation),
            str(os.getpid()),
            str(self.memory_mb),
        ]
        with self._lock:
            if self._closed[0]:
                raise QueryError("the query service is shutting down")
            process = subprocess.Popen(
                command,
                pass_fds=[child_end.fileno()],
                stdin=subprocess.DEVNULL,
                env={**os.environ, "RUST_BACKTRACE": "0"},
            )
            worker = _Worker(process, Connection(parent_end.detach()))
            self._workers.add(worker)
        child_end.close()
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            reply = (
                worker.conn.recv() if worker.conn.poll(STARTUP_TIMEOUT) else ("failed", "no answer")
            )
        except (EOFError, OSError):
            reply = ("failed", f"exit code {worker.process.poll()}")
        if reply[0] != "ready" and self._closed[0]:
            self._remove(worker)
            return
        if reply[0] != "ready":
            self._start_error = (
                f"the query workers cannot open the store {self.store.path}: {reply[1]}"
            )
            print(f"kg: {self._start_error}", file=sys.stderr, flush=True)
            self._remove(worker)
            return
        self._start_error = None
        self._idle.put(worker)

    def _remove(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._workers.discard(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill the worker (at once, whatever it computes) and start a replacement."""
        self._remove(worker)
        if not self._closed[0]:
            threading.Thread(target=self._replace, name="sparql-worker-start", daemon=True).start()

    def _replace(self) -> None:
        try:
            self._await_ready(self._spawn())
        except QueryError:
            pass  # shutting down


def _shut_down(workers: set[_Worker], lock: threading.Lock, closed: list[bool]) -> None:
    with lock:
        closed[0] = True
        doomed = list(workers)
        workers.clear()
    for worker in doomed:
        worker.stop()
