"""The size of each named graph (triples, distinct subjects): a whole-store aggregate,
computed off the request path once per store revision (aggregates.py), for /graph/,
/health and the service description."""

from __future__ import annotations

from graph_service.store import Store, queries
from graph_service.store.aggregates import Aggregates, NotReady, Result

AGGREGATE = "graph-sizes"

Sizes = dict[str, dict[str, int]]


def compute(store: Store) -> Result:
    sizes = {
        row["g"].value: {key: int(row[key].value) for key in ("triples", "subjects")}
        for row in queries.run(store, "void/graph_sizes")
    }
    return Result(sizes)


def define(aggregates: Aggregates) -> None:
    aggregates.define(AGGREGATE, compute)


def graph_sizes(aggregates: Aggregates) -> Sizes | None:
    """The sizes (of the previous revision while the current one's are counted); None when
    they have never been counted: pages then show no counts."""
    try:
        return aggregates.get(AGGREGATE).value
    except NotReady:
        return None


def triples(sizes: Sizes) -> int:
    return sum(counts["triples"] for counts in sizes.values())
