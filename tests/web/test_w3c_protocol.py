"""The W3C SPARQL 1.1 Protocol tests, read from the shared manifest at test time and sent as
real HTTP requests to live servers.

Query tests and bad-request tests run against a read-only server (no update token) whose
store holds the manifest's data1.nt..data3.nt as named graphs. Update tests are first shown
to be refused (403) anonymously, then run in order with the update token on a fresh
writable server of their own. docs/sparql.md has the table of results.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.dom import minidom

import pyoxigraph as ox
import pytest
import rdflib
from conftest import W3C_SPARQL11, start_live_server
from rdflib.namespace import RDF, RDFS

from graph_service.store import Store

MANIFEST = W3C_SPARQL11 / "protocol" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "test-update-token"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: set[int]  # classes: 2, 3, 4
    expected_boolean: bool | None
    expected_format: str | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        body = (self.body or b"").decode("utf-8", "replace")
        return (
            content_type.startswith("application/sparql-update")
            or body.startswith("update=")
            or "?update=" in self.path
        )


@dataclass
class ProtocolTest:
    id: str
    name: str
    requests: list[Request]
    graph_data: dict[str, Path] = field(default_factory=dict)

    @property
    def is_update(self) -> bool:
        # bad_update_wrong_media_type sends its update as text/plain: only its id tells
        return "update" in self.id or any(r.is_update for r in self.requests)


def rdf_list(graph: rdflib.Graph, head) -> list:
    return list(rdflib.collection.Collection(graph, head)) if head is not None else []


def read_manifest() -> list[ProtocolTest]:
    graph = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in rdf_list(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = [
            read_request(graph, r) for r in rdf_list(graph, graph.value(action, HT.requests))
        ]
        graph_data = {}
        for data in graph.objects(entry, UT.graphData):
            graph_data[str(graph.value(data, RDFS.label))] = Path(
                str(graph.value(data, UT.graph)).removeprefix("file://")
            )
        tests.append(
            ProtocolTest(
                str(entry).rsplit("#", 1)[1], str(graph.value(entry, MF.name)), requests, graph_data
            )
        )
    return tests


def read_request(graph: rdflib.Graph, node) -> Request:
    headers = {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for h in rdf_list(graph, graph.value(node, HT.headers))
    }
    body = None
    if (body_node := graph.value(node, HT.body)) is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
        headers=headers,
        body=body,
        expected_status={
            int(str(s).removeprefix(HTS)[0]) for s in graph.objects(response, MF.expectedStatus)
        },
        expected_boolean=None if boolean is None else boolean.toPython(),
        expected_format=None if fmt is None else str(fmt),
    )


TESTS = read_manifest()
QUERY_TESTS = [t for t in TESTS if not t.is_update]
UPDATE_TESTS = [t for t in TESTS if t.is_update]


def data_store(tests: list[ProtocolTest], store: Store | None = None) -> Store:
    store = store or Store(None)
    store.oxigraph.clear()
    for test in tests:
        for graph_iri, path in test.graph_data.items():
            store.oxigraph.load(
                path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri)
            )
    return store


@pytest.fixture(scope="module")
def read_only_server(test_config):
    server = start_live_server(replace(test_config, update_token=None), data_store(TESTS))
    yield server
    server.stop()


def send(server, request: Request, token: str | None = None) -> tuple[int, str, bytes]:
    headers = dict(request.headers)
    if token and request.is_update:
        headers["authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(request.method, request.path, body=request.body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def check(request: Request, status: int, content_type: str, body: bytes) -> None:
    assert status // 100 in request.expected_status, (status, body[:300])
    media_type = content_type.split(";")[0].strip()
    if request.expected_format == "boolean":
        assert media_type in BOOLEAN_TYPES
    elif request.expected_format == "tabular":
        assert media_type in TABULAR_TYPES
        assert ox.parse_query_results(
            body, format=ox.QueryResultsFormat.from_media_type(media_type)
        ).variables
    elif request.expected_format == "RDF":
        assert media_type in RDF_TYPES
        list(ox.parse(body, format=ox.RdfFormat.from_media_type(media_type)))
    if request.expected_boolean is not None:
        assert parse_boolean(media_type, body) is request.expected_boolean


def parse_boolean(media_type: str, body: bytes) -> bool:
    if media_type == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    text = minidom.parseString(body).getElementsByTagName("boolean")[0].firstChild.data
    return text == "true"


@pytest.mark.parametrize("test", QUERY_TESTS, ids=[t.id for t in QUERY_TESTS])
def test_query_protocol(read_only_server, test):
    for request in test.requests:
        check(request, *send(read_only_server, request))


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.id for t in UPDATE_TESTS])
def test_update_refused_anonymously(read_only_server, test):
    before = read_only_server_store_stats(read_only_server)
    status, _, body = send(read_only_server, test.requests[0])
    if test.id.startswith("bad_"):
        assert 400 <= status < 500, body
    else:
        assert status == 403, body
        assert b"read-only" in body
    assert read_only_server_store_stats(read_only_server) == before


def read_only_server_store_stats(server) -> bytes:
    request = Request(
        "GET",
        "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%3Fs%20%3Fp%20%3Fo%7D",
        {},
        None,
        {2},
        None,
        None,
    )
    return send(server, request)[2]


@pytest.fixture(scope="module")
def writable_server(test_config):
    store = data_store(TESTS)
    server = start_live_server(replace(test_config, update_token=TOKEN), store)
    server.store = store
    yield server
    server.stop()


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.id for t in UPDATE_TESTS])
def test_update_protocol_with_token(writable_server, test):
    data_store(TESTS, writable_server.store)  # each test starts from the manifest's data
    for request in test.requests:
        check(request, *send(writable_server, request, token=TOKEN))


def test_manifest_is_read_whole():
    assert len(TESTS) == 34
    assert (len(QUERY_TESTS), len(UPDATE_TESTS)) == (20, 14)
    assert len(QUERY_TESTS) + len(UPDATE_TESTS) == len(TESTS)
