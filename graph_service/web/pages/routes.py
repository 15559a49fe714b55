"""Linked-data pages: every IRI under the base dereferences to HTML for people and to
Turtle, N-Triples, JSON-LD or RDF/XML for machines (Accept, file extension or `format`)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from graph_service import i18n
from graph_service.web import negotiation
from graph_service.web.app import get_config, get_store
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import diagrams as svg
from graph_service.web.pages import views as v

blueprint = Blueprint("pages", __name__)

PAGE_SIZE = 50
MAX_QUERY_TEXT = 200
MAX_DIAGRAM_BODIES = 12
SUGGEST_SCAN = 2000


@dataclass(frozen=True)
class RdfFormat:
    name: str
    media_type: str
    extension: str
    oxigraph: ox.RdfFormat


RDF_FORMATS = [
    RdfFormat("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
    RdfFormat("ntriples", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    RdfFormat("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    RdfFormat("rdfxml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
]
BY_MEDIA_TYPE = {f.media_type: f for f in RDF_FORMATS}
BY_EXTENSION = {f.extension: f for f in RDF_FORMATS}
HTML = "text/html"
OFFERED = [HTML] + [f.media_type for f in RDF_FORMATS]


@blueprint.record_once
def _remember_start(state) -> None:
    # Data only changes by `kg load` while the server is stopped, so the start time is a safe
    # Last-Modified.
    state.app.extensions.setdefault("pages_started", int(time.time()))


# ---------------------------------------------------------------- HTTP machinery


def _ui() -> v.Ui:
    lang, explicit = i18n.choose_language(request.args.get("lang"), request.accept_languages)
    ui = v.Ui(
        get_store(),
        get_config().base_iri,
        lang,
        explicit,
        request.script_root,
        request.path,
        {k: val for k, val in request.args.items()},
    )
    ui.root_url = request.host_url.rstrip("/")
    return ui


def _here(ui: v.Ui) -> str:
    """This page's absolute URL without the language choice: the canonical link of pages
    that are not resources (home, listings, search)."""
    query = {k: val for k, val in ui.args.items() if k != "lang"}
    return ui.root_url + ui.script_root + ui.path + ("?" + urlencode(query) if query else "")


def _negotiate(extension: str | None = None) -> str:
    """The media type to answer with; 406 with a plain message when none fits."""
    if extension:
        return BY_EXTENSION[extension].media_type if extension in BY_EXTENSION else HTML
    chosen = negotiation.choose(request.headers.get("Accept"), OFFERED, request.args.get("format"))
    if chosen is None:
        wanted = request.args.get("format") or request.headers.get("Accept", "")
        abort(
            Response(
                f"406 Not Acceptable: cannot produce {wanted!r}; available: {', '.join(OFFERED)}\n",
                406,
                mimetype="text/plain",
            )
        )
    return chosen


def _finish(response: Response, canonical: str | None, alternates_base: str | None) -> Response:
    """Vary, Link, ETag and Last-Modified; answers 304 when the client's copy is current."""
    response.headers["Vary"] = "Accept, Accept-Language"
    links = []
    if canonical:
        links.append(f'<{canonical}>; rel="canonical"')
    if alternates_base:
        links.append(f'<{alternates_base}>; rel="alternate"; type="text/html"')
        links.extend(
            f'<{alternates_base}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
            for f in RDF_FORMATS
        )
    if links:
        response.headers["Link"] = ", ".join(links)
    body = response.get_data()
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    from flask import current_app

    response.last_modified = current_app.extensions.get("pages_started", int(time.time()))
    return response.make_conditional(request)


def _rdf_response(triples: list[ox.Triple], media_type: str) -> Response:
    rdf_format = BY_MEDIA_TYPE[media_type]
    kwargs = {"prefixes": v.PREFIXES} if rdf_format.name in ("turtle", "rdfxml") else {}
    body = ox.serialize(triples, format=rdf_format.oxigraph, **kwargs) or b""
    mimetype = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
    return Response(body, 200, content_type=mimetype)


