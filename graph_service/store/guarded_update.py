"""Writes that keep the store conforming to the shapes: data that breaks them never loads,
whether it comes from `kg load`, `kg ingest --load`, /sparql (SPARQL Update) or /store (the
Graph Store Protocol).

Both kinds of write compute the graphs the store would hold afterwards without touching it:
a SPARQL Update runs on an in-memory copy of the store (once, so a LOAD fetches its source
once); a Graph Store write replaces or adds to graphs whose new triples are known. The result
is validated like a load (`loading.validate_graphs`), and only if it conforms are the changed
graphs swapped into the store, in one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.loading import ValidationFailed, validate_graphs

DEFAULT_GRAPH_KEY = "urn:x-untoc:default-graph"  # the default graph, for validation only
_LOCK = threading.Lock()  # one write at a time: each one is checked against the last

Graphs = dict[str | None, set[ox.Triple]]  # graph name (None: the default graph) -> triples


def graphs_of(store: ox.Store) -> Graphs:
    graphs: Graphs = {}
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
        _swap_in_if_conforming(store, after, changed, config)
        return len(changed)


@dataclass(frozen=True)
class GraphChange:
    """New content for one graph (None: the default graph): `triples` replace what it holds
    (`replace`, a PUT; no triples: a DELETE) or are added to it (a POST)."""

    graph: str | None
    triples: Iterable[ox.Triple]
    replace: bool


def apply_graph_changes(
    store: Store, changes: Iterable[GraphChange], config: Config
) -> set[str | None]:
    """Apply `changes` if the store they leave conforms; raise ValidationFailed (store
    unchanged) if not. Returns the graphs of `changes` that existed before (the default
    graph always exists), read under the same lock as the write. A named graph left
    without triples is removed."""
    changes = list(changes)
    with _LOCK:
        existed = {
            change.graph
            for change in changes
            if change.graph is None or store.contains_graph(change.graph)
        }
        before = graphs_of(store.oxigraph)
        after = dict(before)
        for change in changes:
            kept = set() if change.replace else after.get(change.graph, set())
            after[change.graph] = kept | set(change.triples)
        changed: dict[str | None, set[ox.Triple]] = {}
        for change in changes:
            key = change.graph
            emptied = key is not None and key in existed and not after[key]  # maybe held none
            if emptied or after[key] != before.get(key, set()):
                changed[key] = after[key]
        _swap_in_if_conforming(store, after, changed, config)
        return existed


def _swap_in_if_conforming(
    store: Store, after: Graphs, changed: Mapping[str | None, set[ox.Triple]], config: Config
) -> None:
    """The one validation path of every guarded write."""
    if not changed:
        return
    report = validate_graphs(
        {key or DEFAULT_GRAPH_KEY: list(triples) for key, triples in after.items() if triples},
        config,
    )
    if not report.conforms:
        raise ValidationFailed(report)
    store.replace_graphs(changed)
