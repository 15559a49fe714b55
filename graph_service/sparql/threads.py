"""Running a SPARQL query on a thread, under a time limit and a result-size limit: for the
in-memory store (tests, `kg` commands).

pyoxigraph has no cancellation API, but it releases the GIL while it evaluates. So with
`ThreadQueryRunner` each query is evaluated in its own worker thread, which pulls the solutions
one by one; the request thread waits at most `timeout` seconds for it. On timeout the
caller gets QueryTimeout at once, and the worker is told to stop: it does so at the next
solution. An operator that computes for long before yielding anything (COUNT over a huge
join, ORDER BY) cannot be interrupted; that abandoned evaluation runs to its end on its
own thread. At most `max_abandoned` such evaluations may be left running: past that, new
queries are refused with ServerBusy until they finish. See docs/decisions/0002.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from graph_service.sparql.answers import Answer, Header, Wanted, serialize, spool
from graph_service.sparql.dataset import DEFAULT_DATASET, Dataset
from graph_service.sparql.errors import ServerBusy, as_query_error, time_limit_error
from graph_service.sparql.results import collect
from graph_service.store import Store

THREADS = 8  # evaluations at once (the scheduler admits no more)


@dataclass
class _Job:
    sparql: str
    kwargs: dict
    wanted: Wanted
    done: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    abandoned: bool = False
    result: tuple[Header, bytes] | None = None
    error: BaseException | None = None


class ThreadQueryRunner:
    """Evaluates each query on a thread of its own; see the module's docstring."""

    def __init__(self, store: Store, timeout: float, max_rows: int, max_abandoned: int = 4):
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_abandoned = max_abandoned
        self.capacity = THREADS
        self._lock = threading.Lock()
        self.abandoned_running = 0
        self.running = 0  # evaluations in progress, abandoned ones included

    def run(
        self,
        sparql: str,
        *,
        dataset: Dataset = DEFAULT_DATASET,
        base_iri: str | None = None,
        wanted: Wanted,
    ) -> Answer:
        with self._lock:
            if self.abandoned_running >= self.max_abandoned:
                raise ServerBusy(
                    f"the server is still finishing {self.abandoned_running} queries that "
                    "exceeded the time limit; try again in a minute"
                )
        job = _Job(sparql, dict(**dataset.query_arguments(), base_iri=base_iri), wanted)
        with self._lock:
            self.running += 1
        worker = threading.Thread(
            target=self._evaluate, args=(job,), daemon=True, name="sparql-query"
        )
        worker.start()
        if not job.done.wait(self.timeout):
            with self._lock:
                if not job.done.is_set():
                    job.cancelled = job.abandoned = True
                    self.abandoned_running += 1
            if job.abandoned:
                raise time_limit_error(self.timeout)
        if job.error is not None:
            raise job.error
        assert job.result is not None
        header, body = job.result
        spooled = spool()
        spooled.write(body)
        return Answer(header, spooled)

    def _evaluate(self, job: _Job) -> None:
        try:
            job.result = self._collect(job)
        except Exception as error:
            job.error = as_query_error(error)
        finally:
            with self._lock:
                job.done.set()
                self.running -= 1
                if job.abandoned:
                    self.abandoned_running -= 1

    def _collect(self, job: _Job) -> tuple[Header, bytes] | None:
        results = self.store.query(job.sparql, **job.kwargs)
        try:
            collected = collect(results, self.max_rows, lambda: job.cancelled)
            return None if collected is None else serialize(collected, job.wanted)
        finally:
            # pyoxigraph result iterators are "unsendable": they must be freed on the
            # thread that made them.
            del results

    def close(self) -> None:
        """Nothing to release: abandoned threads end on their own."""
