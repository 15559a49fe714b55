"""SPARQL Update's LOAD, run by the endpoint rather than the engine: only from sources on
its own allow-list (`KG_LOAD_SOURCES`), redirects only to listed sources, the body within
the upload limit, read in the sandbox (no entities, bounded nesting, memory and time), and
written through the shapes gate like every other write."""

from __future__ import annotations

from graph_service import formats
from graph_service.config import Config
from graph_service.sparql.fetch import FetchRefused, fetch
from graph_service.sparql.forms import LoadOperation
from graph_service.store import sandbox
from graph_service.store.guarded_update import GraphChange
from graph_service.store.writes import Writes
from graph_service.web.errors import HttpError
from graph_service.web.uploads import MAX_BODY_BYTES

ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, */*;q=0.1"
TIMEOUT = 20.0


def allowed_source(config: Config):
    def allowed(url: str) -> bool:
        return any(url.startswith(prefix) for prefix in config.load_sources)

    return allowed


def run_loads(writes: Writes, loads: list[LoadOperation], config: Config) -> None:
    """Fetch and read every source first, then write them all in one guarded change."""
    allowed = allowed_source(config)
    changes = []
    for load in loads:
        try:
            fetched = fetch(
                load.source, allowed, accept=ACCEPT, max_bytes=MAX_BODY_BYTES, timeout=TIMEOUT
            )
            rdf_format = formats.by_media_type(fetched.content_type, formats.RDF_FORMATS)
            rdf_format = rdf_format or formats.by_path(fetched.url) or formats.TURTLE
            limits = sandbox.Limits(config.sandbox_memory_mb, config.sandbox_timeout)
            quads = sandbox.parse(fetched.body, rdf_format, base_iri=fetched.url, limits=limits)
        except FetchRefused as error:
            if load.silent and error.status != 403:
                continue
            listing = ", ".join(config.load_sources) or "(none)"
            raise HttpError(
                error.status, f"LOAD refused: {error}; allowed sources: {listing}"
            ) from None
        except sandbox.Refused as error:
            if load.silent:
                continue
            raise HttpError(error.status, f"LOAD of {load.source}: {error}") from None
        triples = [q.triple for q in quads]
        changes.append(GraphChange(load.graph, triples, replace=False))
    writes.apply_graph_changes(changes)
