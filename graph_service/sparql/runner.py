"""Running a SPARQL query under a time limit and a result-size limit.

Two runners share one interface, `run(...) -> QueryResult` (or a QueryError): for the
on-disk store, `query_workers.ProcessQueryRunner` evaluates in worker processes that are
killed at the deadline; for the in-memory store (tests, `kg` commands), `QueryRunner` below.
`make_query_runner` picks one by `store.path`.

pyoxigraph has no cancellation API, but it releases the GIL while it evaluates. So with
`QueryRunner` each query is evaluated in its own worker thread, which pulls the solutions
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

import pyoxigraph as ox

from graph_service.store.store import Store


class QueryError(Exception):
    """A query that cannot be answered; `status` is the HTTP status to send."""

    status = 500


class QuerySyntaxError(QueryError):
    status = 400


class QueryTimeout(QueryError):
    status = 503


class ServerBusy(QueryError):
    status = 503


class ResultTooLarge(QueryError):
    status = 400


@dataclass
class QueryResult:
    form: str  # "boolean", "solutions" or "graph"
    boolean: bool | None = None
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)


def make_query_runner(store: Store, timeout: float, max_rows: int, workers: int | None = None):
    """Worker processes for the on-disk store (killable), threads for the in-memory one."""
    if store.path is None:
        return QueryRunner(store, timeout=timeout, max_rows=max_rows)
    from graph_service.sparql.processes import ProcessQueryRunner

    return ProcessQueryRunner(store, timeout=timeout, max_rows=max_rows, workers=workers)


def time_limit_error(timeout: float) -> QueryTimeout:
    return QueryTimeout(
        f"query exceeded the time limit of {timeout:g} s; "
        "add LIMIT or make the patterns more selective"
    )


def as_query_error(error: Exception) -> QueryError:
    """What an evaluation raised, as the QueryError the caller gets. Without its traceback,
    which would keep the evaluating frames (and pyoxigraph's unsendable iterator) alive."""
    if isinstance(error, SyntaxError):
        return QuerySyntaxError(f"malformed query: {error}")
    if isinstance(error, QueryError):
        return error.with_traceback(None)
    # evaluation errors: type errors in SERVICE, I/O...
    return QueryError(f"query evaluation failed: {error}")


def drain(results, max_rows: int, cancelled=lambda: False) -> QueryResult | None:
    """Collect pyoxigraph query results into a QueryResult; None once `cancelled()`."""
    if isinstance(results, ox.QueryBoolean):
        return QueryResult("boolean", boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        result = QueryResult("solutions", variables=[v.value for v in results.variables])
        items, noun = result.rows, "rows"
    else:
        result = QueryResult("graph")
        items, noun = result.triples, "triples"
    for item in results:
        if cancelled():
            return None
        items.append(tuple(item) if noun == "rows" else item)
        if len(items) > max_rows:
            raise ResultTooLarge(
                f"the result has more than {max_rows} {noun}, the limit of this "
                "endpoint; page through it with LIMIT and OFFSET"
            )
    return result


@dataclass
class _Job:
    sparql: str
    kwargs: dict
    done: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    abandoned: bool = False
    result: QueryResult | None = None
    error: BaseException | None = None


class QueryRunner:
    def __init__(self, store: Store, timeout: float, max_rows: int, max_abandoned: int = 4):
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_abandoned = max_abandoned
        self._lock = threading.Lock()
        self.abandoned_running = 0
        self.running = 0  # evaluations in progress, abandoned ones included

    def run(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        with self._lock:
            if self.abandoned_running >= self.max_abandoned:
                raise ServerBusy(
                    f"the server is still finishing {self.abandoned_running} queries that "
                    "exceeded the time limit; try again in a minute"
                )
        job = _Job(
            sparql,
            dict(default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri),
        )
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
        return job.result

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

    def _collect(self, job: _Job) -> QueryResult | None:
        results = self.store.query(job.sparql, **job.kwargs)
        try:
            return drain(results, self.max_rows, lambda: job.cancelled)
        finally:
            # pyoxigraph result iterators are "unsendable": they must be freed on the
            # thread that made them.
            del results

    def close(self) -> None:
        """Nothing to release: abandoned threads end on their own."""
