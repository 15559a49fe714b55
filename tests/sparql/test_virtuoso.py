"""Federation with a real Virtuoso, both ways, on loopback ports.

(a) our endpoint joins Virtuoso's SKOS concepts with our working groups through SERVICE;
(b) Virtuoso calls our endpoint through SERVICE and gets our working groups back.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import replace

import pyoxigraph as ox
import pytest
from conftest import BASE, NOTE_WORKING_GROUPS, start_live_server
from peers import FormPostBridge, Virtuoso, VirtuosoError, free_port
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

from graph_service import cli
from graph_service.config import PROJECT_ROOT
from graph_service.sparql import federation, harvest
from graph_service.store import Store
from graph_service.store.loading import swap_in

SKOS_FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "skos-concepts.ttl"
THESAURUS_GRAPH = "http://thesaurus.example.org/graph"
CONCEPT = "http://thesaurus.example.org/concept/"
# Test-only links from our working groups to the test thesaurus; never in curated data.
TEST_LINKSET = f"{BASE}graph/test-linkset-virtuoso"
TEST_LINKS = {
    "wg-tip": "trafficking-in-persons",
    "wg-som": "smuggling-of-migrants",
    "wg-firearms": "firearms",
    "wg-ic": "international-cooperation",
    "wg-ta": "technical-assistance",
}
PREFIXES = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@pytest.fixture(scope="session")
def virtuoso():
    server = Virtuoso()
    try:
        server.start()
        server.load_turtle(SKOS_FIXTURE, THESAURUS_GRAPH)
        server.allow_federation()
    except VirtuosoError as error:
        server.stop()
        pytest.fail(f"Virtuoso could not be started: {error}", pytrace=False)
    bridge = FormPostBridge(server.url).start()
    yield server, bridge
    bridge.stop()
    server.stop()


@pytest.fixture(scope="session")
def linked_store(sources) -> Store:
    store = Store(None)
    swap_in(store, sources)
    store.replace_graphs({TEST_LINKSET: linkset_triples()})
    return store


def linkset_triples() -> list[ox.Triple]:
    return [
        ox.Triple(
            ox.NamedNode(f"{BASE}id/body/{wg}"),
            ox.NamedNode(SKOS.exactMatch),
            ox.NamedNode(CONCEPT + concept),
        )
        for wg, concept in TEST_LINKS.items()
    ]


@pytest.fixture(scope="session")
def federating_server(virtuoso, linked_store, test_config, tmp_path_factory):
    _, bridge = virtuoso
    registry = tmp_path_factory.mktemp("federation") / "federation.toml"
    registry.write_text(
        "[[endpoint]]\n"
        'key = "test-virtuoso"\n'
        'name = "Virtuoso started by the tests"\n'
        f'endpoint = "{bridge.url}"\n'
        "timeout = 20\n"
    )
    server = start_live_server(replace(test_config, federation_config=registry), linked_store)
    yield server
    server.stop()


def sparql_json(url: str, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def fixture_labels(lang: str) -> dict[str, str]:
    graph = Graph().parse(SKOS_FIXTURE)
    return {str(s): str(o) for s, o in graph.subject_objects(SKOS.prefLabel) if o.language == lang}


def test_virtuoso_serves_the_test_thesaurus(virtuoso):
    server, _ = virtuoso
    rows = sparql_json(
        server.url,
        f"""{PREFIXES}
        SELECT ?c ?label WHERE {{ GRAPH <{THESAURUS_GRAPH}> {{
            ?c skos:prefLabel ?label FILTER(lang(?label) = "fr") }} }}""",
    )
    assert {row["c"]: row["label"] for row in rows} == fixture_labels("fr")


def test_our_endpoint_joins_virtuoso_concepts_with_working_groups(
    virtuoso, federating_server, linked_store
):
    _, bridge = virtuoso
    query = f"""{PREFIXES}
        SELECT ?wg ?concept ?ru WHERE {{
            ?wg a untoc:WorkingGroup .
            GRAPH <{TEST_LINKSET}> {{ ?wg skos:exactMatch ?concept }}
            SERVICE <{bridge.url}> {{
                ?concept skos:prefLabel ?ru FILTER(lang(?ru) = "ru")
            }}
        }}"""
    rows = sparql_json(federating_server.url + "/sparql", query)

    linked = {f"{BASE}id/body/{wg}" for wg in TEST_LINKS}  # the note's five groups
    assert linked == NOTE_WORKING_GROUPS
    russian = fixture_labels("ru")
    expected = {
        (f"{BASE}id/body/{wg}", russian[CONCEPT + concept]) for wg, concept in TEST_LINKS.items()
    }
    assert {(row["wg"], row["ru"]) for row in rows} == expected
    assert {row["wg"] for row in rows} == linked
    assert bridge.hits, "the SERVICE call should have gone to Virtuoso"


def test_virtuoso_calls_our_endpoint_through_service(
    virtuoso, federating_server, linked_store, curated_working_groups
):
    server, _ = virtuoso
    inner = "?wg a untoc:WorkingGroup ; rdfs:label ?label FILTER(lang(?label) = 'en')"
    rows = sparql_json(
        server.url,
        f"""{PREFIXES}
        SELECT ?wg ?label WHERE {{ SERVICE <{federating_server.url}/sparql> {{ {inner} }} }}""",
    )
    ours = {
        (row["wg"].value, row["label"].value)
        for row in linked_store.query(f"{PREFIXES} SELECT ?wg ?label WHERE {{ {inner} }}")
    }
    assert {wg for wg, _ in ours} == curated_working_groups
    assert {(row["wg"], row["label"]) for row in rows} == ours


def test_virtuoso_joins_our_working_groups_with_its_concepts(virtuoso, federating_server):
    """The reverse join: our links (from our endpoint) with Virtuoso's own concepts."""
    server, _ = virtuoso
    rows = sparql_json(
        server.url,
        f"""{PREFIXES}
        SELECT ?wg ?en WHERE {{
            SERVICE <{federating_server.url}/sparql> {{
                GRAPH <{TEST_LINKSET}> {{ ?wg skos:exactMatch ?concept }}
            }}
            GRAPH <{THESAURUS_GRAPH}> {{ ?concept skos:prefLabel ?en FILTER(lang(?en) = "en") }}
        }}""",
    )
    english = fixture_labels("en")
    assert {(row["wg"], row["en"]) for row in rows} == {
        (f"{BASE}id/body/{wg}", english[CONCEPT + concept]) for wg, concept in TEST_LINKS.items()
    }


