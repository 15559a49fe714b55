"""The pages that list: home, instances of a class, search, named graphs and one graph's
subjects. Whole-store counts come from the aggregates computed off the request path
(store/aggregates.py); a page shows none while they have never been counted."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, request
from flask_babel import gettext

from graph_service import formats, i18n
from graph_service.formats import HTML
from graph_service.store.aggregates import NotReady
from graph_service.store.graph_sizes import graph_sizes
from graph_service.vocabulary import document_iri, expand, graph_iri
from graph_service.web.context import get_aggregates, get_config, get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages import counts as aggregate_counts
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import http, not_found, schema_org, search_index, structure
from graph_service.web.pages.ui import Ui, natural_key, request_ui

blueprint = Blueprint("listings", __name__)

PAGE_SIZE = 50
MAX_QUERY_TEXT = 200


@blueprint.get("/")
def home():
    ui = request_ui()
    base = get_config().base_iri
    try:
        counts = aggregate_counts.classes(get_aggregates(), base)
    except NotReady:
        counts = []
    ui.ensure_labels([c for c, _ in counts])
    count_rows = [
        {
            "iri": c,
            "text": i18n.capitalize(ui.label(c)),
            "count": n,
            "list": ui.local("/list", **{"class": ui.curie(c)}),
        }
        for c, n in counts
    ]
    here = http.here(ui)
    return http.finish(
        http.html(
            "home.html",
            ui=ui,
            counts=count_rows,
            structure=structure.diagram(ui),
            canonical=here,
            jsonld=schema_org.dataset_schema_org(ui, here),
        ),
        None,
        None,
    )


def _expand(name: str) -> str | None:
    """A class given as a CURIE (`untoc:WorkingGroup`) or a full IRI."""
    expanded = expand(name) or name
    try:
        return ox.NamedNode(expanded).value
    except ValueError:
        return None


@blueprint.get("/list")
def listing():
    ui = request_ui()
    name = request.args.get("class", "")
    class_iri = _expand(name) if name else None
    if not class_iri:
        raise HttpError(400, "400 Bad Request: give a class, e.g. /list?class=untoc:WorkingGroup")
    page = http.page_number()
    this = ox.NamedNode(class_iri)
    found = d.rows(
        get_store(),
        "list_class",
        **{"class": this},
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    total = aggregate_counts.class_total(get_aggregates(), class_iri)
    items = [r["s"].value for r in found[:PAGE_SIZE]]
    return http.finish(
        http.html(
            "list.html",
            **_list_context(
                ui,
                items,
                page,
                len(found) > PAGE_SIZE,
                title=i18n.capitalize(ui.label(class_iri)),
                total=total,
                canonical=http.here(ui),
                heading_href=ui.href(class_iri),
            ),
        ),
        None,
        None,
    )


def _list_context(ui: Ui, items: list[str], page: int, has_more: bool, **extra) -> dict:
    ui.ensure_labels(items)
    # The query orders by IRI; people expect "paragraph 2" before "paragraph 10".
    items = sorted(items, key=natural_key)
    types = d.fetch_types(get_store(), items)
    ui.ensure_labels({t for ts in types.values() for t in ts})
    rows = [
        {
            "href": ui.href(i),
            "text": i18n.capitalize(ui.label(i)),
            "iri": i,
            "types": sorted(ui.label(t) for t in types.get(i, [])),
        }
        for i in items
    ]
    return {
        "ui": ui,
        "items": rows,
        "page": page,
        "first": (page - 1) * PAGE_SIZE + 1,
        "prev": ui.page_url(page=page - 1) if page > 1 else None,
        "next": ui.page_url(page=page + 1) if has_more else None,
        **extra,
    }


@blueprint.get("/search")
def search():
    ui = request_ui()
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY_TEXT:
        raise HttpError(400, f"400 Bad Request: q is longer than {MAX_QUERY_TEXT} characters")
    page = http.page_number()
    items, has_more = [], False
    if q:
        found = search_index.search(
            get_aggregates(), get_store(), q, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
        )
        items = found[:PAGE_SIZE]
        has_more = len(found) > PAGE_SIZE
    return http.finish(
        http.html(
            "list.html",
            **_list_context(
                ui,
                items,
                page,
                has_more,
                title=gettext("Search results"),
                query=q,
                total=None,
                heading_href=None,
                canonical=http.here(ui),
            ),
        ),
        None,
        None,
    )


@blueprint.get("/graph/")
def graphs():
    ui = request_ui()
    sizes = graph_sizes(get_aggregates()) or {}
    items = get_store().named_graphs()
    context = _list_context(
        ui,
        items,
        1,
        False,
        title=gettext("Named graphs"),
        total=len(items),
        heading_href=None,
        canonical=http.here(ui),
    )
    for row in context["items"]:
        row["count"] = sizes[row["iri"]]["triples"] if row["iri"] in sizes else None
    return http.finish(http.html("list.html", **context), None, None)


@blueprint.get("/graph/<path:key>")
def graph(key: str):
    base = get_config().base_iri
    stem, dot, extension = key.rpartition(".")
    known = formats.by_extension(extension, formats.GRAPH_FORMATS)
    if dot and known:
        key = stem
    else:
        extension = ""
    iri = graph_iri(base, key)
    media_type = http.negotiate(extension)
    local = request.script_root + "/graph/" + key
    if iri not in get_store().named_graphs():
        return not_found.page(iri, media_type)
    if media_type != HTML:
        triples = [q.triple for q in get_store().quads(iri)]
        return http.finish(http.rdf_response(triples, media_type), iri, local)
    ui = request_ui()
    page = http.page_number()
    this = ox.NamedNode(iri)
    size = (graph_sizes(get_aggregates()) or {}).get(iri)
    found = d.rows(
        get_store(),
        "graph_subjects",
        graph=this,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    items = [r["s"].value for r in found[:PAGE_SIZE]]
    source = document_iri(base, key)
    has_source = d.exists(get_store(), source)
    title = gettext("Named graph") + f": {key}"
    context = _list_context(
        ui,
        items,
        page,
        len(found) > PAGE_SIZE,
        title=title,
        canonical=iri,
        total=size["subjects"] if size else None,
        heading_href=None,
        graph={
            "iri": iri,
            "triples": size["triples"] if size else None,
            "source": ui.value(ox.NamedNode(source)) if has_source else None,
            "formats": http.alternates(local),
        },
    )
    return http.finish(http.html("list.html", **context), iri, local)
