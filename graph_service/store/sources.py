"""Reading the Turtle, TriG and N-Quads sources (ontology/, shapes/, data/) into named graphs.

A Turtle file's triples go into a graph named after the file; TriG and N-Quads name their
own graphs. Sources are written under the canonical base IRI and moved to the configured one
as they are read (`Rebase`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_service import formats
from graph_service.vocabulary import DEFAULT_BASE_IRI, XSD, graph_iri

XSD_ANY_URI = ox.NamedNode(XSD + "anyURI")


class SourceError(Exception):
    """A source file that cannot be parsed; the message names the file and line."""


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
    return graph_iri(base_iri, folder if folder in ("ontology", "shapes") else path.stem)


def source_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if formats.by_path(p, formats.SOURCE_FORMATS))
            )
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
        rdf_format = formats.by_path(path, formats.SOURCE_FORMATS)
        if rdf_format is None:
            raise SourceError(f"{path}: unsupported file type (use .ttl, .trig or .nq)")
        default_graph = graph_iri_for_file(path, base_iri)
        try:
            # Blank node labels are scoped to their file: `_:x` in two files is two nodes.
            quads = list(
                ox.parse(
                    path=str(path),
                    format=rdf_format.rdf,
                    base_iri=base_iri,
                    rename_blank_nodes=True,
                )
            )
        except SyntaxError as error:
            raise SourceError(f"{path}:{_position(error)}: {error.msg or error}") from None
        rebase = Rebase(base_iri)
        for quad in quads:
            graph = quad.graph_name
            key = default_graph if isinstance(graph, ox.DefaultGraph) else rebase.iri(graph.value)
            graphs[key].append(rebase.triple(quad.triple))
    return Sources(graphs=dict(graphs), files=files)


def load_files(store: ox.Store, files: Iterable[Path], base_iri: str) -> None:
    """Parse every file straight into `store` with Oxigraph's bulk loader (no Python
    objects per triple, memory bounded whatever the size), each into the graphs
    `read_sources` would give. Raises SourceError naming the file and line; what was
    loaded before the error stays: load into a staging store."""
    rebase = Rebase(base_iri)
    for path in files:
        rdf_format = formats.by_path(path, formats.SOURCE_FORMATS)
        if rdf_format is None:
            raise SourceError(f"{path}: unsupported file type (use .ttl, .trig or .nq)")
        default_graph = ox.NamedNode(graph_iri_for_file(path, base_iri))
        try:
            if not rebase.active:
                # Blank node labels are scoped to each call: `_:x` in two files is two nodes.
                store.bulk_load(
                    path=str(path), format=rdf_format.rdf, base_iri=base_iri, to_graph=default_graph
                )
                continue
            quads = ox.parse(
                path=str(path), format=rdf_format.rdf, base_iri=base_iri, rename_blank_nodes=True
            )
            store.bulk_extend(rebase.quad(q, default_graph) for q in quads)
        except SyntaxError as error:
            raise SourceError(f"{path}:{_position(error)}: {error.msg or error}") from None


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

    def quad(self, quad: ox.Quad, default_graph: ox.NamedNode) -> ox.Quad:
        """The quad rebased, its default graph replaced by `default_graph`."""
        triple = self.triple(quad.triple)
        graph = quad.graph_name
        name = (
            default_graph
            if isinstance(graph, ox.DefaultGraph)
            else ox.NamedNode(self.iri(graph.value))
        )
        return ox.Quad(triple.subject, triple.predicate, triple.object, name)

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
