"""The SPARQL 1.1 Service Description of /sparql (https://www.w3.org/TR/sparql11-service-description/)."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service import formats
from graph_service.config import Config
from graph_service.formats import Format
from graph_service.vocabulary import (
    DCAT,
    DCTERMS,
    GRAPH_STORE_PROTOCOL,
    RDF_TYPE,
    SD,
    VOID,
    prefixes,
)

TYPE = ox.NamedNode(RDF_TYPE)
DCTERMS_TITLE = ox.NamedNode(DCTERMS + "title")
SIMPLE_ENTAILMENT = "http://www.w3.org/ns/entailment/Simple"
RESULT_FORMATS = (*formats.SOLUTION_FORMATS, *formats.GRAPH_FORMATS)
SD_PREFIXES = prefixes("sd", "void", "dcterms", "dcat", "formats")


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def describe(
    graphs: list[str],
    sizes: dict[str, int] | None,
    config: Config,
    endpoint_url: str,
    graph_store_url: str | None = None,
) -> list[ox.Triple]:
    """Triples describing the service at `endpoint_url` and its dataset (the named `graphs`
    with their `sizes` in triples, when they have been counted), and the Graph Store
    Protocol service at `graph_store_url` that serves the same dataset."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, TYPE, sd("Service")),
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
        ox.Triple(dataset, TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, TYPE, sd("Graph")),
    ]
    if sizes is not None:
        total = ox.Literal(sum(sizes.values()))
        triples.append(ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), total))
    if config.update_token:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    if graph_store_url:
        triples += graph_store(graph_store_url, dataset)
    for result_format in RESULT_FORMATS:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(result_format.iri)))
    for index, graph_iri in enumerate(sorted(graphs)):
        named = ox.BlankNode(f"namedGraph{index}")
        graph = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph_iri)),
            ox.Triple(named, sd("graph"), graph),
            ox.Triple(graph, TYPE, sd("Graph")),
        ]
        if sizes is not None and graph_iri in sizes:
            count = ox.Literal(sizes[graph_iri])
            triples.append(ox.Triple(graph, ox.NamedNode(VOID + "triples"), count))
    # Grouped by subject (stable), so that Turtle writes one block per node.
    first_seen: dict[ox.NamedNode | ox.BlankNode | ox.Triple, int] = {}
    for triple in triples:
        first_seen.setdefault(triple.subject, len(first_seen))
    return sorted(triples, key=lambda t: first_seen[t.subject])


def graph_store(url: str, dataset: ox.BlankNode) -> list[ox.Triple]:
    """The Graph Store Protocol endpoint. The Service Description vocabulary has no term for
    it, so it is a DCAT data service that conforms to the protocol and serves the dataset."""
    store = ox.BlankNode("graphStore")
    return [
        ox.Triple(store, TYPE, ox.NamedNode(DCAT + "DataService")),
        ox.Triple(
            store,
            DCTERMS_TITLE,
            ox.Literal("UNTOC Knowledge Graph Graph Store Protocol endpoint", language="en"),
        ),
        ox.Triple(store, ox.NamedNode(DCAT + "endpointURL"), ox.NamedNode(url)),
        ox.Triple(store, ox.NamedNode(DCTERMS + "conformsTo"), ox.NamedNode(GRAPH_STORE_PROTOCOL)),
        ox.Triple(store, ox.NamedNode(DCAT + "servesDataset"), dataset),
    ]


def serialize(triples: list[ox.Triple], rdf_format: Format) -> bytes:
    if rdf_format in (formats.TURTLE, formats.RDFXML):
        return ox.serialize(triples, format=rdf_format.rdf, prefixes=SD_PREFIXES) or b""
    return ox.serialize(triples, format=rdf_format.rdf) or b""
