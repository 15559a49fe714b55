"""The whole-store values the web serves, defined on the app's `Aggregates`
(store/aggregates.py): computed off the request path once per store revision, the cheap
ones first. After a request that changed the store (an update, a Graph Store write), all of
them are recomputed in the background, so that the next readers find them ready."""

from __future__ import annotations

import threading

from flask import Flask, Response

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store import graph_sizes as sizes
from graph_service.store.aggregates import Aggregates
from graph_service.store.remote.client import EngineError
from graph_service.web.dataset import sitemap, statistics
from graph_service.web.pages import counts, search_index


def define_all(aggregates: Aggregates, config: Config) -> None:
    sizes.define(aggregates)
    counts.define(aggregates, config.base_iri)
    search_index.define(aggregates)
    statistics.define(aggregates, config.base_iri)
    sitemap.define(aggregates, config.base_iri)


def install(app: Flask, store: Store, aggregates: Aggregates, config: Config) -> None:
    define_all(aggregates, config)
    # Read at the first request, not here: a remote engine may not be up yet.
    seen: dict[str, str | None] = {"revision": None}
    lock = threading.Lock()

    @app.after_request
    def refresh_after_change(response: Response) -> Response:
        try:
            revision = store.revision
        except EngineError:  # the remote engine is down: the response says so already
            return response
        with lock:
            changed = seen["revision"] not in (None, revision)
            seen["revision"] = revision
        if changed:
            aggregates.warm()
        return response
