"""Reading the Turtle/TriG sources into named graphs and swapping them into the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_service.store import Store

SOURCE_SUFFIXES = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


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
        for quad in quads:
            graph = quad.graph_name
            key = default_graph if isinstance(graph, ox.DefaultGraph) else graph.value
            graphs[key].append(quad.triple)
    return Sources(graphs=dict(graphs), files=files)


def _position(error: SyntaxError) -> str:
    if error.lineno:
        return f"{error.lineno}:{error.offset or 0}"
    return "?"


def swap_in(store: Store, sources: Sources) -> None:
    """Replace every graph named in `sources`, in one transaction."""
    store.replace_graphs(sources.graphs)
    store.flush()
