"""Malformed requests that used to get a 5xx: each gets a 4xx that says what is wrong, and a
failing remote is a 502 naming it. A bounded fuzz of every route finds no 5xx."""

from __future__ import annotations

import random
import urllib.parse
from dataclasses import replace

import pytest
from conftest import free_port

from graph_service.store import Store
from graph_service.web.app import create_app

TOKEN = {"Authorization": "Bearer test-update-token"}


@pytest.mark.parametrize(
    "path",
    [
        "/id/%zz",
        "/id/%3C",
        "/id/a%20b",
        "/id/%3Cx%3E",
        "/list?class=untoc:%20",
        "/list?class=%3C",
        "/sparql?query=ASK%7B%7D&default-graph-uri=",
        "/sparql?query=ASK%7B%7D&named-graph-uri=%20",
        "/sparql?query=ASK%7B%7D&default-graph-uri=relative",
        "/sparql?query=BASE%20%3Chttp://[/%3E%20ASK%7B%7D",
        "/sparql?query=BASE%20%3Chttp://[/%3E%20SELECT%20*%20%7B%20SERVICE%20%3Cx%3E%20%7B%7D%20%7D",
        "/store?graph=%20",
        "/id/body/wg-tip?in_page=abc",
    ],
)
def test_malformed_reads_are_4xx(client, path):
    response = client.get(path, headers={"Accept": "text/plain"})
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.get_data(as_text=True).strip()  # a message, not an empty body


@pytest.fixture()
def writable(test_config):
    store = Store(None)
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <x:a> <x:b> <x:c> } }")
    return create_app(test_config, store=store).test_client()


@pytest.mark.parametrize(
    "update, status",
    [
        ("CREATE GRAPH <http://example.org/g>", 400),
        ("DROP GRAPH <http://example.org/missing>", 400),
        ("CLEAR GRAPH <http://example.org/missing>", 400),
        ("INSRT DATA { <x:a> <x:b> <x:c> }", 400),
    ],
)
def test_updates_the_spec_calls_errors_are_400(writable, update, status):
    response = writable.post(
        "/sparql", data=update, content_type="application/sparql-update", headers=TOKEN
    )
    assert response.status_code == status, response.get_data(as_text=True)


def test_a_failing_service_is_a_502_naming_the_remote(test_config, loaded_store, tmp_path):
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    registry = tmp_path / "federation.toml"
    registry.write_text(f'[[endpoint]]\nkey = "dead"\nname = "dead"\nendpoint = "{dead}"\n')
    app = create_app(replace(test_config, federation_config=registry), store=loaded_store)
    query = f"SELECT * WHERE {{ SERVICE <{dead}> {{ ?s ?p ?o }} }}"
    response = app.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 502
    assert "remote" in response.get_data(as_text=True)


# A bounded fuzz of every route: random methods, parameters, headers and bodies, from a fixed
# seed (the same requests every run), none of which may get a 5xx.

PIECES = [
    "", " ", "%", "%zz", "%00", "<", ">", "'", '"', "\\", "{", "}", "[", "]", "(", ")", "#",
    "?", "&", "=", "..", "../", "/", "\u202e", "\ufffd", "untoc:", "id/body/wg-tip",
    "http://", "http://[/", "javascript:alert(1)", "SELECT", "ASK {}", "SERVICE", "x" * 300,
    "é", "日本", "ttl", "jsonld", "-1", "0", "99999999999", "true", "null",
]  # fmt: skip
PARAMS = ["query", "update", "format", "lang", "page", "in_page", "class", "q", "graph",
          "default", "default-graph-uri", "named-graph-uri", "using-graph-uri"]  # fmt: skip
ACCEPTS = [
    "*/*", "text/html", "application/json", "text/turtle", "application/sparql-results+xml",
    "image/png", "text/html;q=0", ";;;", "",
]  # fmt: skip
TYPES = [
    "application/x-www-form-urlencoded", "application/sparql-query", "text/turtle",
    "application/ld+json", "multipart/form-data; boundary=x", "text/plain; charset=latin1", "",
]  # fmt: skip


def fuzz_requests(paths: list[str], per_route: int, seed: int = 20261202):
    rng = random.Random(seed)

    def piece() -> str:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 3)))

    for path in paths:
        for _ in range(per_route):
            params = {rng.choice(PARAMS): piece() for _ in range(rng.randint(0, 3))}
            url = path.replace("<path>", urllib.parse.quote(piece(), safe="/%")) or "/"
            yield (
                rng.choice(["GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]),
                url + ("?" + urllib.parse.urlencode(params) if params else ""),
                {
                    "Accept": rng.choice(ACCEPTS),
                    "Accept-Language": rng.choice(["ru", "ar", "*", ""]),
                },
                rng.choice(TYPES),
                piece().encode("utf-8", "surrogatepass"),
            )


def routes(app) -> list[str]:
    """Every rule of the app, with its variable parts marked for the fuzzer."""
    found = set()
    for rule in app.url_map.iter_rules():
        found.add(str(rule).replace("<path:path>", "<path>").replace("<path:key>", "<path>")
                  .replace("<name>", "<path>").replace("<extension>", "<path>"))  # fmt: skip
    return sorted(found)


def test_no_route_answers_a_fuzzed_request_with_a_5xx(client):
    """Anonymous, so nothing is written; writes with the token are covered above."""
    paths = routes(client.application)
    assert "/sparql" in paths and "/store" in paths and "/id/<path>" in paths
    failures = []
    for method, url, headers, content_type, body in fuzz_requests(paths, per_route=40):
        response = client.open(
            url, method=method, headers=headers, data=body, content_type=content_type or None
        )
        if response.status_code >= 500:
            failures.append((method, url, headers, content_type, response.status_code))
    assert failures == []
