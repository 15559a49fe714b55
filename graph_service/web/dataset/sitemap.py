"""/sitemap.xml (split into pages of `Config.sitemap_limit` URLs past that) and /robots.txt.
The resources are a whole-store aggregate, listed off the request path once per store
revision (store/aggregates.py); a request reads one page of them."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response, request

from graph_service.store import Store, queries
from graph_service.store.aggregates import Aggregates, Result
from graph_service.web.context import get_aggregates, get_config
from graph_service.web.dataset import conditional
from graph_service.web.errors import HttpError

blueprint = Blueprint("sitemap", __name__)

STATIC_PATHS = ("", "ontology", "void", "sparql", "dumps/", "coverage", "calendar")
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def resource_paths(store: Store, base_iri: str) -> Iterator[str]:
    for prefix in ("id/", "graph/"):
        rows = queries.run(store, "void/resources", idSpace=ox.Literal(base_iri + prefix))
        yield from (row["s"].value[len(base_iri) :] for row in rows)


def aggregate_name(base_iri: str) -> str:
    return "sitemap " + base_iri


def define(aggregates: Aggregates, base_iri: str) -> None:
    aggregates.define(
        aggregate_name(base_iri), lambda store: Result(None, resource_paths(store, base_iri))
    )


def _document(root_tag: str, entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root_tag} xmlns="{SITEMAPS}">\n{entries}</{root_tag}>\n'
    )


@blueprint.get("/sitemap.xml")
def sitemap():
    config, aggregates = get_config(), get_aggregates()
    limit = config.sitemap_limit
    found = aggregates.get(aggregate_name(config.base_iri))
    total = len(STATIC_PATHS) + found.rows
    pages = max(1, -(-total // limit))
    root = request.url_root
    page = request.args.get("page")
    if page is None and pages > 1:
        entries = "".join(
            f"<sitemap><loc>{escape(f'{root}sitemap.xml?page={n}')}</loc></sitemap>\n"
            for n in range(1, pages + 1)
        )
        xml = _document("sitemapindex", entries)
    else:
        number = int(page) if page and page.isdigit() else 0 if page else 1
        if not 1 <= number <= pages:
            raise HttpError(404, f"sitemap page must be between 1 and {pages}")
        start, stop = (number - 1) * limit, number * limit
        chunk = list(STATIC_PATHS[start:stop])
        skip = len(STATIC_PATHS)
        chunk += aggregates.rows(found, max(0, start - skip), stop - skip)
        entries = "".join(
            f"<url><loc>{escape(root + quote(p, safe='/:@!$&()*+,;=-._~%'))}</loc></url>\n"
            for p in chunk
        )
        xml = _document("urlset", entries)
    response = Response(xml, content_type="application/xml; charset=utf-8")
    return conditional(response, "sitemap", root, page or "", str(found.id))


@blueprint.get("/robots.txt")
def robots():
    root = request.url_root
    body = (
        "User-agent: *\n"
        "Allow: /\n"
        "# Queries are for people and programs, not crawlers; the dumps are the bulk access.\n"
        "Disallow: /sparql?\n"
        f"Sitemap: {root}sitemap.xml\n"
    )
    return Response(body, mimetype="text/plain")