def _html(template: str, status: int = 200, **context) -> Response:
    body = render_template(template, **context)
    return Response(body, status, content_type="text/html; charset=utf-8")


def _page_number(name: str = "page") -> int:
    try:
        return max(1, min(int(request.args.get(name, "1")), 100_000))
    except ValueError:
        abort(
            Response(
                f"400 Bad Request: {name} must be a positive integer\n", 400, mimetype="text/plain"
            )
        )


def _split_extension(path: str, base: str) -> tuple[str, str | None]:
    """`body/wg-tip.ttl` -> (`body/wg-tip`, `ttl`) unless the path with the dot is itself a
    resource (document keys contain dots)."""
    stem, dot, extension = path.rpartition(".")
    if dot and (extension in BY_EXTENSION or extension == "html"):
        if not d.exists(get_store(), base + path) and d.exists(get_store(), base + stem):
            return stem, extension
    return path, None


# ---------------------------------------------------------------- routes


@blueprint.get("/id/<path:path>")
def resource(path: str):
    base = get_config().base_iri
    path, extension = _split_extension(path, base + "id/")
    iri = base + "id/" + path
    media_type = _negotiate(extension)
    if not d.exists(get_store(), iri):
        return _not_found(iri, media_type)
    page = _page_number("in_page")
    desc = d.describe(get_store(), iri, page=page, page_size=PAGE_SIZE)
    local = request.script_root + "/id/" + path
    if media_type != HTML:
        return _finish(_rdf_response(desc.triples(), media_type), iri, local)
    ui = _ui()
    return _finish(_html("resource.html", **_resource_context(ui, desc, local)), iri, local)


def _resource_context(ui: v.Ui, desc: d.Description, local: str) -> dict:
    ui.remember(desc.labels)
    iri = desc.iri
    types = desc.types()
    ui.ensure_labels(types)
    sources = sorted(
        {o.value for o in desc.values(iri, v.DCTERMS + "source") if isinstance(o, ox.NamedNode)}
    )
    context = {
        "ui": ui,
        "iri": iri,
        "title": i18n.capitalize(ui.label(iri)),
        "canonical": iri,
        "types": [{"href": ui.href(t), "text": ui.label(t)} for t in types],
        "groups": v.group_properties(ui, iri, desc.outgoing),
        "parts": v.document_parts(ui, desc),
        "sources": v.source_quotes(ui, sources),
        "external": [
            ui.value(o)
            for p in (v.OWL + "sameAs", v.SKOS + "exactMatch", v.SKOS + "closeMatch")
            for o in desc.values(iri, p)
            if isinstance(o, ox.NamedNode)
        ],
        "incoming": [
            {
                "subject": ui.value(t.subject),
                "property": ui.prop_label(t.predicate.value),
                "property_href": ui.href(t.predicate.value),
            }
            for t in desc.incoming
        ],
        "incoming_page": desc.incoming_page,
        "incoming_prev": ui.page_url(in_page=desc.incoming_page - 1)
        if desc.incoming_page > 1
        else None,
        "incoming_next": ui.page_url(in_page=desc.incoming_page + 1)
        if desc.incoming_has_more
        else None,
        "queries": v.sparql_links(ui, iri),
        "formats": [(f.media_type, f.extension, local + "." + f.extension) for f in RDF_FORMATS],
        "jsonld": v.schema_org(ui, desc),
        "body": None,
        "instrument": None,
        "document": None,
        "meeting": None,
    }
    type_set = set(types)
    if type_set & v.BODY_TYPES:
        context["body"] = v.body_sections(ui, iri)
    if type_set & v.INSTRUMENT_TYPES:
        context["instrument"] = v.instrument_sections(ui, iri)
    if type_set & v.DOCUMENT_TYPES:
        context["document"] = v.document_sections(ui, iri)
        context["document"]["symbol"] = [
            o.value for o in desc.values(iri, v.UNTOC + "documentSymbol")
        ]
        context["document"]["issued"] = [
            ui.date(o.value) for o in desc.values(iri, v.DCTERMS + "issued")
        ]
        context["document"]["submitted_to"] = [
            ui.value(o) for o in desc.values(iri, v.UNTOC + "submittedTo")
        ]
    if type_set & v.MEETING_TYPES:
        context["meeting"] = v.meeting_sections(ui, iri)
    return context


