"""SPARQL Update that keeps the store conforming to the shapes: data that breaks them
never loads, whether it comes from `kg load`, `kg ingest --load` or /sparql.

The update runs first on an in-memory copy of the store; the copy is validated like a load
(`loading.validate_graphs`); only if it conforms are the graphs it changed swapped into the
store, in one transaction. The update itself runs once, so a LOAD fetches its source once.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.loading import ValidationFailed, validate_graphs

DEFAULT_GRAPH_KEY = "urn:x-untoc:default-graph"  # the default graph, for validation only
_LOCK = threading.Lock()  # one update at a time: each one is checked against the last


def graphs_of(store: ox.Store) -> dict[str | None, set[ox.Triple]]:
    graphs: dict[str | None, set[ox.Triple]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        key = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        graphs.setdefault(key, set()).add(quad.triple)
    return graphs


def apply_update(store: Store, sparql: str, config: Config, base_iri: str | None = None) -> int:
    """Run `sparql` against `store` if the result conforms; raise ValidationFailed (store
    unchanged) if not, SyntaxError for a malformed update. Returns the graphs changed."""
    with _LOCK:
        before = graphs_of(store.oxigraph)
        trial = ox.Store()
        trial.extend(store.oxigraph.quads_for_pattern(None, None, None, None))
        trial.update(sparql, base_iri=base_iri)
        after = graphs_of(trial)
        del trial

        changed = {
            key: after.get(key, set())
            for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)
        }
        if not changed:
            return 0
        report = validate_graphs(
            {key or DEFAULT_GRAPH_KEY: list(triples) for key, triples in after.items()}, config
        )
        if not report.conforms:
            raise ValidationFailed(report)
        store.replace_graphs(changed)
        return len(changed)
