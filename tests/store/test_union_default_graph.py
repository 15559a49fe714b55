"""Oxigraph 0.5's union default graph is a bag: a triple stated in two named graphs is matched
twice (its issue 1919, fixed on its main branch, not in 0.5.13). docs/sparql.md says so and
tells researchers to use DISTINCT; the pages and competency questions do. This test pins the
engine's behaviour so that the upgrade that fixes it is noticed (then the docs paragraph goes)."""

from __future__ import annotations

from graph_service.store import Store

STATED_TWICE = """INSERT DATA {
  GRAPH <urn:x:g1> { <urn:x:s> <urn:x:p> 10 }
  GRAPH <urn:x:g2> { <urn:x:s> <urn:x:p> 10 }
}"""


def counts(store: Store, query: str) -> tuple[int, int]:
    row = next(iter(store.query(query)))
    return int(row["n"].value), int(row["total"].value)


def test_a_triple_in_two_graphs_is_matched_once_per_graph_in_the_union():
    store = Store(None)
    store.update(STATED_TWICE)
    plain = "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?total) WHERE { ?s <urn:x:p> ?o }"
    assert counts(store, plain) == (2, 20)  # a set would give (1, 10)
    distinct = (
        "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?total) "
        "WHERE { SELECT DISTINCT ?s ?o WHERE { ?s <urn:x:p> ?o } }"
    )
    assert counts(store, distinct) == (1, 10)  # the workaround docs/sparql.md gives
