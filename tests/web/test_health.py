"""/health does no whole-store work: the store answers one trivial query, and the counts are
those recorded off the request path (omitted before they first exist)."""

from __future__ import annotations

from graph_service.store import Store
from graph_service.web.app import create_app


class RecordingStore(Store):
    """A store that records every query it evaluates."""

    def __init__(self):
        super().__init__(None)
        self.queries: list[str] = []

    def query(self, sparql: str, **kwargs):
        self.queries.append(sparql)
        return super().query(sparql, **kwargs)


def test_health_evaluates_no_whole_store_query(test_config):
    store = RecordingStore()
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c>, <urn:d> } }")
    app = create_app(test_config, store=store)
    client = app.test_client()

    before = client.get("/health")
    assert before.status_code == 200
    body = before.get_json()
    assert body["status"] == "ok" and "triples" not in body  # never counted: no counts
    assert len(store.queries) == 1 and "COUNT" not in store.queries[0].upper()

    aggregates = app.extensions["kg"].aggregates
    aggregates.get("graph-sizes")
    assert aggregates.settle(30)
    store.queries.clear()
    for _ in range(3):
        body = client.get("/health").get_json()
        assert (body["triples"], body["graphs"], body["counts_current"]) == (2, 1, True)
    assert len(store.queries) == 3
    assert not [q for q in store.queries if "COUNT" in q.upper() or "GROUP" in q.upper()]


def test_health_reports_the_last_counts_after_a_change(test_config):
    store = Store(None)
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    app = create_app(test_config, store=store)
    aggregates = app.extensions["kg"].aggregates
    aggregates.get("graph-sizes")
    store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:d> } }")
    body = app.test_client().get("/health").get_json()
    assert (body["triples"], body["counts_current"]) == (1, False)  # recorded, not recounted
    aggregates.get("graph-sizes")
    body = app.test_client().get("/health").get_json()
    assert (body["triples"], body["counts_current"]) == (2, True)
