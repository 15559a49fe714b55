"""/void and /.well-known/void: the dataset description as Turtle, N-Triples, JSON-LD, RDF/XML
or an HTML page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from rdflib import Graph

from graph_service import formats
from graph_service.web.context import get_aggregates, get_config, get_store
from graph_service.web.dataset import conditional
from graph_service.web.dataset.description import LICENSE, LINK_TARGETS, describe
from graph_service.web.dataset.dumps import DUMPS
from graph_service.web.dataset.statistics import statistics
from graph_service.web.errors import HttpError
from graph_service.web.negotiation import choose
from graph_service.web.pages.ui import request_ui

blueprint = Blueprint("void", __name__)

OFFERED = {
    formats.TURTLE.media_type: formats.TURTLE,
    formats.HTML: None,
    formats.NTRIPLES.media_type: formats.NTRIPLES,
    formats.JSONLD.media_type: formats.JSONLD,
    formats.RDFXML.media_type: formats.RDFXML,
}


def serialize(graph: Graph, rdf_format: formats.Format) -> bytes:
    kwargs: dict[str, Any] = {}
    if rdf_format == formats.JSONLD:
        kwargs = {
            "context": {p: str(n) for p, n in graph.namespaces() if p},
            "auto_compact": True,
        }
    return graph.serialize(format=rdf_format.rdflib or "turtle", encoding="utf-8", **kwargs)


@blueprint.get("/void")
@blueprint.get("/.well-known/void")
def void_description():
    media_type = choose(request.headers.get("Accept"), list(OFFERED), request.args.get("format"))
    if media_type is None:
        raise HttpError(
            406,
            f"this resource is available as {', '.join(OFFERED)} "
            "(use the Accept header or the format parameter, e.g. ?format=ttl)",
        )
    config = get_config()
    stats, found = statistics(get_aggregates(), config.base_iri)
    root = request.url_root
    rdf_format = OFFERED[media_type]
    if rdf_format is None:
        body = render_template(
            "void.html",
            ui=request_ui(),
            stats=stats,
            link_targets=LINK_TARGETS,
            dumps=list(DUMPS.values()),
            licence=str(LICENSE),
        )
        response = Response(body, content_type=formats.content_type(formats.HTML))
    else:
        # Serialised once per value of the statistics, format and address (rdflib takes
        # long over a large description).
        data = get_store().cache.get(
            ("void", found.id, rdf_format.name, root),
            lambda: serialize(describe(stats, config.base_iri, root), rdf_format),
        )
        response = Response(data, content_type=rdf_format.content_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{request.base_url}?format={f.extension}>; rel="alternate"; type="{f.media_type}"'
        for f in formats.GRAPH_FORMATS
    )
    return conditional(response, media_type, root, str(found.id))