def _not_found(iri: str, media_type: str) -> Response:
    if media_type != HTML:
        response = Response(
            f"404 Not Found: no resource <{iri}> in the graph\n", 404, mimetype="text/plain"
        )
        response.headers["Vary"] = "Accept, Accept-Language"
        return response
    ui = _ui()
    suggestions = _suggest(ui, iri)
    response = _html("not_found.html", 404, ui=ui, iri=iri, suggestions=suggestions)
    response.headers["Vary"] = "Accept, Accept-Language"
    return response


@blueprint.app_errorhandler(404)
def _no_route(error):
    """A path no route serves (`/foo`) is an unknown IRI under the base too: the same page
    as an unknown `/id/` IRI for browsers, plain text for programs. A 404 raised by a view
    keeps that view's own message."""
    if request.url_rule is not None:
        return error
    iri = get_config().base_iri + request.path.lstrip("/")
    wants_html = request.accept_mimetypes.best_match([HTML, "text/plain"]) == HTML
    return _not_found(iri, HTML if wants_html else "text/plain")


def _suggest(ui: v.Ui, iri: str, limit: int = 10) -> list[dict]:
    """Resources whose IRI shares the longest prefix with the unknown one, then label matches
    for the words of its last segment. A bounded number of small queries."""
    folder, _, key = iri.rpartition("/")
    found: list[str] = []

    def add(rows) -> None:
        for row in rows:
            if row["r"].value not in found and len(found) < limit:
                found.append(row["r"].value)

    # One scan for the shortest prefix worth trying (half the key), ranked here by the
    # length of the prefix shared with the unknown IRI, then by length.
    prefix = f"{folder}/{key[: max(2, len(key) // 2)]}"
    candidates = [
        r["r"].value
        for r in d.rows(get_store(), "suggest_iri", prefix=ox.Literal(prefix), limit=SUGGEST_SCAN)
    ]

    def shared(candidate: str) -> int:
        return next(
            (i for i, (a, b) in enumerate(zip(candidate, iri, strict=False)) if a != b),
            min(len(candidate), len(iri)),
        )

    candidates.sort(key=lambda c: (-shared(c), len(c), c))
    if candidates:
        best = shared(candidates[0])
        add([{"r": ox.NamedNode(c)} for c in candidates if shared(c) == best])
    words = [w for w in key.replace("_", "-").replace(".", "-").split("-") if len(w) >= 3]
    for term in sorted(words, key=len, reverse=True)[:2]:
        if len(found) >= limit:
            break
        add(d.rows(get_store(), "search", q=ox.Literal(term[:MAX_QUERY_TEXT]), limit=limit))
    ui.ensure_labels(found)
    return [{"href": ui.href(i), "text": ui.label(i), "iri": i} for i in found]


