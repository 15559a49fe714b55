"""The federation client (SPARQLWrapper): endpoint health, and the labels of the external
IRIs our data links to, harvested into one linkset graph per partner."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.sparql.federation import Endpoint
from graph_service.store import queries
from graph_service.vocabulary import linkset_graph_iri

USER_AGENT = "untoc-kg-federation/0.1 (https://w3id.org/untoc/; SPARQLWrapper)"
LABEL_BATCH = 100


def linkset_graph(config, endpoint: Endpoint) -> str:
    return linkset_graph_iri(config.base_iri, endpoint.key)


def _client(endpoint: Endpoint, query: str):
    from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper

    client = SPARQLWrapper(endpoint.endpoint, agent=USER_AGENT)
    client.setTimeout(max(1, round(endpoint.timeout)))
    # A form POST: the most widely supported way to send a query of any length.
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(JSON)
    client.setQuery(query)
    return client


@dataclass(frozen=True)
class Health:
    key: str
    endpoint: str
    ok: bool
    latency_ms: float | None
    error: str = ""


def check_health(endpoint: Endpoint) -> Health:
    """A cheap ASK with the endpoint's timeout: ok, latency, or the error."""
    started = time.monotonic()
    try:
        answer = _client(endpoint, queries.text("federation/health")).queryAndConvert()
        if not isinstance(answer, dict) or "boolean" not in answer:
            raise ValueError(f"not a SPARQL boolean result: {str(answer)[:200]}")
    except Exception as error:  # any failure is a health finding, not a crash
        return Health(endpoint.key, endpoint.endpoint, False, None, describe_error(error))
    latency = (time.monotonic() - started) * 1000
    return Health(endpoint.key, endpoint.endpoint, True, round(latency, 1))


def describe_error(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{error.__class__.__name__}: {text[0] if text else ''}"[:300]


def external_links(store, config, endpoint: Endpoint | None = None) -> list[str]:
    """Targets of owl:sameAs / skos:exactMatch outside our base IRI (in the endpoint's
    URI spaces, when it declares some)."""
    targets = [row["target"].value for row in queries.run(store, "federation/external-links")]
    targets = [t for t in targets if not t.startswith(config.base_iri)]
    if endpoint and endpoint.uri_spaces:
        targets = [t for t in targets if t.startswith(endpoint.uri_spaces)]
    return targets


def fetch_labels(endpoint: Endpoint, iris: list[str]):
    """rdfs:label and skos:prefLabel triples of `iris`, from the endpoint, in batches."""
    triples = set()
    for start in range(0, len(iris), LABEL_BATCH):
        batch = iris[start : start + LABEL_BATCH]
        query = queries.prepare("federation/remote-labels", items=[ox.NamedNode(i) for i in batch])
        result = _client(endpoint, query).queryAndConvert()
        for row in result["results"]["bindings"]:
            label = row["label"]
            language = label.get("xml:lang")
            datatype = label.get("datatype")
            literal = (
                ox.Literal(label["value"], language=language)
                if language
                else ox.Literal(label["value"], datatype=ox.NamedNode(datatype))
                if datatype
                else ox.Literal(label["value"])
            )
            triples.add(
                ox.Triple(
                    ox.NamedNode(row["item"]["value"]),
                    ox.NamedNode(row["property"]["value"]),
                    literal,
                )
            )
    return sorted(triples, key=str)


@dataclass(frozen=True)
class Harvest:
    key: str
    graph: str
    links: int
    labels: int


def harvest(store, config, endpoints: list[Endpoint]) -> list[Harvest]:
    """Ask each endpoint for the labels of the external IRIs we link to and replace the
    graphs linkset-<key>, all of them in one transaction. An endpoint that fails raises
    before anything is written."""
    graphs, report = {}, []
    for endpoint in endpoints:
        iris = external_links(store, config, endpoint)
        triples = fetch_labels(endpoint, iris) if iris else []
        graph = linkset_graph(config, endpoint)
        graphs[graph] = triples
        report.append(Harvest(endpoint.key, graph, len(iris), len(triples)))
    store.replace_graphs(graphs)
    store.flush()
    return report
