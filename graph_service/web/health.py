"""/health: liveness and the store's status, with no whole-store work: the store answers a
query that reads one statement, and the counts are the last ones recorded for the store
(store/aggregates.py), omitted when there are none yet. No filesystem paths."""

from __future__ import annotations

from flask import Blueprint, jsonify

from graph_service.store import graph_sizes as sizes
from graph_service.store import queries
from graph_service.web.context import get_aggregates, get_store

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    store = get_store()
    queries.run(store, "health/any_statement")
    body: dict[str, object] = {"status": "ok", "store": "memory" if store.path is None else "disk"}
    counted = get_aggregates().peek(sizes.AGGREGATE)
    if counted is not None:
        body.update(
            triples=sizes.triples(counted.value),
            graphs=len(counted.value),
            counts_current=counted.current,
        )
    return jsonify(body)
