"""The W3C SPARQL 1.1 query syntax tests (syntax-query/manifest.ttl), read from the shared
manifest at test time and sent over real HTTP to /sparql on a live server with an empty
store: every positive test must be answered 200, every negative one 400 with the parser's
message.

Each positive query is also sent with a comment naming SERVICE appended: the federation
allow-list check tokenizes every query before pyoxigraph parses it, and must not refuse a
valid query, nor mistake a comment for a SERVICE clause.

DEVIATIONS lists the entries that do not pass and why; each is checked to fail exactly for
the documented reason. docs/sparql.md has the table.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import rdflib
from conftest import W3C_SPARQL11, start_live_server
from rdflib.namespace import RDF

from graph_service.store import Store

MANIFEST = W3C_SPARQL11 / "syntax-query" / "manifest.ttl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SERVICE_COMMENT = b"\n# a comment that mentions SERVICE <http://example.org/sparql>\n"

# Entries that do not pass, and why, with a pattern of what the endpoint answers instead.
# None at present: test_4 (syntax-select-expr-04.rq) calls an extension function the
# endpoint does not know, which SPARQL makes an evaluation error (unbound), not a refusal.
DEVIATIONS: dict[str, tuple[str, re.Pattern]] = {}


@dataclass(frozen=True)
class SyntaxTest:
    id: str
    name: str
    positive: bool
    query: Path

    @property
    def label(self) -> str:
        return f"{self.id}-{self.name}"


def read_manifest() -> list[SyntaxTest]:
    graph = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in rdflib.collection.Collection(graph, graph.value(manifest, MF.entries)):
        kind = graph.value(entry, RDF.type)
        assert kind in (MF.PositiveSyntaxTest11, MF.NegativeSyntaxTest11), (entry, kind)
        tests.append(
            SyntaxTest(
                id=str(entry).rsplit("#", 1)[1],
                name=str(graph.value(entry, MF.name)),
                positive=kind == MF.PositiveSyntaxTest11,
                query=Path(str(graph.value(entry, MF.action)).removeprefix("file://")),
            )
        )
    return tests


TESTS = read_manifest()
POSITIVE = [t for t in TESTS if t.positive]
NEGATIVE = [t for t in TESTS if not t.positive]


@pytest.fixture(scope="module")
def empty_server(test_config):
    server = start_live_server(replace(test_config, update_token=None), Store(None))
    yield server
    server.stop()


def post_query(server, body: bytes) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/sparql",
            body=body,
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json, text/turtle",
            },
        )
        response = connection.getresponse()
        return (
            response.status,
            response.getheader("Content-Type", ""),
            response.read().decode("utf-8"),
        )
    finally:
        connection.close()


def check_accepted(test: SyntaxTest, status: int, body: str) -> None:
    if test.id in DEVIATIONS:
        assert status == 400, body
        assert DEVIATIONS[test.id][1].search(body), body
        assert "malformed" not in body
    else:
        assert status == 200, body


@pytest.mark.parametrize("test", POSITIVE, ids=[t.label for t in POSITIVE])
def test_positive_syntax(empty_server, test):
    status, _, body = post_query(empty_server, test.query.read_bytes())
    check_accepted(test, status, body)


@pytest.mark.parametrize("test", POSITIVE, ids=[t.label for t in POSITIVE])
def test_positive_syntax_passes_the_allow_list_check(empty_server, test):
    status, _, body = post_query(empty_server, test.query.read_bytes() + SERVICE_COMMENT)
    check_accepted(test, status, body)


@pytest.mark.parametrize("test", NEGATIVE, ids=[t.label for t in NEGATIVE])
def test_negative_syntax(empty_server, test):
    status, content_type, body = post_query(empty_server, test.query.read_bytes())
    assert status == 400, body
    assert content_type.startswith("text/plain")
    # The parser's message, with the place of the error.
    assert re.match(r"malformed query: .*\d+:\d+", body, re.DOTALL), body


def test_deviations_are_manifest_entries():
    assert set(DEVIATIONS) <= {t.id for t in TESTS}


def test_manifest_is_read_whole():
    assert (len(POSITIVE), len(NEGATIVE)) == (63, 31)
    assert all(t.query.is_file() for t in TESTS)
