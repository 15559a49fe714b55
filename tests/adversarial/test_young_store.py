"""Right after an update on a young store, RocksDB compacts and removes files that the
workers' read-only handles still name: a query then met "No such file ... .sst" (a 500, 3 in
128). The worker reopens its handle and answers."""

from __future__ import annotations

from support import http, sparql_get

TOKEN = {"Authorization": "Bearer test-update-token", "Content-Type": "application/sparql-update"}


def test_queries_right_after_updates_are_answered(limited_server):
    statuses = []
    for n in range(40):
        update = f"INSERT DATA {{ GRAPH <http://example.org/young> {{ <x:s{n}> <x:p> {n} }} }}"
        status, _, body = http(limited_server.url, "POST", "/sparql", update.encode(), TOKEN)
        assert status == 204, body[:300]
        statuses.append(sparql_get(limited_server.url, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0])
    assert set(statuses) == {200}