# The federation client (SPARQLWrapper) against Virtuoso: health, harvest, `kg federate`.


@pytest.fixture(scope="session")
def virtuoso_registry(virtuoso, tmp_path_factory):
    server, _ = virtuoso
    path = tmp_path_factory.mktemp("registry") / "federation.toml"
    path.write_text(
        "[[endpoint]]\n"
        'key = "test-virtuoso"\n'
        'name = "Virtuoso started by the tests"\n'
        f'endpoint = "{server.url}"\n'
        "timeout = 20\n"
        'uri_spaces = ["http://thesaurus.example.org/"]\n'
        "[[endpoint]]\n"
        'key = "closed-port"\n'
        'name = "Nothing listens here"\n'
        f'endpoint = "http://127.0.0.1:{free_port()}/sparql"\n'
        "timeout = 5\n"
    )
    return path


def expected_linkset() -> set[tuple[str, str, str, str]]:
    """Every prefLabel/label of the linked concepts in the fixture: (s, p, value, lang)."""
    graph = Graph().parse(SKOS_FIXTURE)
    linked = {CONCEPT + concept for concept in TEST_LINKS.values()}
    return {
        (str(s), str(p), str(o), o.language or "")
        for s, p, o in graph
        if str(s) in linked and p in (SKOS.prefLabel, RDFS.label)
    }


def linkset_rows(store: Store, graph: str) -> set[tuple[str, str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value, q.object.language or "")
        for q in store.quads(graph)
    }


def test_health_reports_ok_and_errors(virtuoso_registry):
    endpoints = {e.key: e for e in federation.load_registry(virtuoso_registry)}
    ok = harvest.check_health(endpoints["test-virtuoso"])
    assert ok.ok and ok.latency_ms is not None and ok.error == ""
    down = harvest.check_health(endpoints["closed-port"])
    assert not down.ok and down.latency_ms is None
    assert "refused" in down.error.lower() or "urlopen" in down.error.lower()


def test_harvest_replaces_the_linkset_graph(virtuoso_registry, sources, test_config):
    store = Store(None)
    swap_in(store, sources)
    store.replace_graphs({TEST_LINKSET: linkset_triples()})
    endpoint = next(
        e for e in federation.load_registry(virtuoso_registry) if e.key == "test-virtuoso"
    )
    graph = harvest.linkset_graph(test_config, endpoint)
    stale = ox.Triple(ox.NamedNode(CONCEPT + "gone"), ox.NamedNode(RDFS.label), ox.Literal("x"))
    store.replace_graphs({graph: [stale]})

    [report] = harvest.harvest(store, test_config, [endpoint])

    assert graph == f"{BASE}graph/linkset-test-virtuoso"
    assert report.links == len(TEST_LINKS)
    assert linkset_rows(store, graph) == expected_linkset()
    assert report.labels == len(expected_linkset())


def test_kg_federate_command(virtuoso_registry, sources, tmp_path, capsys):
    store_dir = tmp_path / "store"
    store = Store(store_dir)
    swap_in(store, sources)
    store.replace_graphs({TEST_LINKSET: linkset_triples()})
    store.flush()
    del store  # releases the RocksDB lock, as a stopped `kg serve` would

    status = cli.main(
        ["--store", str(store_dir), "federate", "--health", "--registry", str(virtuoso_registry)]
    )
    table = capsys.readouterr().out
    assert status == 1  # one endpoint is down
    assert [
        line.split()[:2]
        for line in table.splitlines()
        if line.startswith(("test-virtuoso", "closed-port"))
    ] == [["test-virtuoso", "ok"], ["closed-port", "FAIL"]]

    status = cli.main(
        [
            "--store",
            str(store_dir),
            "federate",
            "--endpoint",
            "test-virtuoso",
            "--registry",
            str(virtuoso_registry),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert f"{len(TEST_LINKS)} linked IRIs, {len(expected_linkset())} labels" in out
    reopened = Store(store_dir)
    assert linkset_rows(reopened, f"{BASE}graph/linkset-test-virtuoso") == expected_linkset()


def test_kg_federate_rejects_unknown_endpoint(virtuoso_registry, capsys):
    status = cli.main(["federate", "--endpoint", "nope", "--registry", str(virtuoso_registry)])
    assert status == 2
    error = capsys.readouterr().err
    assert "unknown endpoint nope; registered: closed-port, test-virtuoso" in error
