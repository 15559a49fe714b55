"""/ontology and /shapes: the vocabulary and the SHACL shapes, documented for people (an
anchor per term and per shape) and as RDF for machines."""

from __future__ import annotations

from flask import Blueprint, request

from graph_service import formats
from graph_service.formats import HTML
from graph_service.vocabulary import ontology_graph_iri, shapes_graph_iri
from graph_service.web.context import get_config, get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages import http, ontology_views
from graph_service.web.pages.ui import request_ui

blueprint = Blueprint("vocabulary_pages", __name__)


def _check_extension(extension: str | None) -> None:
    if extension is None or extension == "html":
        return
    if formats.by_extension(extension, formats.GRAPH_FORMATS) is None:
        raise HttpError(404, f"404 Not Found: no representation .{extension}")


@blueprint.get("/ontology")
@blueprint.get("/ontology.<extension>")
def ontology(extension: str | None = None):
    config = get_config()
    _check_extension(extension)
    graph_iri = ontology_graph_iri(config.base_iri)
    media_type = http.negotiate(extension)
    local = request.script_root + "/ontology"
    canonical = config.base_iri + "ontology"
    if media_type != HTML:
        triples = [q.triple for q in get_store().quads(graph_iri)]
        return http.finish(http.rdf_response(triples, media_type), canonical, local)
    ui = request_ui()
    context = ontology_views.ontology_context(ui, graph_iri)
    return http.finish(
        http.html("ontology.html", ui=ui, iri=canonical, canonical=canonical, **context),
        canonical,
        local,
    )


@blueprint.get("/shapes")
@blueprint.get("/shapes.<extension>")
def shapes(extension: str | None = None):
    """The SHACL shapes (`.../shapes#BodyShape`, linked from the shapes graph's pages): the
    shapes graph as RDF, or for people each shape's Turtle under an anchor of its name."""
    config = get_config()
    _check_extension(extension)
    media_type = http.negotiate(extension)
    local = request.script_root + "/shapes"
    canonical = config.base_iri + "shapes"
    triples = [q.triple for q in get_store().quads(shapes_graph_iri(config.base_iri))]
    if media_type != HTML:
        return http.finish(http.rdf_response(triples, media_type), canonical, local)
    ui = request_ui()
    context = ontology_views.shapes_context(ui, canonical, triples)
    alternates = http.alternates(local)
    return http.finish(
        http.html(
            "shapes.html", ui=ui, iri=canonical, canonical=canonical, formats=alternates, **context
        ),
        canonical,
        local,
    )
