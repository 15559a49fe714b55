"""The W3C SPARQL dataset tests (sparql10/dataset: FROM, FROM NAMED, blank nodes across
graphs), read from the shared manifest at test time and run over HTTP against /sparql.

Every data file of the suite is loaded into a named graph whose name is the IRI its query
writes relatively (`FROM <data-g1.ttl>`), resolved against the endpoint's URL, the query's
base. The endpoint must then build each query's dataset from its own FROM and FROM NAMED,
not from the union of the store.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import SHARED, LiveServer
from rdflib.namespace import RDF
from w3c_results import json_term, same_up_to_bnodes

from graph_service.store import Store
from graph_service.web.app import create_app

SUITE = SHARED / "w3c" / "sparql" / "sparql10" / "dataset"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


@dataclass(frozen=True)
class DatasetTest:
    name: str
    query: Path
    result: Path


def read_manifest() -> list[DatasetTest]:
    path = SUITE / "manifest.ttl"
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in rdflib.collection.Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        tests.append(
            DatasetTest(
                name=str(graph.value(entry, MF.name)),
                query=Path(str(graph.value(action, QT.query)).removeprefix("file://")),
                result=Path(str(graph.value(entry, MF.result)).removeprefix("file://")),
            )
        )
    return tests


TESTS = read_manifest()


@pytest.fixture(scope="module")
def server(test_config):
    store = Store(None)
    live = LiveServer(create_app(replace(test_config, update_token=None), store=store))
    for data in sorted(SUITE.glob("data-*.ttl")):
        graph = ox.NamedNode(f"{live.url}/{data.name}")
        triples = ox.parse(
            path=str(data),
            format=ox.RdfFormat.TURTLE,
            base_iri=data.as_uri(),
            rename_blank_nodes=True,  # blank nodes are scoped to their file
        )
        store.oxigraph.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    live.start()
    yield live
    live.stop()


def expected_rows(result: Path, base: str) -> tuple[list[str], list[tuple]]:
    """The rs:ResultSet of a .ttl result file, as JSON-like terms; its relative IRIs (the
    graph names) are resolved against `base`, as the queries' are."""
    graph = rdflib.Graph().parse(result, format="turtle", publicID=base)
    result_set = next(graph.subjects(RDF.type, RS.ResultSet))
    variables = sorted(str(v) for v in graph.objects(result_set, RS.resultVariable))

    def term(node) -> tuple:
        if isinstance(node, rdflib.BNode):
            return ("bnode", str(node))
        if isinstance(node, rdflib.URIRef):
            return ("uri", str(node))
        value = {"type": "literal", "value": str(node)}
        if node.language:
            value["xml:lang"] = node.language
        elif node.datatype:
            value["datatype"] = str(node.datatype)
        return json_term(value)

    rows = []
    for solution in graph.objects(result_set, RS.solution):
        values = {
            str(graph.value(b, RS.variable)): term(graph.value(b, RS.value))
            for b in graph.objects(solution, RS.binding)
        }
        rows.append(tuple(values.get(v) for v in variables))
    return variables, rows


def ask(server, query: str) -> dict:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        f"{server.url}/sparql",
        data=body,
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_the_manifest_has_the_twelve_tests():
    assert len(TESTS) == 12


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_dataset(server, test):
    variables, expected = expected_rows(test.result, f"{server.url}/")
    answer = ask(server, test.query.read_text(encoding="utf-8"))
    assert sorted(answer["head"]["vars"]) == variables
    actual = [
        tuple(json_term(b[v]) if v in b else None for v in variables)
        for b in answer["results"]["bindings"]
    ]
    assert same_up_to_bnodes(
        expected,
        actual,
        lambda cell: cell[1] if cell and cell[0] == "bnode" else None,
        lambda _, label: ("bnode", label),
    ), f"{test.name}: expected {expected}, got {actual}"
