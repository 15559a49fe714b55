"""/store: the SPARQL 1.1 Graph Store HTTP Protocol, indirect graph identification, as
Oxigraph's server has it (https://www.w3.org/TR/sparql11-http-rdf-update/).

`?graph=<IRI>` names a graph, `?default` the store's own default graph (not the union that
/sparql queries by default). Without either, GET answers the whole dataset (TriG, N-Quads,
JSON-LD) and POST creates a new graph (or merges a TriG/N-Quads/JSON-LD dataset). GET and HEAD
are for everyone; PUT, POST and DELETE need the update token and pass the shapes like SPARQL
Update (store/guarded_update.py). Why: docs/decisions/0006-graph-store-protocol.md.
"""

from __future__ import annotations

import io
import urllib.parse
import uuid
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.formparser import FormDataParser

from graph_service import formats
from graph_service.formats import Format
from graph_service.store.guarded_update import GraphChange
from graph_service.store.loading import ValidationFailed
from graph_service.vocabulary import graph_iri
from graph_service.web import negotiation, uploads
from graph_service.web.authorization import require_update_token
from graph_service.web.context import get_config, get_store, get_writes
from graph_service.web.dataset import conditional, export
from graph_service.web.errors import HttpError

blueprint = Blueprint("graph_store", __name__)

ALLOWED = ("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS")
ALLOW = ", ".join(ALLOWED)
GRAPH_OFFERED = formats.offer(formats.GRAPH_FORMATS)  # GET of one graph
DATASET_FORMATS = (formats.TRIG, formats.NQUADS, formats.JSONLD)  # GET of the whole store
DATASET_OFFERED = formats.offer(DATASET_FORMATS)
BODY_FORMATS = formats.offer(formats.RDF_FORMATS)  # what PUT and POST read
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class Target:
    """The graph a request names: an IRI, or None for the store's default graph."""

    graph: str | None

    def __str__(self) -> str:
        return f"<{self.graph}>" if self.graph else "the default graph"


@blueprint.route(
    "/store",
    methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"],
    provide_automatic_options=False,
)
def graph_store():
    method = request.method
    if method == "OPTIONS":
        return no_content(Allow=ALLOW)
    if method not in ALLOWED:
        raise HttpError(405, f"{method} is not allowed on /store", Allow=ALLOW)
    if method in ("GET", "HEAD"):
        target = read_target()
        return get_dataset() if target is None else get_graph(target)
    require_update_token(f"{method} on /store")
    target = read_target()
    if method == "POST":
        return post_new() if target is None else post(target)
    if target is None:
        raise HttpError(
            400,
            f"{method} needs ?graph=<IRI> or ?default: the whole store is not replaced "
            "or deleted over HTTP (`kg load` replaces the curated graphs)",
        )
    return put(target) if method == "PUT" else delete(target)


