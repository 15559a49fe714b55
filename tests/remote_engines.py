"""The two real SPARQL engines the app runs on as a remote store (`KG_STORE=http://...`),
started once per session on loopback ports and loaded with the curated sources by `kg load`
itself (docs/remote-engines.md):

- the Oxigraph server (PyPI `oxigraph serve`, read-write, empty at start): every endpoint
  from the defaults (`/query` -> `/update`, `/store`);
- Virtuoso (Debian): anonymous queries at `/sparql`; updates and the Graph Store at the
  endpoints that ask for a password (`/sparql-auth`, `/sparql-graph-crud-auth`, HTTP digest),
  so that KG_STORE_UPDATE, KG_STORE_GRAPH_STORE, KG_STORE_USER and KG_STORE_PASSWORD are used.

The `engine` fixture is parametrised over both: a test that takes it runs on each.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest
from peers import OxigraphError, OxigraphServer, Virtuoso, VirtuosoError

from graph_service.cli import main
from graph_service.config import Config
from graph_service.store.opening import open_store
from graph_service.store.remote.store import RemoteStore

ENGINES = ("oxigraph", "virtuoso")
TOKEN = "remote-test-token"


@dataclass
class Engine:
    name: str
    config: Config  # the remote store; a second process would have the same settings
    env: dict[str, str]  # the same as KG_* variables, for `kg` commands and `kg serve`

    def store(self, **overrides) -> RemoteStore:
        """A store of its own: what another app process would open."""
        store = open_store(replace(self.config, **overrides))
        assert isinstance(store, RemoteStore)
        return store

    @contextmanager
    def environment(self) -> Iterator[None]:
        saved = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def kg(self, capsys, *args) -> tuple[int, str, str]:
        """`kg ARGS` in this process with the engine's KG_* settings."""
        capsys.readouterr()
        with self.environment():
            code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err


def _env(config: Config) -> dict[str, str]:
    values = {
        "KG_STORE": config.store_path,
        "KG_STORE_UPDATE": config.store_update,
        "KG_STORE_GRAPH_STORE": config.store_graph_store,
        "KG_STORE_USER": config.store_user,
        "KG_STORE_PASSWORD": config.store_password,
        "KG_STORE_FRESHNESS": str(config.store_freshness),
    }
    return {name: str(value) for name, value in values.items() if value is not None}


def _start_oxigraph() -> tuple[Config, object]:
    server = OxigraphServer([], prefix="kg-remote-oxigraph-", writable=True)
    try:
        server.start()
    except OxigraphError as error:
        server.stop()
        pytest.fail(f"the Oxigraph server could not be started: {error}", pytrace=False)
    return Config(store_path=server.url), server


def _start_virtuoso() -> tuple[Config, object]:
    server = Virtuoso(prefix="kg-remote-virtuoso-", max_rows=100_000)
    try:
        server.start()
    except VirtuosoError as error:
        server.stop()
        pytest.fail(f"Virtuoso could not be started: {error}", pytrace=False)
    root = server.url.rsplit("/", 1)[0]
    config = Config(
        store_path=server.url,
        store_update=f"{root}/sparql-auth",
        store_graph_store=f"{root}/sparql-graph-crud-auth",
        store_user="dba",
        store_password="dba",
    )
    return config, server


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> Iterator[Engine]:
    """An engine loaded with the curated sources by `kg load`, shared by the session: a
    test that writes puts back what it changed."""
    start = _start_oxigraph if request.param == "oxigraph" else _start_virtuoso
    config, server = start()
    # Every process sees every write at once: no timing in the tests.
    config = replace(config, store_freshness=0.0, query_timeout=30.0)
    engine = Engine(request.param, config, _env(config))
    try:
        with engine.environment():
            code = main(["load"])
        if code != 0:
            pytest.fail(f"kg load into {request.param} failed ({code})", pytrace=False)
        yield engine
    finally:
        server.stop()  # type: ignore[attr-defined]
