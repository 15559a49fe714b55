"""Writes that keep the store conforming to the shapes: data that breaks them never loads,
whether it comes from `kg load`, `kg ingest --load`, /sparql (SPARQL Update, LOAD) or /store
(the Graph Store Protocol).

A SPARQL Update runs first on a trial copy of the store: a RocksDB checkpoint for an on-disk
store (hard links, milliseconds whatever the size), an in-memory copy otherwise. What it
changed is read off the quads its templates and graph operations can touch
(`update_scope`), and validated incrementally: the focus nodes the changed triples can
matter to, against the whole trial store. Only if that conforms is the same change applied
to the store, in one transaction (`DELETE DATA` / `INSERT DATA`, or whole graphs replaced
where blank nodes are involved). The update itself runs once. A Graph Store write (or a LOAD, or a
harvest) knows the triples of the graphs it replaces or adds to: the same trial, validation
and transaction, without an update to run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.store import Store, StoreFull
from graph_service.store.changes import Change, count, triples_of, validate_store
from graph_service.store.loading import ValidationFailed
from graph_service.store.staging import Staging
from graph_service.store.store import FULL
from graph_service.store.update_scope import Key, difference, scope
from graph_service.store.validation import ValidationReport


def trial_of(store: Store) -> Staging:
    """A copy of the store to try a write on: a checkpoint of an on-disk store, an
    in-memory copy of an in-memory store or of a remote store's content."""
    if store.kind != "disk":
        return Staging.copy(store.content())
    assert store.path is not None
    try:
        return Staging.checkpoint(store.oxigraph, store.path)
    except OSError as error:
        if "No space left" in str(error):
            raise StoreFull(FULL) from None
        raise


def apply_update(store: Store, sparql: str, config: Config, base_iri: str | None = None) -> int:
    """Run `sparql` against `store` if the result conforms; raise ValidationFailed (store
    unchanged) if not, SyntaxError for a malformed update. Returns the graphs changed."""
    with store.write_lock():
        trial = trial_of(store)
        try:
            trial.store.update(sparql, base_iri=base_iri)
            changes = difference(store.content(), trial.store, scope(sparql, base_iri))
            if not changes:
                return 0
            change = Change(config, lambda: count(store.content(), up_to=Change.ENOUGH))
            for key, (removed, added) in changes.items():
                change.add(key, removed, added)
            report = validate_store(trial.store, config, change.touched)
            if not report.conforms:
                raise ValidationFailed(report)
            apply_changes(store, trial.store, changes)
            return len(changes)
        finally:
            trial.discard()


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
    with store.write_lock():
        existed = {
            change.graph
            for change in changes
            if change.graph is None or store.contains_graph(change.graph)
        }
        after: dict[Key, set[ox.Triple]] = {}
        for change in changes:
            held = (
                after[change.graph]
                if change.graph in after
                else triples_of(store.content(), change.graph)
            )
            after[change.graph] = set(change.triples) | (set() if change.replace else held)
        differences: dict[Key, tuple[set[ox.Triple], set[ox.Triple]]] = {}
        for key, triples in after.items():
            before = triples_of(store.content(), key)
            emptied = key is not None and key in existed and not triples
            if emptied or triples != before:
                differences[key] = (before - triples, triples - before)
        if not differences:
            return existed
        trial = trial_of(store)
        try:
            tracked = Change(config, lambda: count(store.content(), up_to=Change.ENOUGH))
            for key, (removed, added) in differences.items():
                graph = ox.NamedNode(key) if key is not None else ox.DefaultGraph()
                for triple in removed:
                    trial.store.remove(
                        ox.Quad(triple.subject, triple.predicate, triple.object, graph)
                    )
                trial.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in added)
                if key is not None and not after[key]:
                    trial.store.remove_graph(graph)
                tracked.add(key, removed, added)
            report = validate_store(trial.store, config, tracked.touched)
            if not report.conforms:
                raise ValidationFailed(report)
            apply_changes(store, trial.store, differences)
        finally:
            trial.discard()
        return existed


def check_replacement(
    store: Store, graph: str, triples: Iterable[ox.Triple], config: Config
) -> ValidationReport:
    """The report on `store` with the named graph `graph` replaced by `triples` (`kg ingest`),
    validated incrementally on a trial copy; the store is not changed."""
    trial = trial_of(store)
    try:
        after = set(triples)
        before = triples_of(trial.store, graph)
        trial.store.update(f"DROP SILENT GRAPH <{graph}>")
        name = ox.NamedNode(graph)
        trial.store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in after)
        change = Change(config, lambda: count(trial.store, up_to=Change.ENOUGH))
        change.add(graph, before, after)
        return validate_store(trial.store, config, change.touched)
    finally:
        trial.discard()


def apply_changes(
    store: Store, trial: ox.Store, changes: dict[Key, tuple[set[ox.Triple], set[ox.Triple]]]
) -> None:
    """The same change, made to `store` in one transaction."""
    store.check_writable(changes)
    blank = any(
        isinstance(term, ox.BlankNode)
        for removed, added in changes.values()
        for t in removed | added
        for term in (t.subject, t.object)
    )
    if blank:  # DELETE DATA cannot name a blank node: replace the graphs whole
        store.replace_graphs({key: triples_of(trial, key) for key in changes})
        return
    dropped = {
        key
        for key in changes
        if key is not None and not trial.contains_named_graph(ox.NamedNode(key))
    }
    deleted = [
        _block(k, removed) for k, (removed, _) in changes.items() if removed and k not in dropped
    ]
    inserted = [_block(k, added) for k, (_, added) in changes.items() if added]
    parts = [f"DROP SILENT GRAPH <{key}>" for key in sorted(dropped)]
    if deleted:
        parts.append(f"DELETE DATA {{ {' '.join(deleted)} }}")
    if inserted:
        parts.append(f"INSERT DATA {{ {' '.join(inserted)} }}")
    store.update(" ;\n".join(parts))


def _block(key: Key, triples: set[ox.Triple]) -> str:
    body = (ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    return body if key is None else f"GRAPH <{key}> {{\n{body}\n}}"
