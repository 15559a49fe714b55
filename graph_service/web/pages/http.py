"""The HTTP side of the pages: which representation to send (Accept, `format=`, or a file
extension), the headers every page carries (Vary, Link, ETag, Last-Modified), RDF bodies."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Response, render_template, request

from graph_service import formats
from graph_service.formats import HTML, Format
from graph_service.sparql.serializers import serialize_graph
from graph_service.web import negotiation
from graph_service.web.context import get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages import descriptions as d
from graph_service.web.pages.ui import Ui

OFFERED = [HTML] + [f.media_type for f in formats.GRAPH_FORMATS]
PAGE_LIMIT = 100_000


def here(ui: Ui) -> str:
    """This page's absolute URL without the language choice: the canonical link of pages
    that are not resources (home, listings, search)."""
    query = {k: val for k, val in ui.args.items() if k != "lang"}
    return ui.root_url + ui.script_root + ui.path + ("?" + urlencode(query) if query else "")


def negotiate(extension: str | None = None) -> str:
    """The media type to answer with; 406 when none fits."""
    if extension:
        chosen_format = formats.by_extension(extension, formats.GRAPH_FORMATS)
        return chosen_format.media_type if chosen_format else HTML
    chosen = negotiation.choose(request.headers.get("Accept"), OFFERED, request.args.get("format"))
    if chosen is None:
        wanted = request.args.get("format") or request.headers.get("Accept", "")
        raise HttpError(
            406, f"406 Not Acceptable: cannot produce {wanted!r}; available: {', '.join(OFFERED)}"
        )
    return chosen


def alternates(local: str) -> list[tuple[str, str, str]]:
    """(media type, extension, URL) of each RDF representation of the page at `local`."""
    return [(f.media_type, f.extension, f"{local}.{f.extension}") for f in formats.GRAPH_FORMATS]


def finish(response: Response, canonical: str | None, alternates_base: str | None) -> Response:
    """Vary, Link, ETag and Last-Modified (when the store's content last changed); answers
    304 when the client's copy is current."""
    response.headers["Vary"] = "Accept, Accept-Language"
    links = []
    if canonical:
        links.append(f'<{canonical}>; rel="canonical"')
    if alternates_base:
        links.append(f'<{alternates_base}>; rel="alternate"; type="text/html"')
        links.extend(
            f'<{url}>; rel="alternate"; type="{media}"'
            for media, _, url in alternates(alternates_base)
        )
    if links:
        response.headers["Link"] = ", ".join(links)
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.last_modified = datetime.fromtimestamp(get_store().cache.since(), UTC)
    response.make_conditional(request)
    return response


def rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    rdf_format: Format | None = formats.by_media_type(media_type, formats.GRAPH_FORMATS)
    if rdf_format is None:
        raise HttpError(406, f"406 Not Acceptable: no RDF format {media_type!r}")
    body = serialize_graph(rdf_format, triples)
    return Response(body, 200, content_type=rdf_format.content_type)


def html(template: str, status: int = 200, **context) -> Response:
    body = render_template(template, **context)
    return Response(body, status, content_type=formats.content_type(HTML))


def page_number(name: str = "page") -> int:
    try:
        return max(1, min(int(request.args.get(name, "1")), PAGE_LIMIT))
    except ValueError:
        raise HttpError(400, f"400 Bad Request: {name} must be a positive integer") from None


def split_extension(path: str, base: str) -> tuple[str, str | None]:
    """`body/wg-tip.ttl` -> (`body/wg-tip`, `ttl`) unless the path with the dot is itself a
    resource (document keys contain dots)."""
    stem, dot, extension = path.rpartition(".")
    known = formats.by_extension(extension, formats.GRAPH_FORMATS) is not None
    if dot and (known or extension == "html"):
        if not d.exists(get_store(), base + path) and d.exists(get_store(), base + stem):
            return stem, extension
    return path, None
