"""The dataset as a whole: VoID/DCAT description, dumps, sitemap. Whole-store values are
computed once per store state; ETag and Last-Modified follow that state."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Response, request

from graph_service.formats import Format
from graph_service.web.context import get_store


def conditional(response: Response, *parts: str) -> Response:
    """ETag from the store's state and `parts`, Last-Modified from when that state began;
    304 when the client's copy is current."""
    cache = get_store().cache
    digest = hashlib.sha256(repr((cache.tag(), parts)).encode()).hexdigest()
    response.set_etag(digest[:32])
    response.last_modified = datetime.fromtimestamp(cache.since(), UTC)
    response.make_conditional(request)
    return response


def export(rdf_format: Format) -> bytes:
    """The whole store in `rdf_format` (/dumps/, GET /store), made once per store state."""
    store = get_store()
    return store.cache.get(("export", rdf_format.name), lambda: store.export(rdf_format))