@blueprint.get("/")
def home():
    ui = _ui()
    base = get_config().base_iri
    counts = d.cached(
        get_store(),
        ("class_counts", base),
        lambda: d.rows(get_store(), "class_counts", prefix=ox.Literal(base + "id/")),
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
    here = _here(ui)
    return _finish(
        _html(
            "home.html",
            ui=ui,
            counts=count_rows,
            structure=_structure(ui),
            canonical=here,
            jsonld=v.dataset_schema_org(ui, here),
        ),
        None,
        None,
    )


def _structure(ui: v.Ui):
    """The diagram of one parent body (the dataset's COP when there, else the body with most
    subsidiary bodies) and at most MAX_DIAGRAM_BODIES of its bodies."""
    store = get_store()
    parents = [
        r["parent"].value
        for r in d.cached(store, ("structure_parents",), lambda: d.rows(store, "structure_parents"))
    ]
    if not parents:
        return None
    cop = get_config().base_iri + "id/body/cop"
    parent = cop if cop in parents else parents[0]
    found = d.rows(store, "structure", parent=ox.NamedNode(parent))
    kept = sorted({r["body"].value for r in found})[:MAX_DIAGRAM_BODIES]
    found = [r for r in found if r["body"].value in kept]
    ui.ensure_labels({r[k].value for r in found for k in r if isinstance(r[k], ox.NamedNode)})

    def node(iri: str) -> svg.Node:
        return svg.Node(iri, ui.href(iri), ui.label(iri))

    parents = sorted({r["parent"].value for r in found})
    bodies, instruments, treaties = {}, {}, {}
    established, mandates = set(), set()
    for row in found:
        body = row["body"].value
        bodies.setdefault(body, node(body))
        if row["instrument"] is not None:
            instruments.setdefault(row["instrument"].value, node(row["instrument"].value))
            established.add((body, row["instrument"].value))
        if row["treaty"] is not None:
            treaties.setdefault(row["treaty"].value, node(row["treaty"].value))
            mandates.add((body, row["treaty"].value))
    # Instruments and treaties follow the order of the bodies they belong to: fewer crossings.
    body_order = sorted(bodies, key=lambda b: bodies[b].label)
    rank = {b: i for i, b in enumerate(body_order)}
    first_rank = {}
    for body, other in sorted(established | mandates, key=lambda pair: rank[pair[0]]):
        first_rank.setdefault(other, rank[body])
    instrument_nodes = sorted(instruments.values(), key=lambda n: (first_rank[n.key], n.label))
    treaty_nodes = sorted(treaties.values(), key=lambda n: (first_rank[n.key], n.label))
    return svg.structure(
        node(parents[0]) if parents else None,
        [bodies[b] for b in body_order],
        instrument_nodes,
        treaty_nodes,
        sorted(established),
        sorted(mandates),
        title=ui.t("structure"),
        column_titles=tuple(
            i18n.capitalize(ui.label(v.UNTOC + name))
            for name in ("Instrument", "WorkingGroup", "Treaty")
        ),
        rtl=ui.dir == "rtl",
    )


def _expand(ui: v.Ui, name: str) -> str | None:
    """A class given as a CURIE (`untoc:WorkingGroup`) or a full IRI."""
    prefix, colon, rest = name.partition(":")
    if colon and prefix in v.PREFIXES and not rest.startswith("//"):
        return v.PREFIXES[prefix] + rest
    try:
        return ox.NamedNode(name).value
    except ValueError:
        return None


@blueprint.get("/list")
def listing():
    ui = _ui()
    name = request.args.get("class", "")
    class_iri = _expand(ui, name) if name else None
    if not class_iri:
        abort(
            Response(
                "400 Bad Request: give a class, e.g. /list?class=untoc:WorkingGroup\n",
                400,
                mimetype="text/plain",
            )
        )
    page = _page_number()
    this = ox.NamedNode(class_iri)
    found = d.rows(
        get_store(),
        "list_class",
        **{"class": this},
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    total = d.cached(
        get_store(),
        ("count_class", class_iri),
        lambda: int(d.rows(get_store(), "count_class", **{"class": this})[0]["n"].value),
    )
    items = [r["s"].value for r in found[:PAGE_SIZE]]
    return _finish(
        _html(
            "list.html",
            **_list_context(
                ui,
                items,
                page,
                len(found) > PAGE_SIZE,
                title=i18n.capitalize(ui.label(class_iri)),
                total=total,
                canonical=_here(ui),
                heading_href=ui.href(class_iri),
            ),
        ),
        None,
        None,
    )


def _list_context(ui: v.Ui, items: list[str], page: int, has_more: bool, **extra) -> dict:
    ui.ensure_labels(items)
    # The query orders by IRI; people expect "paragraph 2" before "paragraph 10".
    items = sorted(items, key=v.natural_key)
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
    ui = _ui()
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY_TEXT:
        abort(
            Response(
                f"400 Bad Request: q is longer than {MAX_QUERY_TEXT} characters\n",
                400,
                mimetype="text/plain",
            )
        )
    page = _page_number()
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
    return _finish(
        _html(
            "list.html",
            **_list_context(
                ui,
                items,
                page,
                has_more,
                title=ui.t("search_results"),
                query=q,
                total=None,
                heading_href=None,
                canonical=_here(ui),
            ),
        ),
        None,
        None,
    )


@blueprint.get("/graph/")
def graphs():
    ui = _ui()
    stats = d.cached(get_store(), ("stats",), get_store().stats)["graphs"]
    items = sorted(stats)
    context = _list_context(
        ui,
        items,
        1,
        False,
        title=ui.t("graphs"),
        total=len(items),
        heading_href=None,
        canonical=_here(ui),
    )
    for row in context["items"]:
        row["count"] = stats[row["iri"]]
    return _finish(_html("list.html", **context), None, None)


@blueprint.get("/graph/<path:key>")
def graph(key: str):
    base = get_config().base_iri
    stem, dot, extension = key.rpartition(".")
    extension = extension if dot and extension in BY_EXTENSION else None
    key = stem if extension else key
    iri = base + "graph/" + key
    media_type = _negotiate(extension)
    local = request.script_root + "/graph/" + key
    if iri not in get_store().named_graphs():
        return _not_found(iri, media_type)
    if media_type != HTML:
        triples = [q.triple for q in get_store().quads(iri)]
        return _finish(_rdf_response(triples, media_type), iri, local)
    ui = _ui()
    page = _page_number()
    this = ox.NamedNode(iri)
    size = d.cached(
        get_store(), ("graph_size", iri), lambda: d.rows(get_store(), "graph_size", graph=this)[0]
    )
    found = d.rows(
        get_store(),
        "graph_subjects",
        graph=this,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    items = [r["s"].value for r in found[:PAGE_SIZE]]
    source = base + "id/document/" + key
    has_source = d.exists(get_store(), source)
    title = f"{ui.t('graph')}: {key}"
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
            "formats": [
                (f.media_type, f.extension, local + "." + f.extension) for f in RDF_FORMATS
            ],
        },
    )
    return _finish(_html("list.html", **context), iri, local)


@blueprint.get("/ontology")
@blueprint.get("/ontology.<extension>")
def ontology(extension: str | None = None):
    config = get_config()
    if extension is not None and extension not in BY_EXTENSION and extension != "html":
        abort(404)
    graph_iri = config.base_iri + "graph/ontology"
    media_type = _negotiate(extension)
    local = request.script_root + "/ontology"
    canonical = config.base_iri + "ontology"
    if media_type != HTML:
        triples = [q.triple for q in get_store().quads(graph_iri)]
        return _finish(_rdf_response(triples, media_type), canonical, local)
    ui = _ui()
    context = v.ontology_context(ui, graph_iri)
    return _finish(
        _html("ontology.html", ui=ui, iri=canonical, canonical=canonical, **context),
        canonical,
        local,
    )


@blueprint.get("/shapes")
@blueprint.get("/shapes.<extension>")
def shapes(extension: str | None = None):
    """The SHACL shapes (`.../shapes#BodyShape`, linked from the shapes graph's pages): the
    shapes graph as RDF, or for people each shape's Turtle under an anchor of its name."""
    config = get_config()
    if extension is not None and extension not in BY_EXTENSION and extension != "html":
        abort(404)
    media_type = _negotiate(extension)
    local = request.script_root + "/shapes"
    canonical = config.base_iri + "shapes"
    triples = [q.triple for q in get_store().quads(config.base_iri + "graph/shapes")]
    if media_type != HTML:
        return _finish(_rdf_response(triples, media_type), canonical, local)
    ui = _ui()
    context = v.shapes_context(ui, canonical, triples)
    formats = [(f.media_type, f.extension, local + "." + f.extension) for f in RDF_FORMATS]
    return _finish(
        _html("shapes.html", ui=ui, iri=canonical, canonical=canonical, formats=formats, **context),
        canonical,
        local,
    )
