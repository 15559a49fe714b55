"""RDF sent to the service (/validate, /store): the size limit of a body, and parsing in a
limited child process (store/sandbox.py) that answers 400 with the line and column of a
syntax error, or 400/413 for a document beyond the limits."""

from __future__ import annotations

import pyoxigraph as ox
from flask import request

from graph_service.config import Config
from graph_service.formats import Format
from graph_service.store import sandbox
from graph_service.web.context import get_config
from graph_service.web.errors import HttpError

MAX_BODY_BYTES = 2_000_000


def sandbox_limits(config: Config) -> sandbox.Limits:
    return sandbox.Limits(memory_mb=config.sandbox_memory_mb, timeout=config.sandbox_timeout)


def too_large(limit: int = MAX_BODY_BYTES) -> HttpError:
    return HttpError(413, f"the body is larger than {limit} bytes")


def read_body(limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, at most `limit` bytes (413 beyond, also when it is sent chunked)."""
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise too_large(limit)
    return body


def parse(
    data: bytes,
    rdf_format: Format,
    *,
    base_iri: str | None = None,
    rename_blank_nodes: bool = False,
    without_named_graphs: bool = False,
    what: str = "the body",
) -> list[ox.Quad]:
    """The quads of `data` (triples: in the default graph); 400 naming the line and column of
    a syntax error. With `without_named_graphs`, a TriG or N-Quads document that names a graph
    is an error too."""
    try:
        return sandbox.parse(
            data,
            rdf_format,
            base_iri=base_iri,
            rename_blank_nodes=rename_blank_nodes,
            without_named_graphs=without_named_graphs,
            limits=sandbox_limits(get_config()),
        )
    except sandbox.Refused as error:
        raise HttpError(error.status, f"cannot read {what}: {error}") from None
