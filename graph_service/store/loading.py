"""Loading the Turtle/TriG/N-Quads sources into the store: parsed, validated against the
shapes, then swapped in, all or nothing.

1. The files are parsed by Oxigraph's bulk loader into a fresh in-memory store (no Python
   object per triple): a syntax error stops everything before any validation.
2. A small change to a large on-disk store (at most `changes.FULL_SHARE` of it, shapes and
   ontology untouched) is tried on a RocksDB checkpoint of the store (hard links: free),
   with the graphs replaced there, and validated incrementally: only the focus nodes the
   changed triples can matter to. Anything else is validated in full, in memory (Oxigraph
   answers the compiled shapes several times faster in memory than from RocksDB), and
   then bulk loaded into a fresh store beside the old one.
3. Only then is the store opened for writing (which already rewrites files in its folder,
   and fails while `kg serve` holds it), and the staging folder takes its place in one
   atomic rename. A failed load leaves the on-disk store byte-for-byte unchanged.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.changes import (
    FULL_SHARE,
    MAX_TOUCHED_TRIPLES,
    Change,
    count,
    global_change,
    graph_counts,
    project_shapes,
    triples_of,
    validate_store,
)
from graph_service.store.shacl import View, validator_for
from graph_service.store.sources import Rebase, Sources, load_files, read_sources, source_files
from graph_service.store.staging import Background, Staging
from graph_service.store.store import mark_changed
from graph_service.store.validation import ValidationReport, to_rdflib, validate
from graph_service.vocabulary import ontology_graph_iri, shapes_graph_iri


class ValidationFailed(Exception):
    """The graph to be loaded violates the shapes; `report` says where and why."""

    def __init__(self, report: ValidationReport):
        super().__init__(report.text())
        self.report = report

    def __reduce__(self):
        # Sent from the writer process to a serving one (store/writer.py): the report
        # travels without its RDF graph, which is made again from the violations.
        return (ValidationFailed, (replace(self.report, graph=None),))


@dataclass
class Loaded:
    """What a load read: triples per named graph, the files, and how it was validated."""

    graphs: dict[str, int]
    files: list[Path]
    report: ValidationReport | None = None
    incremental: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


def swap_in(store: Store, sources: Sources) -> None:
    """Replace every graph named in `sources`, in one transaction (no validation)."""
    store.replace_graphs(sources.graphs)
    store.flush()


def read_incoming(paths: Iterable[Path], config: Config) -> tuple[ox.Store, Loaded]:
    """Parse the files into a fresh in-memory store (SourceError on the first bad one)."""
    files = source_files(paths)
    incoming = ox.Store()
    load_files(incoming, files, config.base_iri)
    return incoming, Loaded(graph_counts(incoming), files)


def replace_in(target: ox.Store, incoming: ox.Store, graphs: Iterable[str], change: Change):
    """Replace `graphs` of `target` by those of `incoming`, recording what changed."""
    for graph in graphs:
        name = ox.NamedNode(graph)
        size = count(target, graph) + count(incoming, graph)
        if change.followed and not change.too_large(size):
            change.add(graph, triples_of(target, graph), triples_of(incoming, graph))
        else:
            change.give_up()
        target.update(f"DROP SILENT GRAPH <{graph}>")
        target.bulk_extend(incoming.quads_for_pattern(None, None, None, name))


def copy_graphs(
    source: ox.Store, target: ox.Store, graphs: Iterable[ox.NamedNode | ox.DefaultGraph] | None
) -> None:
    """Copy graphs (None: all) between stores natively, through an N-Quads file on disk
    (dump, then bulk load), not triple by triple through Python."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.nq"
        if graphs is None:
            source.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
            target.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            return
        for graph in graphs:
            source.dump(output=str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
            target.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)


