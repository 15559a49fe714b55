"""The one narrow interface to the triple store: embedded Oxigraph, on disk or in memory."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
QUAD_FORMATS = {"nquads", "trig", "jsonld"}
_GENERATIONS = itertools.count(1)
_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^>]*)> is not supported")
_MAX_UNKNOWN_FUNCTIONS = 32


def _evaluation_error(*_args):
    return None  # pyoxigraph reads None as an evaluation error: the expression is unbound


class Store:
    """Query, replace named graphs atomically, export, count.

    `path=None` gives an in-memory store (tests); a path gives the on-disk RocksDB store.
    `generation` changes with every write made through this object (read-only handles in
    other processes see a snapshot and must reopen when it changes: query_workers.py).
    """

    generation = 0

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else None
        self.opened = time.time()
        if self.path is None:
            self._store = ox.Store()
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))

    @classmethod
    def read_only(cls, path: Path | str) -> Store:
        """Open an on-disk store for reading: changes no file, and works beside `kg serve`."""
        store = cls.__new__(cls)
        store.path = Path(path)
        store.opened = time.time()
        store._store = ox.Store.read_only(str(path))
        return store

    @property
    def state(self) -> tuple[float, int]:
        """Identifies the store's content for caches and ETags: a new value after every
        write through this object and after every (re)open, e.g. a restart after `kg load`."""
        return (self.opened, self.generation)

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ):
        """Run a SPARQL query; the default graph is the union of all graphs unless
        `default_graphs` names some (SPARQL Protocol `default-graph-uri`)."""
        kwargs = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if base_iri:
            kwargs["base_iri"] = base_iri
        unknown: dict[ox.NamedNode, object] = {}
        while True:
            try:
                return self._store.query(sparql, custom_functions=unknown or None, **kwargs)
            except RuntimeError as error:
                # SPARQL 1.1 (17.3, 17.6): a call to an extension function the endpoint
                # does not know is an evaluation error (the expression is unbound), not a
                # failed query. pyoxigraph refuses such queries one function at a time.
                match = _UNKNOWN_FUNCTION.fullmatch(str(error))
                if not match or len(unknown) >= _MAX_UNKNOWN_FUNCTIONS:
                    raise
                unknown[ox.NamedNode(match[1])] = _evaluation_error

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update in one transaction (all or nothing)."""
        try:
            self._store.update(sparql, base_iri=base_iri)
        finally:
            self.generation = next(_GENERATIONS)

    def replace_graphs(self, graphs: Mapping[str | None, Iterable[ox.Triple]]) -> None:
        """Replace each named graph (the key None: the default graph) by the given triples,
        all graphs in one transaction; an empty list drops the graph."""
        parts = []
        for graph_iri, triples in graphs.items():
            body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
            if graph_iri is None:
                parts.append("DROP SILENT DEFAULT")
                parts.append(f"INSERT DATA {{\n{body.decode()}\n}}")
            else:
                parts.append(f"DROP SILENT GRAPH <{graph_iri}>")
                parts.append(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body.decode()}\n}} }}")
        if parts:
            self.update(" ;\n".join(parts))

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def quads(self, graph_iri: str | None = None) -> Iterable[ox.Quad]:
        graph = ox.NamedNode(graph_iri) if graph_iri else None
        return self._store.quads_for_pattern(None, None, None, graph)

    def export(self, fmt: str = "nquads", graph_iri: str | None = None) -> bytes:
        """Serialise the whole store (quad formats) or one named graph."""
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
        rdf_format = EXPORT_FORMATS[fmt]
        if graph_iri:
            return self._store.dump(format=rdf_format, from_graph=ox.NamedNode(graph_iri))
        if fmt not in QUAD_FORMATS:
            triples = [q.triple for q in self._store]
            return ox.serialize(triples, format=rdf_format)
        return self._store.dump(format=rdf_format)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def stats(self) -> dict:
        """Triples per named graph and in all."""
        per_graph: dict[str, int] = {}
        rows = self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        for row in rows:
            per_graph[row["g"].value] = int(row["n"].value)
        return {"triples": sum(per_graph.values()), "graphs": per_graph}

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()
