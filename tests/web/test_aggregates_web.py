"""web/aggregates.py: the whole-store values of the pages (VoID statistics, the sitemap, the
home page's counts, graph sizes, the search index) are computed off the request path, never
make another request wait, and follow every change. Behaviour only, no timing: a slow
computation is one that waits for an event."""

from __future__ import annotations

import threading
from dataclasses import replace

from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from graph_service.store import Store
from graph_service.store.aggregates import Result
from graph_service.web.app import create_app
from graph_service.web.dataset import statistics
from graph_service.web.pages import search_index

BASE = "https://w3id.org/untoc/"
TOKEN_HEADER = {"Authorization": "Bearer test-update-token"}
DATASET = URIRef(BASE + "void#dataset")
THING = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {{ GRAPH <{BASE}graph/things> {{
  <{BASE}id/thing/%(key)s> a <http://example.org/Thing> ;
      rdfs:label "%(en)s"@en, "%(ru)s"@ru, "%(zh)s"@zh .
}} }}
"""


def thing(key: str, en: str, ru: str, zh: str) -> str:
    return THING % {"key": key, "en": en, "ru": ru, "zh": zh}


def app_with_things(test_config, wait: float = 30.0):
    store = Store(None)
    store.update(thing("one", "first thing", "первая вещь", "第一件东西"))
    app = create_app(replace(test_config, aggregate_wait=wait), store=store)
    return app, store, app.extensions["kg"].aggregates


def void_triples(client) -> int:
    graph = Graph().parse(data=client.get("/void?format=ttl").data, format="turtle")
    return int(graph.value(DATASET, VOID.triples))


def test_a_slow_void_makes_no_other_page_wait(test_config):
    app, _store, aggregates = app_with_things(test_config, wait=0.05)
    release = threading.Event()
    real = statistics.aggregate_name(BASE)

    def slow(store):
        release.wait(60)
        return Result(None)

    aggregates.define(real, slow)
    client = app.test_client()
    refused = client.get("/void")
    assert refused.status_code == 503  # never computed: a clear answer, not a long wait
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/sitemap.xml").status_code == 200  # while VoID is still computing
    assert client.get("/").status_code == 200
    assert client.get("/health").status_code == 200
    assert "/id/thing/one" in client.get("/search?q=вещь").get_data(as_text=True)
    release.set()
    assert aggregates.settle(60)


def test_the_previous_value_is_served_while_the_new_one_is_computed(test_config):
    app, store, aggregates = app_with_things(test_config)
    client = app.test_client()
    before = void_triples(client)
    release = threading.Event()
    name = statistics.aggregate_name(BASE)
    compute = aggregates._definitions[name].compute

    def slow(store):
        release.wait(60)
        return compute(store)

    aggregates.define(name, slow)
    aggregates.wait = 0.0  # the last computation took longer than requests may wait
    response = client.post(
        "/sparql", data={"update": thing("two", "second", "вторая", "第二")}, headers=TOKEN_HEADER
    )
    assert response.status_code == 204
    assert void_triples(client) == before  # the previous statistics, at once
    release.set()
    assert aggregates.settle(60)
    assert void_triples(client) == before + 4


def test_every_aggregate_follows_a_change(test_config):
    app, _store, aggregates = app_with_things(test_config)
    client = app.test_client()
    assert "/id/thing/one" in client.get("/sitemap.xml").get_data(as_text=True)
    assert "/id/thing/two" not in client.get("/search?q=вторая").get_data(as_text=True)
    before = void_triples(client)
    response = client.post(
        "/sparql",
        data={"update": thing("two", "second thing", "вторая вещь", "第二件东西")},
        headers=TOKEN_HEADER,
    )
    assert response.status_code == 204
    assert aggregates.settle(60)  # recomputed in the background after the write
    assert void_triples(client) == before + 4
    assert "/id/thing/two" in client.get("/sitemap.xml").get_data(as_text=True)
    assert "/id/thing/two" in client.get("/search?q=вторая").get_data(as_text=True)
    assert "/id/thing/two" in client.get("/search?q=二件").get_data(as_text=True)
    assert client.get("/health").get_json()["triples"] == 8
    graphs = client.get("/graph/").get_data(as_text=True)
    assert "8 triples" in graphs


def test_search_on_a_large_store_waits_for_its_index_instead_of_scanning(test_config, monkeypatch):
    app, _store, aggregates = app_with_things(test_config, wait=0.05)
    client = app.test_client()
    assert "/id/thing/one" in client.get("/search?q=вещь").get_data(as_text=True)  # indexed
    release = threading.Event()

    def slow(store):
        release.wait(60)
        return Result(None)

    app_small, _, small_aggregates = app_with_things(test_config, wait=0.05)
    small_aggregates.define(search_index.AGGREGATE, slow, searchable=True)
    small = app_small.test_client()
    scanned = small.get("/search?q=вещь")  # a small store: its labels scanned meanwhile
    assert scanned.status_code == 200 and "/id/thing/one" in scanned.get_data(as_text=True)

    monkeypatch.setattr(search_index, "SCAN_LABELS", 0)  # as a store of 10M triples
    app_large, _, large_aggregates = app_with_things(test_config, wait=0.05)
    large_aggregates.define(search_index.AGGREGATE, slow, searchable=True)
    large = app_large.test_client()
    refused = large.get("/search?q=вещь")
    assert refused.status_code == 503
    assert int(refused.headers["Retry-After"]) > 0
    assert "labels is being computed" in refused.get_data(as_text=True)
    missing = large.get("/id/thing/first-thing-x")  # its suggestions skip the words
    assert missing.status_code == 404
    release.set()
    assert small_aggregates.settle(60) and large_aggregates.settle(60)
    assert aggregates.settle(60)
