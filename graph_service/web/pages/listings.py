"""The pages that list: home, instances of a class, search, named graphs and one graph's
subjects. Whole-store counts are computed once per store state."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, request
from flask_babel import gettext

from graph_service import formats, i18n
from graph_service.formats import HTML
from graph_service.vocabulary import document_iri, entity_iri, expand, graph_iri
from graph_service.web.context import get_config, get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import http, not_found, schema_org, structure
from graph_service.web.pages.ui import Ui, natural_key, request_ui

blueprint = Blueprint("listings", __name__)

PAGE_SIZE = 50
MAX_QUERY_TEXT = 200


@blueprint.get("/")
def home():
    ui = request_ui()
    base = get_config().base_iri
    store = get_store()
    counts = store.cache.get(
        ("class_counts", base),
        lambda: d.rows(store, "class_counts", prefix=ox.Literal(entity_iri(base, ""))),
    )
    classes = [r["class"].value for r in counts]
    ui.ensure_labels(classes)
    count_rows = [
        {
            "iri": c,
            "text": i18n.capitalize(ui.label(c)),
            "count": int(r["n"].value),
            "list": ui.local("/list", **{"class": ui.curie(c)}),
        }
        for c, r in zip(classes, counts, strict=True)
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
    total = get_store().cache.get(
        ("count_class", class_iri),
        lambda: int(d.rows(get_store(), "count_class", **{"class": this})[0]["n"].value),
    )
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
        found = d.rows(
            get_store(),
            "search",
            q=ox.Literal(q),
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
        items = [r["r"].value for r in found[:PAGE_SIZE]]
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
    stats = get_store().stats()["graphs"]
    items = sorted(stats)
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
        row["count"] = stats[row["iri"]]
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
    size = get_store().cache.get(
        ("graph_size", iri), lambda: d.rows(get_store(), "graph_size", graph=this)[0]
    )
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
        total=int(size["subjects"].value),
        heading_href=None,
        graph={
            "iri": iri,
            "triples": int(size["n"].value),
            "source": ui.value(ox.NamedNode(source)) if has_source else None,
            "formats": http.alternates(local),
        },
    )
    return http.finish(http.html("list.html", **context), iri, local)
