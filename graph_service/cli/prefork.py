"""`kg serve --processes N` (N > 1, the default on a machine with several cores): N serving
processes over one on-disk store, so that request handling, which Python runs on one core
per process, uses every core. Why and what was measured: docs/decisions/0011.

- **gunicorn** (prefork, `gthread` workers: threads and keep-alive in each) shares one
  listening socket between the N serving processes, starts a new one when one dies, and
  stops them gracefully on SIGTERM (requests under way are answered first).
- **One writer process** (`store/writer.py`) holds the store open for writing; every
  serving process opens it read-only (`Store.follower`) and sends its writes there.
- **A shared change state** (`store/change_state.py`, a file in a private folder): the
  writer bumps it after each write; a serving process reopens its handle before answering
  when it changed (and its query workers reopen theirs by the same counter).
- The query workers (`KG_QUERY_WORKERS`, in all) are shared out among the serving
  processes; each process schedules its own fairly (`sparql/scheduling.py`).
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from gunicorn.app.base import BaseApplication

from graph_service.config import Config
from graph_service.sparql.processes import default_pool_size
from graph_service.store import Store
from graph_service.store.change_state import ChangeState
from graph_service.store.opening import is_remote
from graph_service.store.writer import RemoteWrites, WriterAddress, WriterProcess
from graph_service.web.app import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict, load_app):
        self.options = options
        self.load_app = load_app
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return self.load_app()


def per_process(config: Config, processes: int) -> Config:
    """Each serving process's share of the query workers (at least one)."""
    total = config.query_workers or default_pool_size()
    return replace(config, query_workers=max(1, math.ceil(total / processes)))


def gunicorn_options(config: Config, processes: int, threads: int, on_exit) -> dict:
    host = f"[{config.host}]" if ":" in config.host else config.host
    return {
        "bind": f"{host}:{config.port}",
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": 5,
        # A worker's main loop reports in every second, whatever its threads do; a
        # query is bounded by query_timeout, and a shutdown lets it finish.
        "timeout": max(60, int(config.query_timeout * 2)),
        "graceful_timeout": int(config.query_timeout + 10),
        # GET queries up to max_query_length characters, percent-encoded (the app answers
        # 414 past that); gunicorn's own limit would be 8 kB.
        "limit_request_line": 0,
        # X-Forwarded-Proto (https behind a proxy) only from KG_TRUSTED_PROXIES, as the app
        # takes X-Forwarded-For (web/context.py); gunicorn's default would trust 127.0.0.1.
        "forwarded_allow_ips": ",".join(config.trusted_proxies),
        "proc_name": "kg-serve",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "control_socket_disable": True,
        "on_exit": on_exit,
    }


def serve_processes(config: Config, processes: int, threads: int) -> int:
    assert config.store_path is not None
    if is_remote(config):
        return _serve_in_front_of_engine(config, processes, threads)
    serving_path = config.store_path
    runtime = Path(tempfile.mkdtemp(prefix="kg-serve-"))  # only this user may enter
    owner = os.getpid()
    changes_path = runtime / "changes"
    ChangeState.create(changes_path).close()
    address = WriterAddress(runtime / "writer.sock", os.urandom(32))
    writer = WriterProcess(config, address, changes_path)
    serving = per_process(config, processes)

    def load_app():  # in each serving process, after the fork
        store = Store.follower(serving_path, ChangeState.open(changes_path))
        return _warmed(create_app(serving, store=store, writes=RemoteWrites(address)))

    try:
        writer.start()  # creates the store if there is none, before anyone reads it
        writer.supervise()
        options = gunicorn_options(config, processes, threads, lambda _arbiter: writer.stop())
        _Gunicorn(options, load_app).run()
    finally:
        if os.getpid() == owner:  # not in a serving process leaving gunicorn's loop
            writer.stop()
            shutil.rmtree(runtime, ignore_errors=True)
    return 0


def _serve_in_front_of_engine(config: Config, processes: int, threads: int) -> int:
    """A remote engine (`KG_STORE=http://...`) is the one store: each serving process is
    stateless and writes to the engine itself, under the engine's writers' lock
    (store/remote/lock.py); no writer process, no change state of ours."""

    def load_app():
        return _warmed(create_app(config))

    _Gunicorn(gunicorn_options(config, processes, threads, lambda _arbiter: None), load_app).run()
    return 0


def _warmed(app):
    """Whole-store values start computing in the background (store/aggregates.py: the
    processes take turns per value and share what one of them computed)."""
    app.extensions["kg"].aggregates.warm()
    return app
