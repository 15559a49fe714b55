"""Reading the Turtle/TriG sources into named graphs, validating them against the shapes and
swapping them into the store: all or nothing.

The on-disk store is opened for writing only after every file has parsed and the whole graph
has validated, because opening RocksDB for writing already rewrites files in its directory;
a failed load therefore leaves a previously loaded store byte-for-byte unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.shacl import View, validator_for
from graph_service.store.sources import Sources, read_sources
from graph_service.store.validation import ValidationReport, to_rdflib, validate
from graph_service.vocabulary import ontology_graph_iri, shapes_graph_iri


class ValidationFailed(Exception):
    """The graph to be loaded violates the shapes; `report` says where and why."""

    def __init__(self, report: ValidationReport):
        super().__init__(report.text())
        self.report = report


def swap_in(store: Store, sources: Sources) -> None:
    """Replace every graph named in `sources`, in one transaction."""
    store.replace_graphs(sources.graphs)
    store.flush()


def graphs_in(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """Every named graph of an (open, possibly read-only) Oxigraph store."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value].append(quad.triple)
    return dict(graphs)


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
        shapes = read_sources([config.shapes_dir], config.base_iri).graphs.get(shapes_iri, [])
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
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ontology_iri)) for t in ontology
    )
    return validator_for(shapes).validate(View(store))


def as_stored(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples as the store will hold them: Oxigraph canonicalises literals (an
    `xsd:positiveInteger` ordinal comes back `xsd:integer`, docs/decisions/0003), so a file
    restating a stored fact in the contract's datatype must not count as a second value."""
    canonical = ox.Store()
    canonical.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return [quad.triple for quad in canonical]


def check(paths: Iterable[Path], config: Config, current: ox.Store | None = None) -> Sources:
    """Parse and validate what loading `paths` would give: the graphs already in `current`
    with those read from `paths` replacing their namesakes. Raises SourceError or
    ValidationFailed; returns the sources ready for `swap_in`."""
    sources = read_sources(paths, config.base_iri)
    graphs = graphs_in(current) if current is not None else {}
    del current  # validation may keep this frame alive; do not let it hold the store open
    graphs.update(sources.graphs)
    report = validate_graphs(graphs, config)
    if not report.conforms:
        raise ValidationFailed(report)
    return sources


def load(store: Store, paths: Iterable[Path], config: Config) -> Sources:
    """Parse, validate, then replace the named graphs of `paths` in `store` in one transaction."""
    sources = check(paths, config, current=store.oxigraph)
    swap_in(store, sources)
    return sources


def load_on_disk(store_path: Path, paths: Iterable[Path], config: Config) -> Sources:
    """`load` for the on-disk store, opening it for writing only once everything validated.
    The existing graphs are read through a read-only handle, which changes no file."""
    sources = check_on_disk(store_path, paths, config)
    _write(store_path, sources)
    return sources


def check_on_disk(
    store_path: Path, paths: Iterable[Path], config: Config, with_store: bool = True
) -> Sources:
    """`check` against the graphs of the on-disk store (if any), read through a read-only
    handle, which changes no file."""
    exists = with_store and Store.exists_at(store_path)
    current = Store.read_only(store_path).oxigraph if exists else None
    sources = check(paths, config, current=current)
    del current
    return sources


def _write(store_path: Path, sources: Sources) -> None:
    # A frame of its own, so the store closes on return: pyshacl keeps frames of `check`
    # alive, and with them the locals of its callers.
    store = Store(store_path)
    swap_in(store, sources)
