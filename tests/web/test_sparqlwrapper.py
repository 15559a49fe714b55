"""SPARQLWrapper, a real SPARQL client, against the live server (waitress, real HTTP), for every
result format; what it parses is checked against the curated data in the store."""

from __future__ import annotations

import csv
import io

import pytest
import rdflib
from conftest import BASE
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

UNTOC = BASE + "ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SELECT_WGS = f"""SELECT ?wg ?label WHERE {{
  ?wg a <{UNTOC}WorkingGroup> ; <{RDFS_LABEL}> ?label . FILTER(lang(?label) = "en")
}} ORDER BY ?wg"""
CONSTRUCT_WGS = f"""CONSTRUCT {{ ?wg a <{UNTOC}WorkingGroup> ; <{RDFS_LABEL}> ?label }}
WHERE {{ ?wg a <{UNTOC}WorkingGroup> ; <{RDFS_LABEL}> ?label }}"""
# SPARQLWrapper itself builds rdflib ConjunctiveGraphs, which rdflib 7 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")
ASK_TIP = f"ASK {{ <{BASE}id/body/wg-tip> a <{UNTOC}WorkingGroup> }}"


@pytest.fixture(scope="module")
def expected_rows(loaded_store, curated_working_groups) -> list[tuple[str, str]]:
    rows = [(r["wg"].value, r["label"].value) for r in loaded_store.query(SELECT_WGS)]
    assert {wg for wg, _ in rows} == curated_working_groups  # one English label each
    return rows


@pytest.fixture(scope="module")
def expected_graph(loaded_store) -> set[tuple[str, str, str]]:
    return {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in loaded_store.query(CONSTRUCT_WGS)
    }


def wrapper(live_server, query: str, return_format: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(live_server.url + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    sparql.setMethod(method)
    return sparql


def plain(graph: rdflib.Graph) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in graph}


@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json(live_server, expected_rows, method):
    results = wrapper(live_server, SELECT_WGS, JSON, method).queryAndConvert()
    rows = [(b["wg"]["value"], b["label"]["value"]) for b in results["results"]["bindings"]]
    assert rows == expected_rows


def test_select_xml(live_server, expected_rows):
    document = wrapper(live_server, SELECT_WGS, XML).queryAndConvert()
    results = document.getElementsByTagName("result")
    rows = []
    for result in results:
        values = {
            b.getAttribute("name"): b.firstChild.firstChild.data
            for b in result.getElementsByTagName("binding")
        }
        rows.append((values["wg"], values["label"]))
    assert rows == expected_rows


def test_select_csv(live_server, expected_rows):
    text = wrapper(live_server, SELECT_WGS, CSV).queryAndConvert().decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["wg", "label"]
    assert [tuple(r) for r in rows[1:]] == expected_rows


def test_select_tsv(live_server, expected_rows):
    text = wrapper(live_server, SELECT_WGS, TSV).queryAndConvert().decode()
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "?wg\t?label"
    rows = [line.split("\t") for line in lines[1:]]
    assert [(wg, label) for wg, label in rows] == [
        (f"<{wg}>", f'"{label}"@en') for wg, label in expected_rows
    ]


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_ask(live_server, return_format):
    result = wrapper(live_server, ASK_TIP, return_format).queryAndConvert()
    if return_format == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("return_format", [TURTLE, RDFXML, JSONLD, XML])
def test_construct(live_server, expected_graph, return_format):
    graph = wrapper(live_server, CONSTRUCT_WGS, return_format).queryAndConvert()
    if return_format == TURTLE:  # SPARQLWrapper hands Turtle back as bytes
        graph = rdflib.Graph().parse(data=graph.decode(), format="turtle")
    assert isinstance(graph, rdflib.Graph)
    assert plain(graph) == expected_graph


def test_construct_ntriples_by_accept(live_server, expected_graph):
    sparql = wrapper(live_server, CONSTRUCT_WGS, TURTLE)
    sparql.setOnlyConneg(True)
    sparql.addCustomHttpHeader("Accept", "application/n-triples")
    response = sparql.query()
    assert response.response.headers["Content-Type"] == "application/n-triples; charset=utf-8"
    graph = rdflib.Graph().parse(data=response.response.read().decode(), format="nt")
    assert plain(graph) == expected_graph


def test_describe_turtle(live_server, loaded_store):
    query = f"DESCRIBE <{BASE}id/body/wg-som>"
    turtle = wrapper(live_server, query, TURTLE).queryAndConvert().decode()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    expected = {
        (t.subject.value, t.predicate.value, t.object.value) for t in loaded_store.query(query)
    }
    assert plain(graph) == expected


def test_malformed_query_raises_query_bad_formed(live_server):
    with pytest.raises(QueryBadFormed, match="malformed query"):
        wrapper(live_server, "SELECT * WHERE { ?s ", JSON).query()
