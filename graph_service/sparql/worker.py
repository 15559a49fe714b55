"""A query worker process:
`python -m graph_service.sparql.worker FD STORE GENERATION PID MEMORY_MB`.

It opens the store read-only, answers jobs from the pool (processes.py) on the socket FD
with the answer serialised in the format the client wants (wire.py), reopens its handle when
the store's generation changed (a write) or its folder did (a compaction: Store.stale), and
exits with the server. Its memory is limited (RLIMIT_DATA): a query that needs more makes
the engine abort, and the pool replaces the worker.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection

from graph_service.sparql.answers import serialize
from graph_service.sparql.errors import QueryError, as_query_error
from graph_service.sparql.results import collect
from graph_service.sparql.wire import send_answer
from graph_service.store import Store


def worker_main(
    conn: Connection, path: str, generation: int, parent_pid: int, memory_mb: int
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on `kg serve` is the parent's
    if memory_mb:
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    try:
        store = Store.read_only(path)
    except Exception as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready",))
    while True:
        try:
            sparql, kwargs, wanted, max_rows, store_generation = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if store_generation != generation:  # the store was written to since it opened
                store, generation = Store.read_only(path), store_generation
            store.reopen_if_stale()  # files came or went (a compaction): see Store.stale
            reply = evaluate(store, sparql, kwargs, wanted, max_rows, memory_mb)
            if reply is STALE:  # a file went away under this handle (the writer compacted)
                store = Store.read_only(path)
                reply = evaluate(store, sparql, kwargs, wanted, max_rows, memory_mb, retry=False)
        except OSError as error:
            reply = ("error", QueryError(f"cannot open the store: {error}"))
        if reply[0] == "ok":
            send_answer(conn, *reply[1])
        else:
            conn.send(reply)


def _exit_with_parent(parent_pid: int) -> None:
    """Stop when the server dies, even in the middle of a long evaluation."""
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(0)


STALE = ("stale",)


def evaluate(
    store: Store,
    sparql: str,
    kwargs: dict,
    wanted: dict,
    max_rows: int,
    memory_mb: int = 0,
    retry: bool = True,
):
    try:
        collected = collect(store.query(sparql, **kwargs), max_rows)
        assert collected is not None  # nothing cancels a worker's collection
        return ("ok", serialize(collected, wanted))
    except Exception as error:
        if retry and store.lost_file(error):
            return STALE  # the writer replaced a file under this read-only handle: reopen
        return ("error", as_query_error(error, memory_mb))


if __name__ == "__main__":
    fd, store_path, first_generation, server_pid, memory = sys.argv[1:]
    worker_main(
        Connection(int(fd)), store_path, int(first_generation), int(server_pid), int(memory)
    )
