"""Servers for the adversarial tests (fixtures shared through conftest.py): the app on an
on-disk store behind worker processes (the production path), with small limits so that
attacks meet them quickly."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest
from conftest import LiveServer

from graph_service.store import Store
from graph_service.web.app import create_app

EX = "http://example.org/"
NUMBERS = 3000


def numbers_store(path) -> Store:
    store = Store(path)
    graph = ox.NamedNode(EX + "numbers")
    store.oxigraph.extend(
        ox.Quad(ox.NamedNode(f"{EX}r{i}"), ox.NamedNode(EX + "n"), ox.Literal(i), graph)
        for i in range(NUMBERS)
    )
    store.flush()
    return store


@pytest.fixture(scope="module")
def limited_config(test_config):
    return replace(
        test_config,
        query_timeout=10.0,
        query_workers=4,
        worker_memory_mb=300,
        sandbox_timeout=3.0,
        sandbox_memory_mb=256,
    )


@pytest.fixture(scope="module")
def limited_server(limited_config, tmp_path_factory):
    store = numbers_store(tmp_path_factory.mktemp("adversarial") / "store")
    app = create_app(replace(limited_config, store_path=store.path), store=store)
    server = LiveServer(app).start()
    server.app = app
    yield server
    server.stop()
    app.extensions["kg"].runner.close()
