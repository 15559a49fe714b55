"""/health: liveness and the store's status, with no whole-store work: the store answers a
query that reads one statement, and the counts are the last ones recorded for the store
(store/aggregates.py), omitted when there are none yet; 503 when a remote store cannot
answer. No filesystem paths."""

from __future__ import annotations

import os

from flask import Blueprint, jsonify

from graph_service.store import graph_sizes as sizes
from graph_service.store import queries
from graph_service.store.remote.client import EngineError
from graph_service.web.context import get_aggregates, get_store

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    store = get_store()
    try:
        queries.run(store, "health/any_statement")
    except EngineError as error:  # a remote store that fails: this process is fine, not it
        response = jsonify(status="unavailable", store=store.kind, error=str(error))
        response.status_code = 503
        return response
    # `process`: which serving process answered (kg serve --processes N)
    body: dict[str, object] = {"status": "ok", "store": store.kind, "process": os.getpid()}
    counted = get_aggregates().peek(sizes.AGGREGATE)
    if counted is not None:
        body.update(
            triples=sizes.triples(counted.value),
            graphs=len(counted.value),
            counts_current=counted.current,
        )
    return jsonify(body)
