"""`/validate`: SHACL validation of posted RDF (with the loaded ontology) against the shapes.
Nothing is stored: the posted graph lives only for the request."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from graph_service.store.loading import ontology_graph_iri, shapes_graph_iri, validate_graphs
from graph_service.store.validation import ShapesError
from graph_service.web.app import get_config, get_store

blueprint = Blueprint("validate_route", __name__)

MAX_BODY_BYTES = 2_000_000
MEDIA_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
FORM_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BadRequest(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@blueprint.get("/validate")
def validate_form():
    return render_template(
        "validate.html", formats=list(FORM_FORMATS), selected="turtle", data="", report=None
    )


@blueprint.post("/validate")
def validate_post():
    try:
        text, rdf_format, from_form = _posted_rdf()
        triples = _parse(text, rdf_format)
        report = _validate(triples)
    except BadRequest as error:
        return _error(error.status, str(error))
    except ShapesError as error:
        return _error(500, str(error))
    wanted = request.accept_mimetypes.best_match(
        ["text/turtle", "application/json", "text/html"], default="text/turtle"
    )
    if wanted == "application/json":
        return jsonify(report.as_dict())
    if wanted == "text/html" and from_form:
        selected = request.form.get("format", "turtle")
        return render_template(
            "validate.html",
            formats=list(FORM_FORMATS),
            selected=selected,
            data=text,
            report=report,
        )
    return Response(report.turtle(), mimetype="text/turtle")


def _posted_rdf() -> tuple[str | bytes, ox.RdfFormat, bool]:
    """(the RDF, its format, whether it came from the form)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise BadRequest(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    media_type = request.mimetype
    if media_type in FORM_TYPES:
        data = request.form.get("data")
        if not data:
            raise BadRequest(400, "the form field 'data' (the RDF to validate) is missing")
        name = request.form.get("format", "turtle")
        rdf_format = FORM_FORMATS.get(name) or MEDIA_TYPES.get(name)
        if rdf_format is None:
            raise BadRequest(400, f"unknown format {name!r}; one of {', '.join(FORM_FORMATS)}")
        return data, rdf_format, True
    rdf_format = MEDIA_TYPES.get(media_type)
    if rdf_format is None:
        raise BadRequest(
            415,
            f"unsupported Content-Type {media_type or '(none)'!r}; "
            f"send one of {', '.join(MEDIA_TYPES)} or a form with 'data' and 'format'",
        )
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    return body, rdf_format, False


def _parse(data: str | bytes, rdf_format: ox.RdfFormat) -> list[ox.Triple]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        quads = ox.parse(data, format=rdf_format, base_iri=get_config().base_iri)
        return [quad.triple for quad in quads]
    except SyntaxError as error:
        where = f"line {error.lineno}, column {error.offset}: " if error.lineno else ""
        raise BadRequest(400, f"cannot parse the {rdf_format.name}: {where}{error.msg}") from None


def _validate(triples: list[ox.Triple]):
    """The posted graph, with the ontology and shapes of the store (else the project files)."""
    config = get_config()
    store = get_store()
    graphs: dict[str, list[ox.Triple]] = {"urn:untoc:posted": triples}
    for iri in (ontology_graph_iri(config.base_iri), shapes_graph_iri(config.base_iri)):
        stored = [quad.triple for quad in store.quads(iri)]
        if stored:
            graphs[iri] = stored
    return validate_graphs(graphs, config)


def _error(status: int, message: str):
    if request.accept_mimetypes.best == "application/json":
        response = jsonify(error=message, status=status)
        response.status_code = status
        return response
    return Response(message + "\n", status=status, mimetype="text/plain")
