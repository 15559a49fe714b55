"""Holders of the update token are bounded too: the protocol's graph parameters cannot
smuggle a SERVICE in, LOAD reads only from its own allow-list, within the upload limits and
without XML entities, and `kg federate` neither follows a partner elsewhere nor writes what
it was not asking for."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import replace

import pyoxigraph as ox
import pytest
from conftest import BASE
from peers import Canary, Scripted

from graph_service.sparql import harvest
from graph_service.sparql.federation import Endpoint
from graph_service.store import Store
from graph_service.web.app import create_app

TOKEN = {"Authorization": "Bearer test-update-token"}
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
  <rdf:Description rdf:about="http://ex/s"><ex:p>&d;&d;&d;&d;&d;&d;&d;&d;</ex:p></rdf:Description>
</rdf:RDF>"""


@pytest.fixture()
def writable(test_config):
    store = Store(None)
    return create_app(test_config, store=store), store


def update(app, text: str, **params: str):
    query = ("?" + urllib.parse.urlencode(params)) if params else ""
    return app.test_client().post(
        "/sparql" + query, data=text, content_type="application/sparql-update", headers=TOKEN
    )


def test_using_graph_uri_cannot_smuggle_a_service_call(writable):
    app, _ = writable
    canary = Canary().start()
    try:
        injected = f"http://x/> SERVICE <{canary.url}> {{ ?s ?p ?o }} USING <http://x/"
        response = update(
            app, "INSERT { <x:a> <x:b> ?o } WHERE { ?s ?p ?o }", **{"using-graph-uri": injected}
        )
        assert response.status_code == 400
        assert canary.hits == []
    finally:
        canary.stop()


def test_load_reads_only_from_its_allow_list(writable):
    app, store = writable
    canary = Canary().start()
    try:
        response = update(app, f"LOAD <{canary.url}>")
        assert response.status_code == 403 and "allow-list" in response.get_data(as_text=True)
        assert canary.hits == []
        assert len(store.oxigraph) == 0
    finally:
        canary.stop()


@pytest.fixture()
def hostile():
    server = Scripted(
        {
            "/laughs.rdf": (200, {"Content-Type": "application/rdf+xml"}, BILLION_LAUGHS),
            "/elsewhere.ttl": (302, {"Location": "http://127.0.0.2:9/evil.ttl"}, b""),
            "/huge.ttl": (200, {"Content-Type": "text/turtle"}, b"#" * 3_000_000),
            "/ok.ttl": (200, {"Content-Type": "text/turtle"}, b"<http://ex/s> <http://ex/p> 1 ."),
        }
    ).start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    "path, status, words",
    [
        ("/laughs.rdf", 400, "entity declarations"),
        ("/elsewhere.ttl", 403, "redirects to"),
        ("/huge.ttl", 413, "more than"),
    ],
)
def test_load_from_a_listed_source_is_still_bounded(test_config, hostile, path, status, words):
    store = Store(None)
    app = create_app(replace(test_config, load_sources=(hostile.base + "/",)), store=store)
    response = update(app, f"LOAD <{hostile.base}{path}> INTO GRAPH <{BASE}graph/loaded>")
    assert response.status_code == status and words in response.get_data(as_text=True)
    assert len(store.oxigraph) == 0


def test_load_from_a_listed_source_works(test_config, hostile):
    store = Store(None)
    app = create_app(replace(test_config, load_sources=(hostile.base + "/",)), store=store)
    response = update(app, f"LOAD <{hostile.base}/ok.ttl> INTO GRAPH <{BASE}graph/loaded>")
    assert response.status_code == 204
    assert len(list(store.quads(f"{BASE}graph/loaded"))) == 1


def test_kg_federate_follows_no_redirect_off_the_registry(tmp_path):
    canary = Canary().start()
    partner = Scripted({"/sparql": (302, {"Location": canary.url}, b"")}).start()
    try:
        endpoint = Endpoint(key="partner", name="partner", endpoint=partner.base + "/sparql")
        health = harvest.check_health(endpoint)
        assert not health.ok and "redirect" in health.error.lower()
        assert canary.hits == []
    finally:
        partner.stop()
        canary.stop()


def test_kg_federate_keeps_only_labels_of_the_iris_it_asked_for():
    asked = "http://partner.example/c1"
    rows = [
        {"item": {"type": "uri", "value": asked}, "property": {"type": "uri",
         "value": "http://www.w3.org/2000/01/rdf-schema#label"},
         "label": {"type": "literal", "value": "kept", "xml:lang": "en"}},
        {"item": {"type": "uri", "value": "http://partner.example/other"}, "property": {
         "type": "uri", "value": "http://www.w3.org/2000/01/rdf-schema#label"},
         "label": {"type": "literal", "value": "not asked for"}},
        {"item": {"type": "uri", "value": asked}, "property": {"type": "uri",
         "value": "http://www.w3.org/2002/07/owl#sameAs"},
         "label": {"type": "uri", "value": "http://evil.example/"}},
        {"item": {"type": "uri", "value": asked}, "property": {"type": "uri",
         "value": "http://www.w3.org/2004/02/skos/core#prefLabel"},
         "label": {"type": "literal", "value": "x" * 5000}},
    ]  # fmt: skip
    body = json.dumps({"head": {"vars": ["item", "property", "label"]},
                       "results": {"bindings": rows}}).encode()  # fmt: skip
    partner = Scripted(
        {"/sparql": (200, {"Content-Type": "application/sparql-results+json"}, body)}
    ).start()
    try:
        endpoint = Endpoint(key="partner", name="partner", endpoint=partner.base + "/sparql")
        triples, dropped = harvest.fetch_labels(endpoint, [asked])
    finally:
        partner.stop()
    assert triples == [
        ox.Triple(
            ox.NamedNode(asked),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal("kept", language="en"),
        )
    ]
    assert dropped == 3
