"""/health: liveness and the store's size, cheap (counted once per store state), no paths."""

from __future__ import annotations

import os

from flask import Blueprint, jsonify

from graph_service.web.context import get_store

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    store = get_store()
    stats = store.stats()
    return jsonify(
        status="ok",
        store="memory" if store.path is None else "disk",
        triples=stats["triples"],
        graphs=len(stats["graphs"]),
        process=os.getpid(),  # which serving process answered (kg serve --processes N)
    )
