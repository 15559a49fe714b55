"""The helpful 404: an unknown IRI under the base (or a path no route serves) gets a page
with suggestions for browsers, plain text for programs."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from graph_service.formats import HTML
from graph_service.store.aggregates import NotReady
from graph_service.web.context import get_aggregates, get_config, get_store
from graph_service.web.errors import error_response
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import http, search_index
from graph_service.web.pages.ui import Ui, request_ui

blueprint = Blueprint("not_found", __name__)

SUGGEST_SCAN = 2000
MAX_SEARCH_TEXT = 200


def page(iri: str, media_type: str) -> Response:
    if media_type != HTML:
        response = error_response(404, f"404 Not Found: no resource <{iri}> in the graph")
        response.headers["Vary"] = "Accept, Accept-Language"
        return response
    ui = request_ui()
    suggestions = suggest(ui, iri)
    response = http.html("not_found.html", 404, ui=ui, iri=iri, suggestions=suggestions)
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


@blueprint.app_errorhandler(404)
def no_route(error: HTTPException):
    """A path no route serves (`/foo`) is an unknown IRI under the base too: the same page
    as an unknown `/id/` IRI for browsers, plain text for programs. A 404 raised by a view
    keeps that view's own message."""
    if request.url_rule is not None:
        return error_response(404, f"404 Not Found: {error.description}")
    iri = get_config().base_iri + request.path.lstrip("/")
    wants_html = request.accept_mimetypes.best_match([HTML, "text/plain"]) == HTML
    return page(iri, HTML if wants_html else "text/plain")


def suggest(ui: Ui, iri: str, limit: int = 10) -> list[dict]:
    """Resources whose IRI shares the longest prefix with the unknown one, then label matches
    for the words of its last segment. A bounded number of small queries."""
    folder, _, key = iri.rpartition("/")
    found: list[str] = []

    def add(rows) -> None:
        for row in rows:
            if row["r"].value not in found and len(found) < limit:
                found.append(row["r"].value)

    # One scan for the shortest prefix worth trying (half the key), ranked here by the
    # length of the prefix shared with the unknown IRI, then by length.
    prefix = f"{folder}/{key[: max(2, len(key) // 2)]}"
    candidates = search_index.starting_with(get_aggregates(), prefix, SUGGEST_SCAN)
    if candidates is None:  # no index yet: the bounded query
        rows = d.rows(get_store(), "suggest_iri", prefix=ox.Literal(prefix), limit=SUGGEST_SCAN)
        candidates = [r["r"].value for r in rows]

    def shared(candidate: str) -> int:
        return next(
            (i for i, (a, b) in enumerate(zip(candidate, iri, strict=False)) if a != b),
            min(len(candidate), len(iri)),
        )

    candidates.sort(key=lambda c: (-shared(c), len(c), c))
    if candidates:
        best = shared(candidates[0])
        add([{"r": ox.NamedNode(c)} for c in candidates if shared(c) == best])
    words = [w for w in key.replace("_", "-").replace(".", "-").split("-") if len(w) >= 3]
    for term in sorted(words, key=len, reverse=True)[:2]:
        if len(found) >= limit:
            break
        try:
            matches = search_index.search(
                get_aggregates(), get_store(), term[:MAX_SEARCH_TEXT], limit=limit, offset=0
            )
        except NotReady:  # a large store's index is being built: no suggestions by words
            break
        add([{"r": ox.NamedNode(iri)} for iri in matches])
    ui.ensure_labels(found)
    return [{"href": ui.href(i), "text": ui.label(i), "iri": i} for i in found]
