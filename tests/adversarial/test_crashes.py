"""Requests that used to kill the server process: documents and queries nested or chained
past what the engine's recursive parsers take (a segmentation fault takes every request
with it). Each is answered 4xx, and the server answers the next request."""

from __future__ import annotations

import pytest
from support import http, sparql_get

TOKEN = {"Authorization": "Bearer test-update-token"}


def nested_jsonld(depth: int) -> bytes:
    """A JSON-LD document with a scoped @context at every level."""
    level = '{"@context": {"@vocab": "http://example.org/"}, "a": '
    return (level * depth + "1" + "}" * depth).encode()


def alive(server) -> bool:
    status, _, _ = sparql_get(server.url, "ASK {}")
    return status == 200


@pytest.mark.parametrize("depth", [3_000, 12_000])
def test_validate_of_deeply_nested_jsonld(limited_server, depth):
    status, _, body = http(
        limited_server.url,
        "POST",
        "/validate",
        nested_jsonld(depth),
        {"Content-Type": "application/ld+json", "Accept": "text/plain"},
    )
    assert 400 <= status < 500 or status == 200, body[:300]
    assert alive(limited_server)


def test_graph_store_put_of_deeply_nested_jsonld(limited_server):
    status, _, body = http(
        limited_server.url,
        "PUT",
        "/store?graph=http%3A%2F%2Fexample.org%2Fg",
        nested_jsonld(12_000),
        {"Content-Type": "application/ld+json", **TOKEN},
    )
    assert 400 <= status < 500, body[:300]
    assert alive(limited_server)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * {" + "{" * 6_000 + "}" * 6_000 + "}",
        "SELECT * { ?s ?p ?o FILTER(1" + "+1" * 9_000 + ") }",
        "SELECT * { ?s ?p ?o FILTER(" + "!" * 20_000 + "true) }",
        "SELECT * { ?s <http://p>" + "/<http://p>" * 5_000 + " ?o }",
    ],
    ids=["groups", "additions", "negations", "path"],
)
def test_queries_past_the_parsers_depth_are_refused(limited_server, query):
    status, _, body = sparql_get(limited_server.url, query)
    assert status == 400 and b"limit of this endpoint" in body
    assert alive(limited_server)


def test_updates_past_the_parsers_depth_are_refused(limited_server):
    update = "INSERT { <x:a> <x:b> <x:c> } WHERE {" + "{" * 6_000 + "}" * 6_000 + "}"
    status, _, body = http(
        limited_server.url,
        "POST",
        "/sparql",
        update.encode(),
        {"Content-Type": "application/sparql-update", **TOKEN},
    )
    assert status == 400 and b"limit of this endpoint" in body, body[:300]
    assert alive(limited_server)
