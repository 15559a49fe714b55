"""Reading the Turtle/TriG sources into named graphs, validating them against the shapes and
swapping them into the store: all or nothing.

The on-disk store is opened for writing only after every file has parsed and the whole graph
has validated, because opening RocksDB for writing already rewrites files in its directory;
a failed load therefore leaves a previously loaded store byte-for-byte unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_service.config import DEFAULT_BASE_IRI, Config
from graph_service.store.store import Store
from graph_service.store.validation import ValidationReport, to_rdflib, validate

XSD_ANY_URI = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
SOURCE_SUFFIXES = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
}


class SourceError(Exception):
    """A source file that cannot be parsed; the message names the file and line."""


class ValidationFailed(Exception):
    """The graph to be loaded violates the shapes; `report` says where and why."""

    def __init__(self, report: ValidationReport):
        super().__init__(report.text())
        self.report = report


@dataclass
class Sources:
    """Triples of every named graph read from a set of files."""

    graphs: dict[str, list[ox.Triple]]
    files: list[Path]

    def all_triples(self) -> list[ox.Triple]:
        return [t for triples in self.graphs.values() for t in triples]


def graph_iri_for_file(path: Path, base_iri: str) -> str:
    """Turtle files go into a graph named after their folder and stem:
    ontology/untoc.ttl -> graph/ontology, shapes/x.ttl -> graph/shapes, data/x.ttl -> graph/x."""
    folder = path.parent.name
    if folder in ("ontology", "shapes"):
        return f"{base_iri}graph/{folder}"
    return f"{base_iri}graph/{path.stem}"


def source_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES))
        elif path.exists():
            files.append(path)
        else:
            raise SourceError(f"{path}: no such file or directory")
    return files


def read_sources(paths: Iterable[Path], base_iri: str) -> Sources:
    """Parse every file; raise SourceError naming the file and line on the first bad one."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    files = source_files(paths)
    for path in files:
        rdf_format = SOURCE_SUFFIXES.get(path.suffix)
        if rdf_format is None:
            raise SourceError(f"{path}: unsupported file type (use .ttl, .trig or .nq)")
        default_graph = graph_iri_for_file(path, base_iri)
        try:
            quads = list(ox.parse(path=str(path), format=rdf_format, base_iri=base_iri))
        except SyntaxError as error:
            raise SourceError(f"{path}:{_position(error)}: {error.msg or error}") from None
        rebase = Rebase(base_iri)
        for quad in quads:
            graph = quad.graph_name
            key = default_graph if isinstance(graph, ox.DefaultGraph) else rebase.iri(graph.value)
            graphs[key].append(rebase.triple(quad.triple))
    return Sources(graphs=dict(graphs), files=files)


class Rebase:
    """Maps the instance and graph IRIs of the sources, written under the canonical base
    https://w3id.org/untoc/, to the configured base (KG_BASE_IRI). The vocabulary namespace
    (ontology#) stays put: it names terms, not this deployment's resources.
    See docs/decisions/0004-base-iri.md."""

    SPACES = ("id/", "graph/")

    def __init__(self, base_iri: str):
        self.base_iri = base_iri
        self.active = base_iri != DEFAULT_BASE_IRI
        self.prefixes = tuple(DEFAULT_BASE_IRI + space for space in self.SPACES)

    def iri(self, value: str) -> str:
        if self.active and value.startswith(self.prefixes):
            return self.base_iri + value[len(DEFAULT_BASE_IRI) :]
        return value

    def term(self, term):
        if not self.active:
            return term
        if isinstance(term, ox.NamedNode):
            return ox.NamedNode(self.iri(term.value))
        if isinstance(term, ox.Literal) and term.datatype == XSD_ANY_URI:
            return ox.Literal(self.iri(term.value), datatype=XSD_ANY_URI)
        return term

    def triple(self, triple: ox.Triple) -> ox.Triple:
        if not self.active:
            return triple
        return ox.Triple(
            self.term(triple.subject), self.term(triple.predicate), self.term(triple.object)
        )


def _position(error: SyntaxError) -> str:
    if error.lineno:
        return f"{error.lineno}:{error.offset or 0}"
    return "?"


def swap_in(store: Store, sources: Sources) -> None:
    """Replace every graph named in `sources`, in one transaction."""
    store.replace_graphs(sources.graphs)
    store.flush()


def ontology_graph_iri(base_iri: str) -> str:
    return f"{base_iri}graph/ontology"


def shapes_graph_iri(base_iri: str) -> str:
    return f"{base_iri}graph/shapes"


def graphs_in(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """Every named graph of an (open, possibly read-only) Oxigraph store."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value].append(quad.triple)
    return dict(graphs)


def validate_graphs(graphs: dict[str, list[ox.Triple]], config: Config) -> ValidationReport:
    """Validate the data graphs against the shapes, over the union with the ontology.
    The ontology and shapes come from `graphs` when present, else from the project files."""
    ontology_iri = ontology_graph_iri(config.base_iri)
    shapes_iri = shapes_graph_iri(config.base_iri)
    ontology = graphs.get(ontology_iri)
    if ontology is None:
        ontology_dirs = [d for d in config.source_dirs if d.name == "ontology" and d.exists()]
        ontology = read_sources(ontology_dirs, config.base_iri).graphs.get(ontology_iri, [])
    shapes = graphs.get(shapes_iri)
    if shapes is None:
        shapes = read_sources([config.shapes_dir], config.base_iri).graphs.get(shapes_iri, [])
    data = as_stored(
        triple
        for iri, triples in graphs.items()
        if iri not in (ontology_iri, shapes_iri)
        for triple in triples
    )
    return validate(to_rdflib(data), to_rdflib(shapes), to_rdflib(ontology))


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
    exists = with_store and (Path(store_path) / "CURRENT").exists()
    current = ox.Store.read_only(str(store_path)) if exists else None
    sources = check(paths, config, current=current)
    del current
    return sources


def _write(store_path: Path, sources: Sources) -> None:
    # A frame of its own, so the store closes on return: pyshacl keeps frames of `check`
    # alive, and with them the locals of its callers.
    store = Store(store_path)
    swap_in(store, sources)
