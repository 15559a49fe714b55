"""/sparql: the SPARQL 1.1 Protocol (query, update with a token, service description), CORS."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, make_response, request

from graph_service import formats
from graph_service.formats import Format
from graph_service.sparql import federation, service_description
from graph_service.sparql.dataset import dataset_for
from graph_service.sparql.errors import QueryError, QuerySyntaxError, upstream_error
from graph_service.sparql.forms import check_complexity, diagnose, load_operations
from graph_service.sparql.scheduling import NoWorkerInTime, TooManyQueries
from graph_service.sparql.update_dataset import DatasetConflict, add_using_clauses
from graph_service.store import StoreFull
from graph_service.store.graph_sizes import graph_sizes
from graph_service.store.loading import ValidationFailed
from graph_service.web import negotiation
from graph_service.web.authorization import require_update_token
from graph_service.web.context import (
    app_state,
    client_address,
    get_aggregates,
    get_config,
    get_store,
    get_writes,
)
from graph_service.web.errors import HttpError
from graph_service.web.load import run_loads
from graph_service.web.query_page import render_query_page

blueprint = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
HANDLED_METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
OFFERED = {
    "boolean": formats.offer(formats.BOOLEAN_FORMATS),
    "solutions": formats.offer(formats.SOLUTION_FORMATS),
    "graph": formats.offer(formats.GRAPH_FORMATS),
}


@dataclass
class Operation:
    kind: str  # "query", "update" or "none"
    text: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()


def no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


@blueprint.route("/sparql", methods=HANDLED_METHODS, provide_automatic_options=False)
def sparql():
    if request.method == "OPTIONS":
        return no_content()
    if request.method not in ("GET", "HEAD", "POST"):
        raise HttpError(
            405,
            f"{request.method} is not allowed on /sparql; use GET or POST",
            Allow="GET, HEAD, POST, OPTIONS",
        )
    operation = read_operation()
    try:
        if operation.kind == "update":
            return run_update(operation)
        if operation.kind == "query":
            return run_query(operation)
        return describe_service()
    except QueryError as error:
        raise HttpError(error.status, str(error)) from error


@blueprint.after_app_request
def add_cors_headers(response: Response) -> Response:
    if request.path.rstrip("/") == "/sparql":
        response.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


# Reading the request


def read_operation() -> Operation:
    args = request.args
    if request.method in ("GET", "HEAD"):
        if "update" in args:
            raise HttpError(400, "SPARQL Update must be sent with POST, not GET")
        text = single(args.getlist("query"), "query")
        kind = "query" if text is not None else "none"
        return dataset(Operation(kind, text or ""), args)

    content_type = request.mimetype
    if content_type == FORM:
        form = request.form
        queries, updates = form.getlist("query"), form.getlist("update")
        if queries and updates:
            raise HttpError(400, "send either query= or update=, not both")
        if not queries and not updates:
            raise HttpError(400, "the form has neither a query= nor an update= field")
        kind = "query" if queries else "update"
        text = single(queries or updates, kind)
        return dataset(Operation(kind, text or ""), args, form)
    if content_type in (SPARQL_QUERY, SPARQL_UPDATE):
        kind = "query" if content_type == SPARQL_QUERY else "update"
        return dataset(Operation(kind, read_body_text()), args)
    if not content_type:
        raise HttpError(
            400,
            f"a POST to /sparql needs a Content-Type: {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}",
        )
    raise HttpError(
        415,
        f"unsupported Content-Type {content_type!r}; use {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}",
    )


def single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise HttpError(400, f"exactly one {name} is allowed, got {len(values)}")
    return values[0] if values else None


def read_body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise HttpError(415, f"the body must be UTF-8, not {charset}")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise HttpError(400, f"the body is not valid UTF-8: {error}") from error


def dataset(operation: Operation, *sources) -> Operation:
    def gather(name: str) -> tuple[str, ...]:
        values = tuple(value for source in sources for value in source.getlist(name))
        for value in values:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise HttpError(400, f"{name}={value!r} is not an IRI") from None
            if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
                raise HttpError(400, f"{name}={value!r} is not an absolute IRI") from None
        return values

    operation.default_graphs = gather("default-graph-uri")
    operation.named_graphs = gather("named-graph-uri")
    operation.using_graphs = gather("using-graph-uri")
    operation.using_named_graphs = gather("using-named-graph-uri")
    if operation.kind == "query" and (operation.using_graphs or operation.using_named_graphs):
        raise HttpError(400, "using-graph-uri / using-named-graph-uri apply to updates only")
    if operation.kind == "update" and (operation.default_graphs or operation.named_graphs):
        raise HttpError(
            400,
            "default-graph-uri / named-graph-uri apply to queries only; "
            "updates use using-graph-uri / using-named-graph-uri",
        )
    return operation


def check_length(text: str) -> None:
    limit = get_config().max_query_length
    if len(text) > limit:
        status = 414 if request.method in ("GET", "HEAD") else 413
        raise HttpError(
            status, f"the request text has {len(text)} characters; the limit is {limit}"
        )


def check_services(text: str) -> None:
    """The federation allow-list: refuse a SERVICE towards an unlisted endpoint."""
    try:
        federation.check_query_services(text, get_config())
    except federation.ServiceNotAllowed as error:
        raise HttpError(403, str(error)) from error


# Queries


def negotiate(offered: dict[str, Format]) -> str | None:
    """The media type to answer a result of this kind with (a key of `offered`), from
    `format=` or Accept; None when the client accepts none of them."""
    wanted_formats = request.values.getlist("format")
    if wanted_formats:
        for value in wanted_formats:
            chosen = negotiation.choose(None, list(offered), value)
            if chosen:
                return chosen
        return None
    return negotiation.choose(request.headers.get("Accept"), list(offered))


def run_query(operation: Operation) -> Response:
    check_length(operation.text)
    if wants_query_page():
        return make_response(render_query_page(query=operation.text))
    check_services(operation.text)
    media_types = {form: negotiate(offered) for form, offered in OFFERED.items()}
    if not any(media_types.values()):
        asked = request.values.get("format") or request.headers.get("Accept", "")
        everything = ", ".join(dict.fromkeys(m for o in OFFERED.values() for m in o))
        raise HttpError(406, f"cannot answer with {asked!r}; available: {everything}")
    wanted = {
        form: OFFERED[form][media].name if media else None for form, media in media_types.items()
    }
    state = app_state()
    try:
        check_complexity(operation.text, "query")
        deadline = time.monotonic() + get_config().query_timeout
        with state.scheduler.slot(client_address(), deadline):
            answer = state.runner.run(
                operation.text,
                dataset=dataset_for(
                    operation.text, operation.default_graphs, operation.named_graphs
                ),
                base_iri=request.base_url,
                wanted=wanted,
            )
    except TooManyQueries as error:
        raise HttpError(429, str(error), retry_after=5) from error
    except NoWorkerInTime as error:
        raise HttpError(503, str(error), retry_after=30) from error
    except QuerySyntaxError as error:
        raise HttpError(400, str(diagnose(operation.text, "query", error))) from error
    headers = {"Vary": "Accept"}
    if answer.header.truncated:
        # As Virtuoso does: the answer holds the first N rows; page with LIMIT and OFFSET.
        headers["X-SPARQL-MaxRows"] = str(get_config().max_result_rows)
    media_type = media_types[answer.header.form]
    return Response(
        answer.chunks(),
        status=200,
        content_type=formats.content_type(media_type or answer.format.media_type),
        headers=headers,
    )


def wants_query_page() -> bool:
    """A browser following a "query this" link (GET, Accept naming text/html first, no
    format=) gets the query page with the query filled in and run, not raw results."""
    if request.method not in ("GET", "HEAD") or "format" in request.values:
        return False
    alternatives = [*OFFERED["solutions"], *OFFERED["graph"]]
    return negotiation.prefers_html(request.headers.get("Accept"), alternatives)


# Updates


def run_update(operation: Operation) -> Response:
    require_update_token("SPARQL Update")
    check_length(operation.text)
    text = operation.text
    if operation.using_graphs or operation.using_named_graphs:
        try:
            text = add_using_clauses(text, operation.using_graphs, operation.using_named_graphs)
        except DatasetConflict as error:
            raise HttpError(400, str(error)) from error
    check_services(text)  # the update as it will run, with the protocol's USING clauses
    try:
        check_complexity(text, "update")
        loads = load_operations(text)
        if loads:
            run_loads(get_writes(), loads, get_config())
        else:
            get_writes().apply_update(text, base_iri=request.base_url)
    except QuerySyntaxError as error:
        raise HttpError(400, str(error)) from error
    except SyntaxError as error:
        raise HttpError(400, str(diagnose(text, "update", error))) from error
    except ValidationFailed as error:
        raise HttpError(
            422,
            "the update was not applied: the store it would leave "
            f"violates the shapes\n\n{error.report.text()}",
        ) from error
    except RuntimeError as error:  # CREATE of a graph that exists, DROP of one that does not
        raise HttpError(400, f"the update cannot be applied: {error}") from error
    except StoreFull:
        raise  # 507, by the app's handler
    except OSError as error:  # a SERVICE in the WHERE clause failed
        failure = upstream_error(error)
        raise HttpError(failure.status, str(failure)) from error
    return no_content()


# The service description and the query page


def describe_service() -> Response:
    offered = {**OFFERED["graph"], formats.HTML: None}
    media_type = negotiation.choose(
        request.headers.get("Accept"), list(offered), request.args.get("format")
    )
    if media_type is None:
        raise HttpError(406, f"the service description is available as {', '.join(offered)}")
    description_format = offered[media_type]
    if description_format is None:  # text/html
        page = make_response(render_query_page())
        page.headers["Vary"] = "Accept"
        return page
    counted = graph_sizes(get_aggregates())
    triples = service_description.describe(
        get_store().named_graphs(),
        {g: size["triples"] for g, size in counted.items()} if counted is not None else None,
        get_config(),
        request.base_url,
        graph_store_url=request.url_root + "store",
    )
    return Response(
        service_description.serialize(triples, description_format),
        content_type=formats.content_type(media_type),
        headers={"Vary": "Accept"},
    )