@blueprint.route("/store/<path:rest>", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def direct_identification(rest: str):
    graph = urllib.parse.quote(request.base_url, safe="")
    raise HttpError(
        404,
        "direct graph identification is not supported: graphs are named by IRI, as in "
        f"/store?graph={graph} (docs/decisions/0006-graph-store-protocol.md)",
    )


@blueprint.after_request
def add_cors_headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Location, ETag, Last-Modified"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOW
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def read_target() -> Target | None:
    """`?graph=<IRI>` or `?default`; None when the request names neither."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if len(graphs) > 1:
        raise HttpError(400, f"exactly one graph= is allowed, got {len(graphs)}")
    if graphs and default:
        raise HttpError(400, "send either graph=<IRI> or default, not both")
    if default:
        return Target(None)
    if not graphs:
        return None
    try:
        ox.NamedNode(graphs[0])
    except ValueError as error:
        raise HttpError(
            400,
            f"graph={graphs[0]!r} is not an absolute IRI ({error}); send the graph's full "
            "IRI, percent-encoded",
        ) from None
    return Target(graphs[0])


# Reading


def get_graph(target: Target) -> Response:
    store = get_store()
    if target.graph is not None and not store.contains_graph(target.graph):
        raise HttpError(
            404, f"the store has no graph {target}; the named graphs are listed at /graph/"
        )
    media_type = negotiate(GRAPH_OFFERED)
    rdf_format = GRAPH_OFFERED[media_type]
    body = store.cache.get(
        ("store", target.graph, rdf_format.name),
        lambda: store.export_graph(rdf_format, target.graph),
    )
    response = Response(body, content_type=rdf_format.content_type, headers={"Vary": "Accept"})
    return conditional(response, "store", target.graph or "", media_type)


def get_dataset() -> Response:
    media_type = negotiate(
        DATASET_OFFERED, "; one graph is available with ?graph=<IRI> or ?default"
    )
    rdf_format = DATASET_OFFERED[media_type]
    response = Response(
        export(rdf_format), content_type=rdf_format.content_type, headers={"Vary": "Accept"}
    )
    return conditional(response, "store", media_type)


def negotiate(offered: dict[str, Format], hint: str = "") -> str:
    media_type = negotiation.choose(
        request.headers.get("Accept"), list(offered), request.args.get("format")
    )
    if media_type is None:
        available = ", ".join(dict.fromkeys(f.media_type for f in offered.values()))
        raise HttpError(406, f"this is available as {available}{hint}")
    return media_type


# Writing


def put(target: Target) -> Response:
    triples = graph_body(target)
    existed = write([GraphChange(target.graph, triples, replace=True)])
    return created(target) if target.graph not in existed and triples else no_content()


def post(target: Target) -> Response:
    triples = graph_body(target)
    existed = write([GraphChange(target.graph, triples, replace=False)])
    return created(target) if target.graph not in existed and triples else no_content()


def delete(target: Target) -> Response:
    existed = write([GraphChange(target.graph, (), replace=True)])
    if target.graph not in existed:
        raise HttpError(404, f"the store has no graph {target}")
    return no_content()


def post_new() -> Response:
    """POST /store: a graph document becomes a new graph named under the base IRI (its
    IRI in `Location`); a dataset document's graphs are merged into the store's."""
    rdf_format = body_format()
    if rdf_format is not None and rdf_format.holds_graphs:
        quads = uploads.parse(uploads.read_body(), rdf_format, rename_blank_nodes=True)
        graphs: dict[str | None, list[ox.Triple]] = {}
        for quad in quads:
            if isinstance(quad.graph_name, ox.BlankNode):
                raise HttpError(400, f"the graph name {quad.graph_name} is not an IRI")
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
            graphs.setdefault(name, []).append(quad.triple)
        write([GraphChange(name, triples, replace=False) for name, triples in graphs.items()])
        return no_content()
    target = Target(graph_iri(get_config().base_iri, f"posted-{uuid.uuid4().hex}"))
    triples = graph_body(target, rdf_format)
    if not triples:
        raise HttpError(400, "the body holds no triples: there is no graph to create")
    write([GraphChange(target.graph, triples, replace=False)])
    return created(target, location=True)


def body_format() -> Format | None:
    """The format of the body from its Content-Type; None for multipart/form-data (POST)."""
    media_type = request.mimetype
    if not media_type:
        raise HttpError(400, f"a {request.method} to /store needs a Content-Type")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise HttpError(415, f"the body must be UTF-8, not {charset}")
    if media_type == MULTIPART and request.method == "POST":
        return None
    rdf_format = BODY_FORMATS.get(media_type)
    if rdf_format is None:
        accepted = ", ".join(f.media_type for f in formats.RDF_FORMATS)
        extra = f" or {MULTIPART}" if request.method == "POST" else ""
        raise HttpError(415, f"unsupported Content-Type {media_type!r}; send {accepted}{extra}")
    return rdf_format


def graph_body(target: Target, rdf_format: Format | None = None) -> list[ox.Triple]:
    """The triples of the body, for one graph: relative IRIs resolve against the graph's
    IRI; blank nodes are new ones, never those already in the store; a TriG or N-Quads
    body may hold triples of its default graph only."""
    rdf_format = rdf_format or body_format()
    documents = parts() if rdf_format is None else [(rdf_format, uploads.read_body(), "the body")]
    triples: list[ox.Triple] = []
    for document_format, data, what in documents:
        quads = uploads.parse(
            data, document_format, base_iri=target.graph, rename_blank_nodes=True, what=what
        )
        for quad in quads:
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                raise HttpError(
                    400,
                    f"{what} names the graph {quad.graph_name}: a write to {target} takes "
                    "triples only (POST a dataset to /store without graph= to write several "
                    "graphs)",
                )
            triples.append(quad.triple)
    return triples


def parts() -> list[tuple[Format, bytes, str]]:
    """The RDF documents of a multipart/form-data body, one per file part."""
    body = uploads.read_body()
    parser = FormDataParser(silent=False)
    try:
        _, _, files = parser.parse(io.BytesIO(body), MULTIPART, len(body), request.mimetype_params)
    except ValueError as error:
        raise HttpError(400, f"the multipart/form-data body is malformed: {error}") from None
    documents = []
    for name, part in files.items(multi=True):
        rdf_format = BODY_FORMATS.get(part.mimetype) or formats.by_path(part.filename or "")
        if rdf_format is None:
            raise HttpError(415, f"the part {name!r} has an unsupported Content-Type")
        documents.append((rdf_format, part.read(), f"the part {name!r}"))
    if not documents:
        raise HttpError(400, "the multipart/form-data body has no file parts")
    return documents


def write(changes: list[GraphChange]) -> set[str | None]:
    try:
        return get_writes().apply_graph_changes(changes)
    except ValidationFailed as error:
        raise HttpError(
            422,
            f"the {request.method} was not applied: the store it would leave "
            f"violates the shapes\n\n{error.report.text()}",
        ) from error


def created(target: Target, location: bool = False) -> Response:
    url = f"{request.base_url}?graph={urllib.parse.quote(target.graph or '', safe='')}"
    response = Response(
        f"created the graph {target}: {url}\n",
        status=201,
        content_type=formats.content_type("text/plain"),
    )
    if location:
        response.headers["Location"] = target.graph
    return response


def no_content(**headers: str) -> Response:
    response = Response(status=204, headers=headers)
    del response.headers["Content-Type"]
    return response
