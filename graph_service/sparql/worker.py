"""A query worker process: `python -m graph_service.sparql.worker FD STORE GENERATION PID`.

It opens the store read-only, answers jobs from the pool (processes.py) on the socket FD,
reopens its handle when the store's generation changed (a write), and exits with the server.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection

from graph_service.sparql.errors import QueryError, as_query_error
from graph_service.sparql.results import drain
from graph_service.sparql.wire import encode_result
from graph_service.store import Store


def worker_main(conn: Connection, path: str, generation: int, parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on `kg serve` is the parent's
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    try:
        store = Store.read_only(path)
    except Exception as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready",))
    while True:
        try:
            sparql, kwargs, max_rows, wanted = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if wanted != generation:  # the store was written to since this handle opened
                store, generation = Store.read_only(path), wanted
            reply = evaluate(store, sparql, kwargs, max_rows)
            if reply is STALE:  # a file went away under this handle (the writer compacted)
                store = Store.read_only(path)
                reply = evaluate(store, sparql, kwargs, max_rows, retry=False)
        except OSError as error:
            reply = ("error", QueryError(f"cannot open the store: {error}"))
        conn.send(reply)


def _exit_with_parent(parent_pid: int) -> None:
    """Stop when the server dies, even in the middle of a long evaluation."""
    while os.getppid() == parent_pid:
        time.sleep(1)
    os._exit(0)


STALE = ("stale",)


def evaluate(store: Store, sparql: str, kwargs: dict, max_rows: int, retry: bool = True):
    try:
        result = drain(store.query(sparql, **kwargs), max_rows)
        assert result is not None  # nothing cancels a worker's drain
        return ("ok", encode_result(result))
    except Exception as error:
        if retry and store.lost_file(error):
            return STALE  # the writer replaced a file under this read-only handle: reopen
        return ("error", as_query_error(error))


if __name__ == "__main__":
    fd, store_path, first_generation, server_pid = sys.argv[1:]
    worker_main(Connection(int(fd)), store_path, int(first_generation), int(server_pid))
