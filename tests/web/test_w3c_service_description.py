"""The W3C SPARQL 1.1 Service Description tests, from the shared manifest, against the live
server. The manifest names the tests but gives no machine-readable action, so each entry id
maps to the check its name describes; an entry without a check fails."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pyshacl
import pytest
import rdflib
from conftest import W3C_SPARQL11
from rdflib.namespace import RDF

# rdflib's own deprecations, raised inside pyshacl and rdflib's JSON-LD parser.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
MANIFEST = W3C_SPARQL11 / "service-description" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SHAPES = Path(__file__).parents[1] / "fixtures" / "service-description-shapes.ttl"
# Every term the Service Description vocabulary defines (its section 3).
SD_TERMS = {
    "Service",
    "Feature",
    "Language",
    "Function",
    "Aggregate",
    "EntailmentRegime",
    "EntailmentProfile",
    "GraphCollection",
    "Dataset",
    "Graph",
    "NamedGraph",
    "endpoint",
    "feature",
    "defaultEntailmentRegime",
    "supportedEntailmentProfile",
    "defaultSupportedEntailmentProfile",
    "entailmentRegime",
    "extensionFunction",
    "extensionAggregate",
    "languageExtension",
    "supportedLanguage",
    "propertyFeature",
    "defaultDataset",
    "availableGraphs",
    "resultFormat",
    "inputFormat",
    "defaultGraph",
    "namedGraph",
    "name",
    "graph",
    "DereferencesURIs",
    "UnionDefaultGraph",
    "RequiresDataset",
    "EmptyGraphs",
    "BasicFederatedQuery",
    "SPARQL10Query",
    "SPARQL11Query",
    "SPARQL11Update",
}
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def manifest_entries() -> list[str]:
    graph = rdflib.Graph().parse(MANIFEST, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = rdflib.collection.Collection(graph, graph.value(manifest, MF.entries))
    return [str(entry).rsplit("#", 1)[1] for entry in entries]


def fetch_description(url: str, accept: str = "text/turtle") -> tuple[str, rdflib.Graph]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        media_type = response.headers.get_content_type()
        body = response.read().decode()
    return media_type, rdflib.Graph().parse(data=body, format=RDF_FORMATS[media_type])


def returns_rdf(endpoint: str) -> None:
    for accept in RDF_FORMATS:
        media_type, graph = fetch_description(endpoint, accept)
        assert media_type == accept
        assert (None, RDF.type, SD.Service) in graph
    # no Accept at all: Turtle
    with urllib.request.urlopen(endpoint, timeout=30) as response:
        assert response.headers.get_content_type() == "text/turtle"


def has_endpoint_triple(endpoint: str) -> None:
    _, graph = fetch_description(endpoint)
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    assert list(graph.objects(services[0], SD.endpoint)) == [rdflib.URIRef(endpoint)]


def conforms_to_schema(endpoint: str) -> None:
    _, graph = fetch_description(endpoint)
    used = {
        str(term).removeprefix(str(SD))
        for triple in graph
        for term in triple
        if isinstance(term, rdflib.URIRef) and str(term).startswith(str(SD))
    }
    assert used <= SD_TERMS, used - SD_TERMS
    conforms, _, report = pyshacl.validate(graph, shacl_graph=str(SHAPES))
    assert conforms, report


CHECKS = {
    "returns-rdf": returns_rdf,
    "has-endpoint-triple": has_endpoint_triple,
    "conforms-to-schema": conforms_to_schema,
}


@pytest.mark.parametrize("entry", manifest_entries())
def test_service_description(live_server, entry):
    CHECKS[entry](live_server.url + "/sparql")


def test_dataset_lists_every_graph_with_its_size(live_server, loaded_store):
    _, graph = fetch_description(live_server.url + "/sparql")
    sizes = {}
    void_triples = rdflib.URIRef("http://rdfs.org/ns/void#triples")
    for named in graph.subjects(RDF.type, SD.NamedGraph):
        size = graph.value(graph.value(named, SD.graph), void_triples)
        sizes[str(graph.value(named, SD.name))] = size.toPython()
    assert sizes == loaded_store.stats()["graphs"]


def test_schema_shapes_catch_a_broken_description():
    broken = rdflib.Graph().parse(
        data="""
        @prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
        [] a sd:Service ; sd:supportedLanguage sd:SPARQL12Query ;
           sd:defaultDataset [ a sd:Dataset ; sd:namedGraph [ a sd:NamedGraph ; sd:name "g" ] ] .
    """,
        format="turtle",
    )
    conforms, results, _ = pyshacl.validate(broken, shacl_graph=str(SHAPES))
    assert not conforms
    paths = {
        str(p)
        for p in results.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#resultPath"))
    }
    assert paths == {str(SD.endpoint), str(SD.supportedLanguage), str(SD.name)}
