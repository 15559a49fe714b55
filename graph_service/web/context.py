"""What a request works with: the store, the settings, and the app's long-lived state (the
query runner, the per-client slots). Views import these, never the app factory."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask, current_app

from graph_service.config import Config
from graph_service.sparql.client_slots import ClientSlots
from graph_service.sparql.runner import QueryRunner, make_query_runner
from graph_service.store import Store


@dataclass
class AppState:
    store: Store
    config: Config
    _runner: QueryRunner | None = None
    _slots: ClientSlots | None = None
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
                )
            return self._runner

    @runner.setter
    def runner(self, runner: QueryRunner) -> None:
        with self._lock:
            self._runner = runner

    @property
    def slots(self) -> ClientSlots:
        with self._lock:
            if self._slots is None:
                self._slots = ClientSlots(self.config.max_queries_per_client)
            return self._slots


def install(app: Flask, store: Store, config: Config) -> AppState:
    state = AppState(store, config)
    app.extensions["kg"] = state
    return state


def app_state() -> AppState:
    return current_app.extensions["kg"]


def get_store() -> Store:
    return app_state().store


def get_config() -> Config:
    return app_state().config
