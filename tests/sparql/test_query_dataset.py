"""Which dataset a query runs over: the protocol's graph parameters, else the query's FROM /
FROM NAMED, else the union of all graphs."""

from __future__ import annotations

import pytest
from conftest import BASE

from graph_service.cli import main
from graph_service.sparql.dataset import Dataset, dataset_for, has_dataset_clause

NOTE = f"{BASE}graph/cop12-subsidiary-bodies-note"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("SELECT * FROM <g> { ?s ?p ?o }", True),
        ("PREFIX f: <x:> SELECT * FROM NAMED f:g WHERE { GRAPH ?g { ?s ?p ?o } }", True),
        ("SELECT * { ?s ?p 'FROM' }", False),
        ("SELECT * WHERE { ?s ?p ?o } # FROM <g>", False),
        ("ASK { SERVICE <http://x/> { SELECT * { ?s ?p ?o } } }", False),
    ],
)
def test_a_dataset_clause_is_found_only_before_the_pattern(query, expected):
    assert has_dataset_clause(query) is expected


def test_protocol_parameters_replace_the_query_dataset():
    assert dataset_for("SELECT * FROM <a> {}", ("b",)) == Dataset(("b",), (), False)
    assert dataset_for("SELECT * FROM <a> {}") == Dataset(union_default_graph=False)
    assert dataset_for("SELECT * {}") == Dataset()


def count(client, query: str, **params) -> int:
    response = client.get(
        "/sparql",
        query_string={"query": query, **params},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_the_endpoint_counts_only_the_graphs_asked_for(client, loaded_store):
    everything = count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    note = loaded_store.stats()["graphs"][NOTE]
    assert note < everything
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{NOTE}> WHERE {{ ?s ?p ?o }}") == note
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{
        "default-graph-uri": NOTE
    }) == note  # fmt: skip
    # Only named graphs: the default graph is empty, GRAPH sees just the one named.
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{
        "named-graph-uri": NOTE
    }) == 0  # fmt: skip
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client, graphs, **{"named-graph-uri": NOTE}) == 1
    assert count(client, graphs) == len(loaded_store.stats()["graphs"])


def test_kg_query_honours_from(tmp_path, capsysbinary):
    store = tmp_path / "store"
    assert main(["--store", str(store), "load"]) == 0
    capsysbinary.readouterr()
    query = f"SELECT (COUNT(*) AS ?n) FROM <{NOTE}> WHERE {{ ?s ?p ?o }}"
    assert main(["--store", str(store), "query", query, "--format", "csv"]) == 0
    body = capsysbinary.readouterr().out.decode()
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert main(["--store", str(store), "query", everything, "--format", "csv"]) == 0
    assert body != capsysbinary.readouterr().out.decode()
