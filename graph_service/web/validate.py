"""`/validate`: SHACL validation of posted RDF (with the loaded ontology) against the shapes.
Nothing is stored: the posted graph lives only for the request."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from graph_service import formats
from graph_service.formats import Format
from graph_service.store import sandbox
from graph_service.store.validation import ShapesError
from graph_service.vocabulary import ontology_graph_iri, shapes_graph_iri
from graph_service.web.context import get_config, get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages.ui import request_ui
from graph_service.web.uploads import MAX_BODY_BYTES, parse, read_body, sandbox_limits, too_large

blueprint = Blueprint("validate", __name__)

ACCEPTED = (formats.TURTLE, formats.TRIG, formats.NTRIPLES, formats.NQUADS, formats.JSONLD)
MEDIA_TYPES = {f.media_type: f for f in ACCEPTED}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@blueprint.get("/validate")
def validate_form():
    return render_template("validate.html", **_form(selected="turtle", data="", report=None))


def _form(**context) -> dict:
    return {"ui": request_ui(), "formats": [f.name for f in ACCEPTED], **context}


@blueprint.post("/validate")
def validate_post():
    text, rdf_format, from_form = _posted_rdf()
    triples = _parse(text, rdf_format)
    try:
        report = _validate(triples)
    except ShapesError as error:
        raise HttpError(500, str(error)) from error
    wanted = request.accept_mimetypes.best_match(
        ["text/turtle", "application/json", "text/html"], default="text/turtle"
    )
    if wanted == "application/json":
        return jsonify(report.as_dict())
    if wanted == "text/html" and from_form:
        selected = request.form.get("format", "turtle")
        return render_template(
            "validate.html", **_form(selected=selected, data=text, report=report)
        )
    return Response(report.turtle(), mimetype="text/turtle")


def _posted_rdf() -> tuple[str | bytes, Format, bool]:
    """(the RDF, its format, whether it came from the form)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise too_large()
    media_type = request.mimetype
    if media_type in FORM_TYPES:
        data = request.form.get("data")
        if not data:
            raise HttpError(400, "the form field 'data' (the RDF to validate) is missing")
        name = request.form.get("format", "turtle")
        rdf_format = formats.by_name(name, ACCEPTED)
        if rdf_format is None:
            names = ", ".join(f.name for f in ACCEPTED)
            raise HttpError(400, f"unknown format {name!r}; one of {names}")
        return data, rdf_format, True
    rdf_format = MEDIA_TYPES.get(media_type)
    if rdf_format is None:
        raise HttpError(
            415,
            f"unsupported Content-Type {media_type or '(none)'!r}; "
            f"send one of {', '.join(MEDIA_TYPES)} or a form with 'data' and 'format'",
        )
    return read_body(), rdf_format, False


def _parse(data: str | bytes, rdf_format: Format) -> list[ox.Triple]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    quads = parse(data, rdf_format, base_iri=get_config().base_iri, what="the data")
    return [quad.triple for quad in quads]


def _validate(triples: list[ox.Triple]):
    """The posted graph, with the ontology and shapes of the store (else the project files)."""
    config = get_config()
    store = get_store()
    graphs: dict[str, list[ox.Triple]] = {"urn:untoc:posted": triples}
    for iri in (ontology_graph_iri(config.base_iri), shapes_graph_iri(config.base_iri)):
        stored = [quad.triple for quad in store.quads(iri)]
        if stored:
            graphs[iri] = stored
    try:
        return sandbox.validate(graphs, config.base_iri, sandbox_limits(config))
    except sandbox.Refused as error:
        raise HttpError(error.status, str(error)) from None
