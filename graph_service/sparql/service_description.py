"""The SPARQL 1.1 Service Description of /sparql (https://www.w3.org/TR/sparql11-service-description/)."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.sparql import serializers as sparql_formats
from graph_service.store.store import Store

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
SIMPLE_ENTAILMENT = "http://www.w3.org/ns/entailment/Simple"
RESULT_FORMATS = [
    sparql_formats.JSON,
    sparql_formats.XML,
    sparql_formats.CSV,
    sparql_formats.TSV,
    sparql_formats.TURTLE,
    sparql_formats.NTRIPLES,
    sparql_formats.JSONLD,
    sparql_formats.RDFXML,
]
SD_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dcterms": "http://purl.org/dc/terms/",
    "formats": "http://www.w3.org/ns/formats/",
}


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def describe(store: Store, config: Config, endpoint_url: str) -> list[ox.Triple]:
    """Triples describing the service at `endpoint_url` and its dataset."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    stats = store.stats()
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint_url)),
        ox.Triple(
            service,
            DCTERMS_TITLE,
            ox.Literal("UNTOC Knowledge Graph SPARQL endpoint", language="en"),
        ),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ox.NamedNode(SIMPLE_ENTAILMENT)),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), ox.Literal(stats["triples"])),
    ]
    if config.update_token:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    for media_type in RESULT_FORMATS:
        format_iri = ox.NamedNode(sparql_formats.FORMAT_IRIS[media_type])
        triples.append(ox.Triple(service, sd("resultFormat"), format_iri))
    for index, (graph_iri, count) in enumerate(sorted(stats["graphs"].items())):
        named = ox.BlankNode(f"namedGraph{index}")
        graph = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph_iri)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), ox.Literal(count)),
        ]
    # Grouped by subject (stable), so that Turtle writes one block per node.
    first_seen = {}
    for triple in triples:
        first_seen.setdefault(triple.subject, len(first_seen))
    return sorted(triples, key=lambda t: first_seen[t.subject])


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    rdf_format = sparql_formats.RDF_FORMATS[media_type]
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=rdf_format, prefixes=SD_PREFIXES) or b""
    return ox.serialize(triples, format=rdf_format) or b""
