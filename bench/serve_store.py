"""Serve one data file with our app under waitress, in its own process (for bench/run.py).

Usage: python bench/serve_store.py FILE PORT [THREADS]. Prints "ready" once it listens.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import waitress

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.store.sources import read_sources
from graph_service.web.app import create_app


def main() -> None:
    path, port = Path(sys.argv[1]), int(sys.argv[2])
    # Under a load test the queue is deep on purpose; waitress's warning is noise here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    config = Config(store_path=None, query_timeout=300.0, max_result_rows=1_000_000)
    store = Store(None)
    swap_in(store, read_sources([path], config.base_iri))
    server = waitress.create_server(
        create_app(config, store=store), host="127.0.0.1", port=port, threads=threads
    )
    print("ready", flush=True)
    server.run()


if __name__ == "__main__":
    main()
