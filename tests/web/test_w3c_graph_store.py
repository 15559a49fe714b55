"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests, read from the shared manifests at test
time and sent as real HTTP requests to live servers on 127.0.0.1, writes with the update token.

- `graph-store-protocol/manifest-indirect.ttl` and `manifest-direct.ttl`: each entry is a
  sequence of requests on one connection, run against a fresh empty store behind a server of
  its own; the manifest's `/gsp` becomes `/store`, and a `Location` fills `$LOCATION$`.
- `http-rdf-update/manifest.ttl` (deprecated by the W3C in favour of the former): each entry
  is one request, written in Markdown in its rdfs:comment; the entries build on each other,
  so they run in order against one store. `$GRAPHSTORE$` is `store`, `$HOST$` the server's
  host and port, and a `Location` fills `$NEWPATH$`. It writes "200 OK" for every successful
  write; the current manifest accepts 200 or 204 there, and so does this harness.

A response passes when its status is one expected, its Content-Type is the one expected (if
any), its body is isomorphic to the expected graph (if any) and it has a Location when one is
expected. /store supports indirect identification only (`?graph=`, `?default`,
docs/decisions/0006): a request to a direct path (`/gsp/person/1.ttl`, `$NEWPATH$`) is sent as
its indirect equivalent, `/store?graph=<the URL it names>`, and the entry is a deviation even
when it then passes. DEVIATIONS lists every entry that does not pass as it is, with the reason,
and the tests check the table is exact. docs/sparql.md has the results.
"""

from __future__ import annotations

import http
import http.client
import re
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from conftest import W3C_SPARQL11, start_live_server
from rdflib.namespace import RDF, RDFS

from graph_service.store import Store

GSP = W3C_SPARQL11 / "graph-store-protocol"
INDIRECT, DIRECT = GSP / "manifest-indirect.ttl", GSP / "manifest-direct.ttl"
DEPRECATED = W3C_SPARQL11 / "http-rdf-update" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
STATUS = {s.phrase.replace(" ", "").replace("-", ""): s.value for s in http.HTTPStatus}
TOKEN = "test-update-token"
WRITES = ("PUT", "POST", "DELETE")


@dataclass
class Request:
    method: str
    path: str  # may hold $VARIABLES$
    headers: dict[str, str]
    body: str | None
    statuses: frozenset[int]
    response_type: str | None = None  # the expected Content-Type
    response_body: str | None = None  # the expected graph, in Turtle
    location: str | None = None  # the variable a Location header fills
    direct: str | None = None  # the graph URL a direct path names


@dataclass
class Entry:
    id: str
    name: str
    requests: list[Request] = field(default_factory=list)

    @property
    def direct(self) -> bool:
        return any(r.direct for r in self.requests)


# Reading the manifests


def ordered(graph: rdflib.Graph) -> list:
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return list(rdflib.collection.Collection(graph, graph.value(manifest, MF.entries)))


def headers_of(graph: rdflib.Graph, node) -> dict[str, str]:
    items = rdflib.collection.Collection(graph, graph.value(node, HT.headers)) if node else []
    return {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue)) for h in items
    }


def read_gsp(path: Path) -> list[Entry]:
    graph = rdflib.Graph().parse(path, format="turtle")
    entries = []
    for node in ordered(graph):
        action = graph.value(node, MF.action)
        authority = str(graph.value(action, HT.connectionAuthority))
        entry = Entry(str(node).rsplit("#", 1)[1], str(graph.value(node, MF.name)))
        for request in rdflib.collection.Collection(graph, graph.value(action, HT.requests)):
            target = str(graph.value(request, HT.absolutePath))
            response = graph.value(request, HT.resp)
            body = graph.value(graph.value(request, HT.body), CNT.chars)
            expected = graph.value(graph.value(response, HT.body), CNT.chars)
            location = graph.value(response, MF.expectedLocation)
            entry.requests.append(
                Request(
                    method=str(graph.value(request, HT.methodName)),
                    path=re.sub(r"^/gsp", "/store", target),
                    headers=headers_of(graph, request),
                    body=None if body is None else str(body),
                    statuses=frozenset(
                        STATUS[str(s).removeprefix(HTS)]
                        for s in graph.objects(response, MF.expectedStatus)
                    ),
                    response_type=headers_of(graph, response).get("content-type"),
                    response_body=None if expected is None else str(expected),
                    location=None if location is None else str(location),
                    direct=f"http://{authority}{target}" if target.startswith("/gsp/") else None,
                )
            )
        entries.append(entry)
    return entries


def read_deprecated() -> list[Entry]:
    graph = rdflib.Graph().parse(DEPRECATED, format="turtle")
    entries = []
    for node in ordered(graph):
        comment = next(str(c) for c in graph.objects(node, RDFS.comment) if "#### Request" in c)
        request_text, response_text = comment.split("#### Response")
        request_line, headers, body = markdown_message(request_text.split("#### Request")[1])
        status_line, response_headers, response_body = markdown_message(response_text)
        method, target, _ = request_line.split()
        status = int(status_line.split()[0])
        path = "/" + target.replace("$GRAPHSTORE$", "store").lstrip("/")
        direct = target.startswith("$GRAPHSTORE$/") or target == "$NEWPATH$"
        entry = Entry(str(node).rsplit("#", 1)[1], str(graph.value(node, MF.name)))
        entry.requests.append(
            Request(
                method=method,
                path=target if target == "$NEWPATH$" else path,
                headers={k: v for k, v in headers.items() if k != "host"},
                body=body,
                # "200 OK" for a write: the current manifest accepts 200 or 204 there
                statuses=frozenset({200, 204} if status == 200 and method in WRITES else {status}),
                response_type=response_headers.get("content-type"),
                response_body=response_body,
                location="$NEWPATH$" if "location" in response_headers else None,
                direct=(target if target == "$NEWPATH$" else "http://$HOST$" + path)
                if direct
                else None,
            )
        )
        entries.append(entry)
    return entries


def markdown_message(text: str) -> tuple[str, dict[str, str], str | None]:
    """An HTTP message written as a Markdown code block: (first line, headers, body)."""
    lines = [line[4:] if line.startswith("    ") else line.strip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    first, rest = lines[0], lines[1:]
    headers = {}
    while rest and rest[0]:
        name, _, value = rest.pop(0).partition(":")
        headers[name.strip().lower()] = value.strip()
    body = "\n".join(rest).strip()
    return first, headers, body or None


TESTS = {
    "indirect": read_gsp(INDIRECT),
    "direct": read_gsp(DIRECT),
    "http-rdf-update": read_deprecated(),
}

# Entries that do not pass as they are, with the reason; `mismatches` are what the run
# finds (translated to indirect identification), exactly, and none for an entry that
# passes once translated.


@dataclass(frozen=True)
class Deviation:
    reason: str
    mismatches: tuple[str, ...] = ()


DIRECT_ONLY = Deviation(
    "direct identification (a path under /store names the graph) is not supported; "
    "sent as its indirect equivalent /store?graph=<the URL> it passes"
)
DEVIATIONS: dict[str, dict[str, Deviation]] = {
    "indirect": {},
    "direct": {
        "put_get_repeat_direct": DIRECT_ONLY,
        "put_delete_get_delete_direct": DIRECT_ONLY,
        "post_get_post_get_direct": DIRECT_ONLY,
        "head_existing_direct": DIRECT_ONLY,
    },
    "http-rdf-update": {
        "put__initial_state": DIRECT_ONLY,
        "put__graph_already_in_store": DIRECT_ONLY,
        "get_of_put__graph_already_in_store": DIRECT_ONLY,
        "put__default_graph": Deviation(
            "expects 201 Created, but the default graph always exists, so replacing it is a "
            "204 (the current manifest's put_get_default accepts 200, 201 or 204)",
            ("request 1: status 204, expected [201]",),
        ),
        "delete__existing_graph": Deviation(
            "direct identification; and no entry of the manifest creates person/2.ttl, so "
            "the graph to delete does not exist (404)",
            ("request 1: status 404, expected [200, 204]",),
        ),
        "get_of_delete__existing_graph": DIRECT_ONLY,
        "delete__nonexistent_graph": DIRECT_ONLY,
        "post__existing_graph": Deviation(
            "direct identification; and the body is not Turtle (the triple has no final "
            "'.'), so it is refused with 400 and the line and column",
            ("request 1: status 400, expected [200, 204]",),
        ),
        "get_of_post__existing_graph": Deviation(
            "direct identification; and the expected graph is the one put__initial_state "
            "wrote (John Doe), though put__graph_already_in_store replaced it (Jane Doe)",
            ("request 1: the body is not the expected graph",),
        ),
        "post__multipart_formdata": Deviation(
            "direct identification; and neither part is Turtle (no final '.'): 400",
            ("request 1: status 400, expected [200, 204]",),
        ),
        "get_of_post__multipart_formdata": Deviation(
            "direct identification; and it expects the triples of the two refused POSTs",
            ("request 1: the body is not the expected graph",),
        ),
        "get_of_post__create__new_graph": DIRECT_ONLY,
        "get_of_post__after_noop": DIRECT_ONLY,
        "head_on_an_existing_graph": DIRECT_ONLY,
        "head_on_a_nonexisting_graph": DIRECT_ONLY,
    },
}


# Running them


class Session:
    """One connection's worth of requests against a live server, with the template
    variables the manifest's responses fill."""

    def __init__(self, server):
        self.server = server
        self.variables = {"$HOST$": f"{server.host}:{server.port}", "$GRAPHSTORE$": "store"}

    def fill(self, text: str) -> str:
        for name, value in self.variables.items():
            text = text.replace(name, value)
        return text

    def send(self, request: Request, translate: bool = True):
        path = self.fill(request.path)
        if request.direct and translate:
            path = "/store?graph=" + urllib.parse.quote(self.fill(request.direct), safe="")
        headers = dict(request.headers)
        if request.method in WRITES:
            headers["authorization"] = f"Bearer {TOKEN}"
        body = None if request.body is None else self.fill(request.body).encode("utf-8")
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
        try:
            connection.request(request.method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def run(self, request: Request, number: int) -> list[str]:
        status, headers, body = self.send(request)
        where = f"request {number}"
        if status not in request.statuses:
            return [f"{where}: status {status}, expected {sorted(request.statuses)}"]
        mismatches = []
        content_type = headers.get("Content-Type", "")
        if request.response_type and normal(content_type) != normal(request.response_type):
            mismatches.append(f"{where}: Content-Type {content_type!r}")
        if request.response_body is not None and not same_graph(
            self.fill(request.response_body), content_type, body
        ):
            mismatches.append(f"{where}: the body is not the expected graph")
        if request.location:
            if "Location" not in headers:
                mismatches.append(f"{where}: no Location")
            else:
                self.variables[request.location] = headers["Location"]
        return mismatches


def normal(content_type: str) -> str:
    return content_type.replace(" ", "").lower()


def same_graph(expected: str, content_type: str, body: bytes) -> bool:
    wanted = rdflib.Graph().parse(data=expected, format="turtle")
    media_type = content_type.split(";")[0].strip()
    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.from_media_type(media_type))]
    found = rdflib.Graph().parse(
        data=(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode(), format="nt"
    )
    return rdflib.compare.isomorphic(wanted, found)


@pytest.fixture(scope="module")
def fresh_server(test_config):
    servers = []

    def start():
        servers.append(start_live_server(replace(test_config, update_token=TOKEN), Store(None)))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def deprecated_run(fresh_server) -> dict[str, list[str]]:
    """The deprecated manifest, in order, against one store: entry id -> mismatches."""
    session = Session(fresh_server())
    return {entry.id: session.run(entry.requests[0], 1) for entry in TESTS["http-rdf-update"]}


def outcome(manifest: str, entry: Entry, fresh_server, deprecated_run) -> list[str]:
    if manifest == "http-rdf-update":
        return deprecated_run[entry.id]
    session = Session(fresh_server())
    mismatches: list[str] = []
    for number, request in enumerate(entry.requests, 1):
        mismatches += session.run(request, number)
    return mismatches


CASES = [(m, e) for m, entries in TESTS.items() for e in entries]


@pytest.mark.parametrize(("manifest", "entry"), CASES, ids=[f"{m}:{e.id}" for m, e in CASES])
def test_graph_store_protocol(manifest, entry, fresh_server, deprecated_run):
    mismatches = outcome(manifest, entry, fresh_server, deprecated_run)
    deviation = DEVIATIONS[manifest].get(entry.id)
    if deviation is None:
        assert not entry.direct and mismatches == [], mismatches
        return
    # A documented deviation: it is still one, for exactly the documented cause.
    assert deviation.reason
    assert (entry.direct, tuple(mismatches)) != (False, ()), f"{entry.id} passes: remove it"
    assert tuple(mismatches) == deviation.mismatches
    if deviation is DIRECT_ONLY:
        assert entry.direct


PROBES = [(e.id, r) for _, e in CASES for r in e.requests[:1] if r.direct and r.path[0] == "/"]


@pytest.mark.parametrize(("entry", "request_"), PROBES, ids=[p[0] for p in PROBES])
def test_direct_paths_are_refused_as_they_are(fresh_server, entry, request_):
    request = request_
    status, _, body = Session(fresh_server()).send(request, translate=False)
    assert status == 404
    if request.method != "HEAD":
        assert b"direct graph identification is not supported" in body


def test_deviations_are_manifest_entries():
    for manifest, deviations in DEVIATIONS.items():
        assert set(deviations) <= {e.id for e in TESTS[manifest]}, manifest


def test_manifests_are_read_whole():
    assert [len(TESTS[m]) for m in ("indirect", "direct", "http-rdf-update")] == [9, 4, 18]
    requests = [r for entries in TESTS.values() for e in entries for r in e.requests]
    assert all(r.statuses for r in requests)
    assert sum(1 for r in requests if r.response_body) == 20
