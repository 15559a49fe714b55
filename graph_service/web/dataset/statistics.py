"""The dataset's statistics for VoID: totals, partitions per class, property and graph,
linksets. Whole-store aggregates, computed off the request path once per store revision
(store/aggregates.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from graph_service.store import Store, queries
from graph_service.store.aggregates import Aggregates, Found, Result
from graph_service.vocabulary import entity_iri

# Example resources of the contract (DESIGN.md section 2), used when the store has them.
EXAMPLE_PATHS = ("id/body/wg-tip", "id/body/cop", "id/treaty/untoc")


def run(store: Store, name: str, **bindings) -> list:
    return list(queries.run(store, f"void/{name}", **bindings))


def _int(row, var: str) -> int:
    return int(row[var].value)


@dataclass
class Statistics:
    triples: int
    entities: int
    subjects: int
    objects: int
    classes: int
    properties: int
    graphs: dict[str, dict[str, int]]
    class_partitions: dict[str, int]
    property_partitions: dict[str, int]
    graph_class_partitions: dict[str, dict[str, int]]
    graph_property_partitions: dict[str, dict[str, int]]
    linksets: list[tuple[str, str, int]]
    examples: list[str]


def compute_statistics(store: Store, base_iri: str) -> Statistics:
    uri_space = ox.Literal(entity_iri(base_iri, ""))
    totals = run(store, "totals")[0]
    entities = run(store, "entities", uriSpace=uri_space)
    graphs = {
        row["g"].value: {k: _int(row, k) for k in ("triples", "subjects", "objects", "properties")}
        for row in run(store, "graphs")
    }
    per_graph_classes: dict[str, dict[str, int]] = {g: {} for g in graphs}
    for row in run(store, "graph_class_partitions"):
        per_graph_classes[row["g"].value][row["class"].value] = _int(row, "entities")
    per_graph_properties: dict[str, dict[str, int]] = {g: {} for g in graphs}
    for row in run(store, "graph_property_partitions"):
        per_graph_properties[row["g"].value][row["p"].value] = _int(row, "triples")
    examples = [
        base_iri + path
        for path in EXAMPLE_PATHS
        if queries.run(store, "void/example_resource", resource=ox.NamedNode(base_iri + path))
    ] or [row["s"].value for row in run(store, "any_entities", uriSpace=uri_space)]
    return Statistics(
        triples=_int(totals, "triples"),
        entities=_int(entities[0], "entities") if entities else 0,
        subjects=_int(totals, "subjects"),
        objects=_int(totals, "objects"),
        classes=_int(totals, "classes"),
        properties=_int(totals, "properties"),
        graphs=graphs,
        class_partitions={
            row["class"].value: _int(row, "entities") for row in run(store, "class_partitions")
        },
        property_partitions={
            row["p"].value: _int(row, "triples") for row in run(store, "property_partitions")
        },
        graph_class_partitions=per_graph_classes,
        graph_property_partitions=per_graph_properties,
        linksets=sorted(
            (row["target"].value, row["p"].value, _int(row, "triples"))
            for row in run(store, "linksets")
        ),
        examples=examples,
    )


def aggregate_name(base_iri: str) -> str:
    return "void-statistics " + base_iri


def define(aggregates: Aggregates, base_iri: str) -> None:
    aggregates.define(
        aggregate_name(base_iri), lambda store: Result(asdict(compute_statistics(store, base_iri)))
    )


def statistics(aggregates: Aggregates, base_iri: str) -> tuple[Statistics, Found]:
    """The statistics of the current revision, or of the previous one while they are being
    computed (NotReady when there are none yet)."""
    found = aggregates.get(aggregate_name(base_iri))
    value = dict(found.value)
    value["linksets"] = [tuple(row) for row in value["linksets"]]
    return Statistics(**value), found
