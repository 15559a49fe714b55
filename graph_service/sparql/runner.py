"""Running a SPARQL query under a time limit and a result-size limit.

Two runners share one interface, `QueryRunner`: for the on-disk store,
`processes.ProcessQueryRunner` evaluates in worker processes that are killed at the
deadline; for the in-memory store (tests), `threads.ThreadQueryRunner`. `make_query_runner`
picks one by the kind of store; a remote engine gets `remote.RemoteQueryRunner`, which
forwards the query. See docs/decisions/0002-query-time-limit.md and 0009-remote-engines.md.
"""

from __future__ import annotations

from typing import Protocol

from graph_service.sparql.answers import Answer, Wanted
from graph_service.sparql.dataset import DEFAULT_DATASET, Dataset
from graph_service.sparql.processes import ProcessQueryRunner
from graph_service.sparql.remote import RemoteQueryRunner
from graph_service.sparql.threads import ThreadQueryRunner
from graph_service.store import Store
from graph_service.store.remote.store import RemoteStore


class QueryRunner(Protocol):
    capacity: int  # queries it evaluates at once

    def run(
        self,
        sparql: str,
        *,
        dataset: Dataset = DEFAULT_DATASET,
        base_iri: str | None = None,
        wanted: Wanted,
    ) -> Answer: ...

    def close(self) -> None: ...


def make_query_runner(
    store: Store, timeout: float, max_rows: int, workers: int | None = None, memory_mb: int = 0
) -> QueryRunner:
    """Worker processes for the on-disk store (killable, memory-limited), threads for the
    in-memory one, HTTP requests for a remote engine."""
    if isinstance(store, RemoteStore):
        return RemoteQueryRunner(store, timeout=timeout, max_rows=max_rows)
    if store.path is None:
        return ThreadQueryRunner(store, timeout=timeout, max_rows=max_rows)
    return ProcessQueryRunner(
        store, timeout=timeout, max_rows=max_rows, workers=workers, memory_mb=memory_mb
    )
