"""/health: liveness and the store's size, cheap (counted once per store state), no paths;
503 when a remote store cannot answer."""

from __future__ import annotations

from flask import Blueprint, jsonify

from graph_service.store.remote.client import EngineError
from graph_service.web.context import get_store

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    store = get_store()
    try:
        stats = store.stats()
    except EngineError as error:  # a remote store that fails: this process is fine, not it
        response = jsonify(status="unavailable", store=store.kind, error=str(error))
        response.status_code = 503
        return response
    return jsonify(
        status="ok",
        store=store.kind,
        triples=stats["triples"],
        graphs=len(stats["graphs"]),
    )
