"""Shared fixtures: the curated sources loaded into an in-memory store, the app, a live server."""

from __future__ import annotations

import socket
import threading
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_service.cli.serve import WAITRESS_OPTIONS
from graph_service.config import PROJECT_ROOT, Config
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.store.sources import read_sources
from graph_service.web.app import create_app

pytest_plugins = (
    "servers",  # the limited servers of tests/adversarial
    "remote_engines",  # the Oxigraph server and Virtuoso as remote stores (tests/store/remote)
)

SHARED = PROJECT_ROOT.parent / "shared"
W3C_SPARQL11 = SHARED / "w3c" / "sparql" / "sparql11"
SOURCE_NOTE = SHARED / "sources" / "cop12-subsidiary-bodies-note.ru.md"
BASE = "https://w3id.org/untoc/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def test_config() -> Config:
    return Config(store_path=None, update_token="test-update-token", query_timeout=5.0)


@pytest.fixture(scope="session")
def sources():
    return read_sources(Config().source_dirs, BASE)


@pytest.fixture(scope="session")
def loaded_store(sources) -> Store:
    """The curated sources in an in-memory store, shared read-only by the session."""
    store = Store(None)
    swap_in(store, sources)
    return store


# The five working groups of the note of the twelfth session (DESIGN.md); the curated data
# holds other bodies the Conference created too (docs/decisions/0041-other-subsidiary-bodies.md).
NOTE_WORKING_GROUPS = frozenset(
    f"{BASE}id/body/{key}" for key in ("wg-tip", "wg-som", "wg-firearms", "wg-ic", "wg-ta")
)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def subjects_with(store: Store, predicate: str, obj: str | None = None) -> set[str]:
    """Subjects of a pattern in any graph, by a pattern lookup (not SPARQL): the reference the
    protocol tests compare their query answers with."""
    found = store.quads_for_pattern(
        None, ox.NamedNode(predicate), ox.NamedNode(obj) if obj else None, None
    )
    return {quad.subject.value for quad in found}


@pytest.fixture(scope="session")
def curated_working_groups(loaded_store) -> frozenset[str]:
    """Every working group of the curated data: the note's five among them."""
    found = frozenset(subjects_with(loaded_store, RDF_TYPE, BASE + "ontology#WorkingGroup"))
    assert NOTE_WORKING_GROUPS <= found
    return found


@pytest.fixture(scope="session")
def app(test_config, loaded_store):
    return create_app(test_config, store=loaded_store)


@pytest.fixture()
def client(app):
    return app.test_client()


class LiveServer:
    def __init__(self, app, host="127.0.0.1"):
        import waitress

        self.host = host
        self.port = free_port()
        self.server = waitress.create_server(
            app, host=host, port=self.port, threads=8, **WAITRESS_OPTIONS
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        """Let the requests in progress finish, then close the server in its own loop thread:
        closing its sockets from another thread races with the loop's select() (EBADF)."""
        self.server.task_dispatcher.shutdown(cancel_pending=False)
        if self.thread.is_alive():
            self.server.trigger.pull_trigger(self._close_all)
            self.thread.join(timeout=10)
        else:
            self._close_all()

    def _close_all(self):
        """The listening socket, the trigger and the connections clients keep open: the
        loop ends when none is left."""
        for dispatcher in list(self.server._map.values()):
            dispatcher.close()


def start_live_server(config: Config, store: Store) -> LiveServer:
    return LiveServer(create_app(config, store=store)).start()


@pytest.fixture(scope="session")
def live_server(test_config, loaded_store):
    """The app served by waitress on a free loopback port, for real HTTP clients."""
    server = start_live_server(replace(test_config), loaded_store)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    path = PROJECT_ROOT / "test-output"
    path.mkdir(exist_ok=True)
    return path


# Debian's Chromium driven by Playwright: never a browser download, no background traffic.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
