"""The RDF dataset a query runs over, as SPARQL 1.1 says: the protocol's `default-graph-uri`
/ `named-graph-uri` when given (Protocol 2.1.4: they replace the query's dataset), else the
query's own FROM / FROM NAMED (Query 13.2), else this service's default: the union of all
named graphs as the default graph, every named graph as a named graph."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.sparql.tokens import tokenize


@dataclass(frozen=True)
class Dataset:
    # None: the store's choice (the union default graph, or the query's FROM when it has one)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True

    def query_arguments(self) -> dict:
        """The keyword arguments of `Store.query` for this dataset."""
        return {
            "default_graphs": list(self.default_graphs)
            if self.default_graphs is not None
            else None,
            "named_graphs": list(self.named_graphs) if self.named_graphs is not None else None,
            "union_default_graph": self.union_default_graph,
        }


DEFAULT_DATASET = Dataset()


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its dataset (FROM or FROM NAMED before its pattern)."""
    for token in tokenize(query):
        if token.text == "{" or (token.kind == "NAME" and token.value == "WHERE"):
            return False
        if token.kind == "NAME" and token.value == "FROM":
            return True
    return False


def dataset_for(
    query: str, default_graph_uris: tuple[str, ...] = (), named_graph_uris: tuple[str, ...] = ()
) -> Dataset:
    if default_graph_uris or named_graph_uris:
        return Dataset(default_graph_uris, named_graph_uris, union_default_graph=False)
    if has_dataset_clause(query):
        return Dataset(union_default_graph=False)
    return Dataset()
