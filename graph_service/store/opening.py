"""The store a configuration names: the embedded on-disk store at a folder, or a remote
SPARQL engine at a URL (`KG_STORE`)."""

from __future__ import annotations

from pathlib import Path

from graph_service.config import Config
from graph_service.store.remote.endpoints import endpoints_for
from graph_service.store.remote.store import RemoteStore
from graph_service.store.store import Store

# Seconds a request of the app's own (a whole graph read or written, a count) may take on a
# remote engine; a client's query gets the query time limit instead.
REMOTE_TIMEOUT = 300.0


def is_remote(config: Config) -> bool:
    return isinstance(config.store_path, str)


def open_store(config: Config, *, read_only: bool = False) -> Store:
    """The configured store. `read_only` opens an existing on-disk store without writing
    a file (StoreMissing when there is none); a remote store is the same either way."""
    if isinstance(config.store_path, str):
        return RemoteStore(
            endpoints_for(config),
            config.base_iri,
            freshness=config.store_freshness,
            timeout=max(REMOTE_TIMEOUT, config.query_timeout),
        )
    if read_only:
        assert config.store_path is not None
        return Store.open_for_reading(Path(config.store_path))
    return Store(config.store_path)
