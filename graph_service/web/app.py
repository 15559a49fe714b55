"""The Flask app factory: the store is injected, each concern is a blueprint."""

from __future__ import annotations

import importlib

from flask import Flask, jsonify

from graph_service.config import Config
from graph_service.store.store import Store

# Modules that expose a `blueprint`; each concern owns its routes.
BLUEPRINT_MODULES: list[str] = [
    "graph_service.web.dataset",
    "graph_service.web.endpoint",
    "graph_service.web.pages.routes",
    "graph_service.web.validate",
]


def create_app(config: Config | None = None, store: Store | None = None) -> Flask:
    """Build the app. Tests pass an in-memory store; production opens `config.store_path`."""
    config = config or Config.from_env()
    if store is None:
        store = Store(config.store_path)
    app = Flask(__name__)
    app.config["KG"] = config
    app.extensions["kg_store"] = store

    for name in BLUEPRINT_MODULES:
        module = importlib.import_module(name)
        app.register_blueprint(module.blueprint)

    @app.get("/health")
    def health():
        stats = store.stats()
        return jsonify(
            status="ok",
            store="memory" if store.path is None else str(store.path),
            triples=stats["triples"],
            graphs=len(stats["graphs"]),
        )

    return app


def get_store() -> Store:
    from flask import current_app

    return current_app.extensions["kg_store"]


def get_config() -> Config:
    from flask import current_app

    return current_app.config["KG"]
