"""The federation client (SPARQLWrapper): endpoint health, and the labels of the external
IRIs our data links to, harvested into one linkset graph per partner.

A partner is trusted with little: redirects are followed only to registered endpoints, and
of its answer only labels (rdfs:label, skos:prefLabel; a string, a bounded length, at most a
few per language) and codes (skos:notation, short) of the IRIs we asked about are kept; the rest is
counted and dropped. The linksets are written through the shapes gate, like every other write."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.sparql.federation import Endpoint, load_registry
from graph_service.sparql.fetch import guarded_urlopen
from graph_service.store import queries
from graph_service.store.guarded_update import GraphChange, apply_graph_changes
from graph_service.vocabulary import RDF, RDFS, SKOS, XSD, linkset_graph_iri

XSD_STRING = XSD + "string"

USER_AGENT = "untoc-kg-federation/0.1 (https://w3id.org/untoc/; SPARQLWrapper)"
LABEL_BATCH = 100
LABEL_PROPERTIES = {RDFS + "label", SKOS + "prefLabel"}
NOTATION = SKOS + "notation"  # a code, typed with the scheme's own datatype (SDG: "16.4")
MAX_LABEL_LENGTH = 1000
MAX_NOTATION_LENGTH = 50
MAX_LABELS_PER_ITEM = 20


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
    """A cheap ASK with the endpoint's timeout: ok, latency, or the error. A redirect away
    from the endpoint is an error."""
    started = time.monotonic()
    try:
        with guarded_urlopen(lambda url: url == endpoint.endpoint):
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
    """Targets of owl:sameAs / skos:exactMatch / untoc:relatedSDG outside our base IRI (in the
    endpoint's URI spaces, when it declares some)."""
    targets = [row["target"].value for row in queries.run(store, "federation/external-links")]
    targets = [t for t in targets if not t.startswith(config.base_iri)]
    if endpoint and endpoint.uri_spaces:
        targets = [t for t in targets if t.startswith(endpoint.uri_spaces)]
    return targets


def fetch_labels(endpoint: Endpoint, iris: list[str]) -> tuple[list[ox.Triple], int]:
    """rdfs:label, skos:prefLabel and skos:notation triples of `iris`, from the endpoint, in
    batches, and how many rows of its answers were dropped as not such a label."""
    triples: set[ox.Triple] = set()
    dropped = 0
    for start in range(0, len(iris), LABEL_BATCH):
        batch = iris[start : start + LABEL_BATCH]
        query = queries.prepare("federation/remote-labels", items=[ox.NamedNode(i) for i in batch])
        result = _client(endpoint, query).queryAndConvert()
        per_item: dict[str, int] = {}
        for row in result["results"]["bindings"]:
            triple = _label(row, set(batch))
            if triple is None or per_item.get(row["item"]["value"], 0) >= MAX_LABELS_PER_ITEM:
                dropped += 1
                continue
            per_item[row["item"]["value"]] = per_item.get(row["item"]["value"], 0) + 1
            triples.add(triple)
    return sorted(triples, key=str), dropped


def _label(row: dict, asked: set[str]) -> ox.Triple | None:
    """The row as a label triple of an IRI we asked about, or None."""
    try:
        item, prop, label = row["item"], row["property"], row["label"]
        if item["type"] != "uri" or item["value"] not in asked:
            return None
        if prop["type"] != "uri" or prop["value"] not in LABEL_PROPERTIES | {NOTATION}:
            return None
        if label["type"] not in ("literal", "typed-literal"):
            return None
        datatype = label.get("datatype")
        language = label.get("xml:lang")
        if prop["value"] == NOTATION:
            # A code: short, no language, any datatype (SKOS types notations with the
            # scheme's own, sdgo:SDGCodeCompact).
            if len(label["value"]) > MAX_NOTATION_LENGTH or language:
                return None
            literal = ox.Literal(label["value"], datatype=ox.NamedNode(datatype or XSD_STRING))
        else:
            if len(label["value"]) > MAX_LABEL_LENGTH:
                return None
            if datatype not in (None, XSD_STRING, RDF + "langString"):
                return None
            literal = (
                ox.Literal(label["value"], language=language)
                if language
                else ox.Literal(label["value"])
            )
        return ox.Triple(ox.NamedNode(item["value"]), ox.NamedNode(prop["value"]), literal)
    except (KeyError, TypeError, ValueError):  # not a binding of the shape we asked for
        return None


@dataclass(frozen=True)
class Harvest:
    key: str
    graph: str
    links: int
    labels: int
    dropped: int = 0


def harvest(store, config, endpoints: list[Endpoint]) -> list[Harvest]:
    """Ask each endpoint for the labels of the external IRIs we link to and replace the
    graphs linkset-<key>, all of them in one transaction through the shapes gate. An
    endpoint that fails raises before anything is written."""
    changes, report = [], []
    registered = {e.endpoint for e in load_registry(config.federation_config)}
    with guarded_urlopen(lambda url: url in registered):
        for endpoint in endpoints:
            iris = external_links(store, config, endpoint)
            triples, dropped = fetch_labels(endpoint, iris) if iris else ([], 0)
            graph = linkset_graph(config, endpoint)
            changes.append(GraphChange(graph, triples, replace=True))
            report.append(Harvest(endpoint.key, graph, len(iris), len(triples), dropped))
    apply_graph_changes(store, changes, config)
    store.flush()
    return report
