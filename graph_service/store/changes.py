"""Validating a store as it would be after a change: what the change touches, and the
validation itself (full, or incremental from the touched nodes).

A change touches the subjects and objects of the triples it adds or removes. Incremental
validation checks the focus nodes those nodes can matter to (`shacl.engine`); it assumes the
rest of the store was valid before, which holds because every write is validated. A change
to the shapes or the ontology, to `rdfs:subClassOf`, or to more than `FULL_SHARE` of the
data is validated in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.store.shacl import Touched, View, validator_for
from graph_service.store.sources import read_sources
from graph_service.store.validation import ValidationReport
from graph_service.vocabulary import RDFS, ontology_graph_iri, shapes_graph_iri

Term = ox.NamedNode | ox.BlankNode | ox.Literal
FULL_SHARE = 0.25  # a change to more of the store than this is validated in full
MAX_TOUCHED_TRIPLES = 500_000  # beyond this, do not hold the changed triples in Python
SMALL_CHANGE = 10_000  # a change this small is validated incrementally whatever the store
SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
VALIDATION_ONTOLOGY = ox.NamedNode("urn:x-untoc:validation:ontology")


def count(store: ox.Store, graph: str | None = None, up_to: int | None = None) -> int:
    """The triples of the named graphs (or of `graph`), or `up_to` if there are more:
    counting a large store whole takes a second per 10M triples."""
    pattern = "GRAPH ?g { ?s ?p ?o }" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    if up_to is not None:
        pattern = f"{{ SELECT * WHERE {{ {pattern} }} LIMIT {max(up_to, 0)} }}"
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


def graph_counts(store: ox.Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows}


def triples_of(store: ox.Store, graph: str | None) -> set[ox.Triple]:
    name = ox.NamedNode(graph) if graph is not None else ox.DefaultGraph()
    return {q.triple for q in store.quads_for_pattern(None, None, None, name)}


def global_change(graphs: Iterable[str | None], triples: Iterable[ox.Triple], config: Config):
    """Whether a change to these graphs, with these triples, may change every result."""
    special = {shapes_graph_iri(config.base_iri), ontology_graph_iri(config.base_iri)}
    return bool(special & set(graphs)) or any(t.predicate == SUBCLASS for t in triples)


class Change:
    """The triples a change adds and removes, graph by graph, while they are few; None
    (`touched` is None) once the change is too large to follow: validate everything."""

    # The size of a store that makes every change it can follow a small share of it.
    ENOUGH = int(MAX_TOUCHED_TRIPLES / FULL_SHARE) + 1

    def __init__(self, config: Config, total: int | Callable[[], int]):
        self.config = config
        self._total = total  # the size of the store, or how to count it (only if needed)
        self._touched = Touched()
        self.followed = True
        self.size = 0

    @property
    def total(self) -> int:
        if callable(self._total):
            self._total = self._total()
        return max(self._total, 1)

    @property
    def touched(self) -> Touched | None:
        """The nodes of the added and of the removed triples; None: validate everything."""
        return self._touched if self.followed else None

    def add(self, graph: str | None, before: set[ox.Triple], after: set[ox.Triple]) -> None:
        """The change of one graph from `before` to `after` (or from the triples it removes
        to those it adds: the same difference)."""
        if not self.followed:
            return
        removed, added = before - after, after - before
        self.size += len(removed) + len(added)
        if global_change([graph], removed | added, self.config) or self.too_large():
            self.give_up()
            return
        self._touched.add("+", added)
        self._touched.add("-", removed)

    def too_large(self, more: int = 0) -> bool:
        size = self.size + more
        if size <= SMALL_CHANGE:  # not worth counting the store for
            return False
        return size > MAX_TOUCHED_TRIPLES or size > FULL_SHARE * self.total

    def give_up(self) -> None:
        self.followed = False
        self._touched = Touched()


def add_ontology(store: ox.Store, config: Config) -> bool:
    """Give a store without the ontology graph the project's ontology, in a graph of its
    own (`VALIDATION_ONTOLOGY`, dropped by `drop_ontology`). True if it was added."""
    if next(
        iter(
            store.quads_for_pattern(
                None, None, None, ox.NamedNode(ontology_graph_iri(config.base_iri))
            )
        ),
        None,
    ):
        return False
    folders = [d for d in config.source_dirs if d.name == "ontology" and d.exists()]
    triples = read_sources(folders, config.base_iri).graphs.get(
        ontology_graph_iri(config.base_iri), []
    )
    store.extend(ox.Quad(t.subject, t.predicate, t.object, VALIDATION_ONTOLOGY) for t in triples)
    return True


def drop_ontology(store: ox.Store) -> None:
    store.update(f"DROP SILENT GRAPH <{VALIDATION_ONTOLOGY.value}>")


def validate_store(
    store: ox.Store, config: Config, touched: Touched | None = None
) -> ValidationReport:
    """Validate the data of `store` against its shapes (or the project's): everything, or
    the focus nodes `touched` can matter to. The store is left as it was."""
    added = add_ontology(store, config)
    aside = set_shapes_aside(store, config)
    try:
        validator = validator_for([q.triple for q in aside] or project_shapes(config))
        # The union of the graphs, not a list of them: with a list as the default graph
        # Oxigraph looks each pattern up once per graph, and with one graph per source
        # (70 of them) validation took 10 to 100 times as long.
        return validator.validate(View(store), touched)
    finally:
        store.extend(aside)
        if added:
            drop_ontology(store)


def project_shapes(config: Config) -> list[ox.Triple]:
    """The shapes of the project's files, for a store without a shapes graph."""
    return read_sources([config.shapes_dir], config.base_iri).graphs.get(
        shapes_graph_iri(config.base_iri), []
    )


def set_shapes_aside(store: ox.Store, config: Config) -> list[ox.Quad]:
    """Take the shapes graph out of `store` (they are not data), to be put back."""
    graph = ox.NamedNode(shapes_graph_iri(config.base_iri))
    quads = list(store.quads_for_pattern(None, None, None, graph))
    if quads:
        store.remove_graph(graph)
    return quads
