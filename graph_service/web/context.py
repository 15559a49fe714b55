"""What a request works with: the store, the settings, and the app's long-lived state (the
query runner, the per-client slots). Views import these, never the app factory."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask, current_app, got_request_exception, request

from graph_service.config import Config
from graph_service.sparql.runner import QueryRunner, make_query_runner
from graph_service.sparql.scheduling import FairScheduler
from graph_service.store import Store
from graph_service.store.aggregates import Aggregates
from graph_service.store.writes import LocalWrites, Writes


@dataclass
class AppState:
    store: Store
    config: Config
    aggregates: Aggregates
    writes: Writes | None = None  # None: made to `store` (LocalWrites)
    _runner: QueryRunner | None = None
    _scheduler: FairScheduler | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def runner(self) -> QueryRunner:
        """Started on first use: worker processes only for an app that answers queries."""
        with self._lock:
            if self._runner is None:
                self._runner = make_query_runner(
                    self.store,
                    timeout=self.config.query_timeout,
                    max_rows=self.config.max_result_rows,
                    workers=self.config.query_workers,
                    memory_mb=self.config.worker_memory_mb or 0,
                )
            return self._runner

    @runner.setter
    def runner(self, runner: QueryRunner) -> None:
        with self._lock:
            self._runner = runner

    @property
    def scheduler(self) -> FairScheduler:
        runner = self.runner
        with self._lock:
            if self._scheduler is None:
                self._scheduler = FairScheduler(
                    runner.capacity,
                    per_client=self.config.max_queries_per_client,
                    max_waiting=self.config.max_waiting_per_client,
                )
            return self._scheduler

    def __post_init__(self) -> None:
        if self.writes is None:
            self.writes = LocalWrites(self.store, self.config)


def install(app: Flask, store: Store, config: Config, writes: Writes | None = None) -> AppState:
    state = AppState(store, config, Aggregates(store, wait=config.aggregate_wait), writes)
    app.extensions["kg"] = state
    app.before_request(catch_up)
    got_request_exception.connect(_reopen_if_lost, app)
    return state


def catch_up() -> None:
    """Before every request of a serving process that follows the writer (`kg serve
    --processes N`): reopen the store's handle if a write happened since (a memory read when
    nothing changed)."""
    app_state().store.catch_up()


def _reopen_if_lost(sender: Flask, exception: BaseException, **_) -> None:
    """A request failed because a file went away under the read-only handle (the writer
    compacted the store since it opened): the next request gets a fresh handle."""
    sender.extensions["kg"].store.reopen_if_lost(exception)


def get_writes() -> Writes:
    writes = app_state().writes
    assert writes is not None
    return writes


def app_state() -> AppState:
    return current_app.extensions["kg"]


def get_store() -> Store:
    return app_state().store


def get_config() -> Config:
    return app_state().config


def get_aggregates() -> Aggregates:
    return app_state().aggregates


def client_address() -> str:
    """Who sends the request: the peer's address, or, when the peer is a trusted reverse
    proxy (`KG_TRUSTED_PROXIES`), the last address in X-Forwarded-For that is not one."""
    peer = request.remote_addr or "unknown"
    trusted = get_config().trusted_proxies
    if peer not in trusted:
        return peer
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted:
            return address
    return peer