def kept_graphs(current: ox.Store, loaded: Loaded) -> list[ox.NamedNode | ox.DefaultGraph]:
    kept: list[ox.NamedNode | ox.DefaultGraph] = [
        g
        for g in current.named_graphs()
        if isinstance(g, ox.NamedNode) and g.value not in loaded.graphs
    ]
    if next(iter(current.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
        kept.append(ox.DefaultGraph())
    return kept


def validated(report: ValidationReport) -> ValidationReport:
    if not report.conforms:
        raise ValidationFailed(report)
    return report


def check_full(incoming: ox.Store, loaded: Loaded, current: ox.Store | None, config: Config):
    """Full validation, in memory, of the graphs of `current` with the loaded ones in place
    of their namesakes; `incoming` becomes that whole candidate store."""
    if current is not None:
        copy_graphs(current, incoming, kept_graphs(current, loaded))
    loaded.report = validated(validate_store(incoming, config))


def incremental(current: ox.Store, loaded: Loaded, config: Config) -> int | None:
    """The size of the store if the load is to be validated from the nodes it touches
    (a small part of a store), else None."""
    if global_change(loaded.graphs, [], config):
        return None
    replaced = sum(count(current, g) for g in loaded.graphs) + loaded.triples
    if replaced > MAX_TOUCHED_TRIPLES:
        return None
    # Counted only as far as it decides: the changes Change will follow are at most `replaced`.
    total = count(current, up_to=int(replaced / FULL_SHARE) + 1)
    return total if replaced <= FULL_SHARE * total else None


def check_on_disk(
    store_path: Path | None, paths: Iterable[Path], config: Config, with_store: bool = True
) -> Loaded:
    """`kg validate`: the full report on what loading `paths` would give (with the graphs
    of the on-disk store, read through a read-only handle that changes no file)."""
    incoming, loaded = read_incoming(paths, config)
    exists = with_store and Store.exists_at(store_path)
    current = ox.Store.read_only(str(store_path)) if exists else None
    check_full(incoming, loaded, current, config)
    return loaded


def check_against(store: Store, paths: Iterable[Path], config: Config) -> Loaded:
    """`kg validate` on a remote store: the same full report, with the graphs of `store`."""
    incoming, loaded = read_incoming(paths, config)
    check_full(incoming, loaded, store.content(), config)
    return loaded


def load_on_disk(store_path: Path, paths: Iterable[Path], config: Config) -> Loaded:
    """Parse, validate, then swap the loaded graphs into the on-disk store, all or nothing.
    `Loaded.timings` has the seconds of each step (parse, validate, write, swap)."""
    store_path = Path(store_path)
    clock = Clock()
    fresh = not Store.exists_at(store_path) and not Rebase(config.base_iri).active
    # A fresh store is the files and nothing else: another process bulk loads them to disk
    # while this one parses and validates them in memory.
    background = Background(source_files(paths), config.base_iri, store_path) if fresh else None
    try:
        incoming, loaded = read_incoming(paths, config)
        loaded.timings = clock.lap("parse")
        if background is not None:
            check_full(incoming, loaded, None, config)
            clock.lap("validate")
            staging = background.wait()
            clock.lap("write")
            del incoming
            commit(staging, store_path)
            clock.lap("swap")
            return loaded
    except BaseException:
        if background is not None:
            background.cancel()
        raise
    current = ox.Store.read_only(str(store_path)) if Store.exists_at(store_path) else None
    total = incremental(current, loaded, config) if current is not None else None
    if current is not None and total is not None:
        staging = Staging.checkpoint(current, store_path)
        try:
            change = Change(config, total)
            replace_in(staging.store, incoming, loaded.graphs, change)
            clock.lap("write")
            loaded.incremental = change.followed
            loaded.report = validated(validate_store(staging.store, config, change.touched))
            clock.lap("validate")
        except BaseException:
            staging.discard()
            raise
    else:
        check_full(incoming, loaded, current, config)
        clock.lap("validate")
        staging = Staging.fresh(store_path)
        try:
            copy_graphs(incoming, staging.store, None)
            staging.compact()
            clock.lap("write")
        except BaseException:
            staging.discard()
            raise
    del current, incoming
    commit(staging, store_path)
    clock.lap("swap")
    return loaded


class Clock:
    """Seconds per step, in one dict."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> dict[str, float]:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now
        return self.laps


def commit(staging: Staging, store_path: Path) -> None:
    """Swap the validated staging store into place. Opening the store for writing first
    fails (RocksDB's lock) while another process such as `kg serve` holds it. That handle
    is closed before the swap: RocksDB names its files by the folder's path, so a handle
    still open on the old store would delete the new store's files as it closes."""
    try:
        if Store.exists_at(store_path):
            guard = ox.Store(str(store_path))
            del guard
            gc.collect()
    except BaseException:
        staging.discard()
        raise
    old = staging.swap(store_path)
    mark_changed(store_path)  # what was derived from the old content is out of date
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def load(store: Store, paths: Iterable[Path], config: Config) -> Loaded:
    """Parse, validate, then replace the loaded graphs of an open `store` (in memory, or a
    remote engine) in one transaction. The candidate is an in-memory copy of the store's
    content, validated incrementally when the load is small."""
    incoming, loaded = read_incoming(paths, config)
    store.check_writable(loaded.graphs)
    with store.write_lock():
        candidate = Staging.copy(store.content())
        change = Change(config, lambda: count(candidate.store, up_to=Change.ENOUGH))
        if global_change(loaded.graphs, [], config):
            change.give_up()
        replace_in(candidate.store, incoming, loaded.graphs, change)
        loaded.incremental = change.followed
        loaded.report = validated(validate_store(candidate.store, config, change.touched))
        candidate.discard()
        store.replace_graphs({g: triples_of(incoming, g) for g in loaded.graphs})
        store.flush()
    return loaded


def validate_graphs(
    graphs: dict[str, list[ox.Triple]], config: Config, engine: str = "compiled"
) -> ValidationReport:
    """Validate the data graphs against the shapes, over the union with the ontology.
    The ontology and shapes come from `graphs` when present, else from the project files.
    `engine`: "compiled" (the shapes as SPARQL on Oxigraph) or "pyshacl" (the reference)."""
    ontology_iri = ontology_graph_iri(config.base_iri)
    shapes_iri = shapes_graph_iri(config.base_iri)
    ontology = graphs.get(ontology_iri)
    if ontology is None:
        ontology_dirs = [d for d in config.source_dirs if d.name == "ontology" and d.exists()]
        ontology = read_sources(ontology_dirs, config.base_iri).graphs.get(ontology_iri, [])
    shapes = graphs.get(shapes_iri)
    if shapes is None:
        shapes = project_shapes(config)
    data = (
        triple
        for iri, triples in graphs.items()
        if iri not in (ontology_iri, shapes_iri)
        for triple in triples
    )
    if engine == "pyshacl":
        return validate(to_rdflib(as_stored(data)), to_rdflib(shapes), to_rdflib(ontology))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
    graph = ox.NamedNode(ontology_iri)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in ontology)
    return validator_for(shapes).validate(View(store))


def as_stored(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples as the store will hold them: Oxigraph canonicalises literals (an
    `xsd:positiveInteger` ordinal comes back `xsd:integer`, docs/decisions/0003), so a file
    restating a stored fact in the contract's datatype must not count as a second value."""
    canonical = ox.Store()
    canonical.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return [quad.triple for quad in canonical]
