"""The Flask app factory: the store is injected, each concern is a blueprint registered here."""

from __future__ import annotations

from flask import Flask

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.opening import open_store
from graph_service.store.writes import Writes
from graph_service.web import (
    aggregates,
    context,
    endpoint,
    errors,
    graph_store,
    health,
    security,
    translation,
    validate,
)
from graph_service.web.dataset import dumps, sitemap, void
from graph_service.web.pages import (
    listings,
    not_found,
    record_pages,
    resources,
    vocabulary_pages,
)


def create_app(
    config: Config | None = None, store: Store | None = None, writes: Writes | None = None
) -> Flask:
    """Build the app. Tests pass an in-memory store; production opens `config.store_path`
    (a folder, or a remote engine's URL). `writes`: where writes go when this process does
    not write to `store` itself (one of several serving processes: `store` follows the
    writer process, `store/writer.py`)."""
    config = config or Config.from_env()
    if store is None:
        store = open_store(config)
    app = Flask(__name__)
    state = context.install(app, store, config, writes)
    aggregates.install(app, store, state.aggregates, config)
    errors.register(app)
    security.register(app)
    translation.install(app)
    for blueprint in (
        health.blueprint,
        endpoint.blueprint,
        graph_store.blueprint,
        void.blueprint,
        dumps.blueprint,
        sitemap.blueprint,
        validate.blueprint,
        resources.blueprint,
        listings.blueprint,
        record_pages.blueprint,
        vocabulary_pages.blueprint,
        not_found.blueprint,
    ):
        app.register_blueprint(blueprint)
    return app
