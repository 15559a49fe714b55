"""Where a remote engine answers: its query, update and Graph Store endpoints, and the
credentials it asks for. The update and Graph Store URLs default to what the query URL's
engine uses: `/query` -> `/update`, `/store` (the Oxigraph server); `/sparql` -> `/sparql`,
`/sparql-graph-crud` (Virtuoso); anything else -> the query URL for updates and no Graph
Store (then whole graphs are written with SPARQL Update)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from graph_service.config import Config


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str | None
    user: str | None = None
    password: str | None = None

    @property
    def origin(self) -> str:
        """The engine's scheme, host and port: what messages name (never a password)."""
        parts = urlsplit(self.query)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"


def _sibling(url: str, name: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/" + name
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def endpoints_for(config: Config) -> Endpoints:
    query = str(config.store_path)
    last = urlsplit(query).path.rstrip("/").rsplit("/", 1)[-1]
    if last == "query":
        update, graph_store = _sibling(query, "update"), _sibling(query, "store")
    elif last == "sparql":
        update, graph_store = query, _sibling(query, "sparql-graph-crud")
    else:
        update, graph_store = query, None
    return Endpoints(
        query=query,
        update=config.store_update or update,
        graph_store=config.store_graph_store or graph_store,
        user=config.store_user,
        password=config.store_password,
    )
