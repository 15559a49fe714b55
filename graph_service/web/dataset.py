"""Dataset description: VoID + DCAT at /void, dumps under /dumps/, /sitemap.xml, /robots.txt.

Statistics and dumps are computed from the store and cached per store state
(`Store.state`, which changes with every write and every reopen), so repeated requests
cost nothing, not a scan per resource. Absolute URLs of this server's endpoints come from
the request, so a local deployment describes its own /sparql and /dumps; entity IRIs stay
under the base IRI.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, request
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, VOID, XSD

from graph_service.store.store import Store
from graph_service.web.app import get_config, get_store
from graph_service.web.negotiation import choose

blueprint = Blueprint("dataset", __name__)

QUERY_DIR = Path(__file__).parents[1] / "queries" / "void"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
IANA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SITEMAP_LIMIT = 50_000  # the sitemaps.org maximum of URLs per file

VOCABULARIES = {
    "untoc": None,  # the base's ontology namespace, filled in per config
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "eli": "http://data.europa.eu/eli/ontology#",
}

# Keys of linksets.rq's ?target -> (title, homepage, URI space)
LINK_TARGETS = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/", "http://www.wikidata.org/entity/"),
    "geonames": ("GeoNames", "https://www.geonames.org/", "https://sws.geonames.org/"),
    "unbis": (
        "UNBIS Thesaurus",
        "https://metadata.un.org/thesaurus/",
        "http://metadata.un.org/thesaurus/",
    ),
    "sdg": (
        "UN Sustainable Development Goals taxonomy",
        "https://metadata.un.org/sdg/",
        "http://metadata.un.org/sdg/",
    ),
}

DESCRIPTION_EN = (
    "The governance system of the United Nations Convention against Transnational "
    "Organized Crime: the Conference of the Parties, its sessions, the Convention and "
    "its Protocols, working groups, the decisions and resolutions that established "
    "them, their meetings and reports. Every fact cites the paragraph of the source "
    "document it comes from, in a named graph per source document."
)
DESCRIPTION_RU = (
    "Система управления Конвенции Организации Объединенных Наций против "
    "транснациональной организованной преступности: Конференция участников, ее сессии, "
    "Конвенция и протоколы к ней, рабочие группы, решения и резолюции, которыми они "
    "учреждены, их совещания и доклады. Каждый факт ссылается на пункт исходного "
    "документа и хранится в именованном графе этого документа."
)

# Example resources of the contract (DESIGN.md section 2), used when the store has them.
EXAMPLE_PATHS = ("id/body/wg-tip", "id/body/cop", "id/treaty/untoc")


@dataclass(frozen=True)
class Dump:
    name: str
    store_format: str
    media_type: str
    title: str
    w3c_format: str

    @property
    def content_type(self) -> str:
        return self.media_type + ("" if self.media_type.endswith("json") else "; charset=utf-8")


DUMPS = {
    d.name: d
    for d in (
        Dump(
            "untoc.ttl",
            "turtle",
            "text/turtle",
            "Turtle: the union of all named graphs as triples",
            "Turtle",
        ),
        Dump(
            "untoc.nq",
            "nquads",
            "application/n-quads",
            "N-Quads: every triple with its named graph",
            "N-Quads",
        ),
        Dump("untoc.trig", "trig", "application/trig", "TriG: the named graphs, readable", "TriG"),
        Dump(
            "untoc.jsonld", "jsonld", "application/ld+json", "JSON-LD: the named graphs", "JSON-LD"
        ),
    )
}

# Media type -> rdflib serializer name, for the description itself.
VOID_FORMATS = {
    "text/turtle": "turtle",
    "text/html": None,
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


# -- caching per store state -------------------------------------------------------------------


@dataclass
class _Cache:
    """Values computed for one store state; dropped as soon as the state changes."""

    state: tuple = ()
    since: float = field(default_factory=time.time)
    values: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def store_state(store: Store) -> tuple:
    return store.state


def cached(key: str, compute: Callable[[Store], object]):
    """(value, state, time the state was first seen) for the current store."""
    store = get_store()
    cache: _Cache = current_app.extensions.setdefault("kg_dataset_cache", _Cache())
    state = store_state(store)
    with cache.lock:
        if cache.state != state:
            cache.state, cache.since, cache.values = state, time.time(), {}
        if key not in cache.values:
            cache.values[key] = compute(store)
        return cache.values[key], state, cache.since


def state_tag(state: tuple, *parts: str) -> str:
    digest = hashlib.sha256(repr((state, parts)).encode()).hexdigest()
    return digest[:32]


# -- statistics ---------------------------------------------------------------------------------


def load_query(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def run(store: Store, name: str, **substitutions) -> list:
    subs = {ox.Variable(k): v for k, v in substitutions.items()}
    return list(
        store.oxigraph.query(load_query(name), use_default_graph_as_union=True, substitutions=subs)
    )


def _int(row, var: str) -> int:
    return int(row[var].value)


@dataclass
class Statistics:
    triples: int
    entities: int
    subjects: int
    objects: int
    classes: int
    properties: int
    graphs: dict[str, dict[str, int]]
    class_partitions: dict[str, int]
    property_partitions: dict[str, int]
    graph_class_partitions: dict[str, dict[str, int]]
    graph_property_partitions: dict[str, dict[str, int]]
    linksets: list[tuple[str, str, int]]
    examples: list[str]


def compute_statistics(store: Store, base_iri: str) -> Statistics:
    uri_space = ox.Literal(base_iri + "id/")
    totals = run(store, "totals")[0]
    entities = run(store, "entities", uriSpace=uri_space)
    graphs = {
        row["g"].value: {k: _int(row, k) for k in ("triples", "subjects", "objects", "properties")}
        for row in run(store, "graphs")
    }
    per_graph_classes: dict[str, dict[str, int]] = {g: {} for g in graphs}
    for row in run(store, "graph_class_partitions"):
        per_graph_classes[row["g"].value][row["class"].value] = _int(row, "entities")
    per_graph_properties: dict[str, dict[str, int]] = {g: {} for g in graphs}
    for row in run(store, "graph_property_partitions"):
        per_graph_properties[row["g"].value][row["p"].value] = _int(row, "triples")
    examples = [
        base_iri + path
        for path in EXAMPLE_PATHS
        if run(store, "example_resource", resource=ox.NamedNode(base_iri + path))
    ] or [row["s"].value for row in run(store, "any_entities", uriSpace=uri_space)]
    return Statistics(
        triples=_int(totals, "triples"),
        entities=_int(entities[0], "entities") if entities else 0,
        subjects=_int(totals, "subjects"),
        objects=_int(totals, "objects"),
        classes=_int(totals, "classes"),
        properties=_int(totals, "properties"),
        graphs=graphs,
        class_partitions={
            row["class"].value: _int(row, "entities") for row in run(store, "class_partitions")
        },
        property_partitions={
            row["p"].value: _int(row, "triples") for row in run(store, "property_partitions")
        },
        graph_class_partitions=per_graph_classes,
        graph_property_partitions=per_graph_properties,
        linksets=sorted(
            (row["target"].value, row["p"].value, _int(row, "triples"))
            for row in run(store, "linksets")
        ),
        examples=examples,
    )


# -- the VoID / DCAT graph ----------------------------------------------------------------------


def describe(stats: Statistics, base_iri: str, root_url: str) -> Graph:
    """The description as an rdflib graph; `root_url` is this server's URL ending in '/'."""
    g = Graph(bind_namespaces="core")
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("sd", SD),
        ("xsd", XSD),
        ("skos", SKOS),
        ("owl", OWL),
    ):
        g.bind(prefix, ns)
    g.bind("untoc", base_iri + "ontology#")
    void = base_iri + "void#"
    ds = URIRef(void + "dataset")
    sparql = URIRef(root_url + "sparql")

    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("UNTOC Knowledge Graph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("Граф знаний КТОП", lang="ru")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION_EN, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION_RU, lang="ru")))
    publisher = URIRef(void + "publisher")
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("UNTOC Knowledge Graph project", lang="en")))
    g.add((publisher, FOAF.homepage, URIRef(root_url)))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.rights, Literal("CC BY 4.0", lang="en")))
    for code in ("en", "ru"):
        g.add((ds, DCTERMS.language, URIRef(f"http://id.loc.gov/vocabulary/iso639-1/{code}")))
    for keyword in ("UNTOC", "Conference of the Parties", "working group", "United Nations"):
        g.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((ds, FOAF.homepage, URIRef(root_url)))
    g.add((ds, DCAT.landingPage, URIRef(root_url)))
    g.add((ds, VOID.sparqlEndpoint, sparql))
    g.add((ds, VOID.uriSpace, Literal(base_iri + "id/")))
    for ns in VOCABULARIES.values():
        g.add((ds, VOID.vocabulary, URIRef(ns or base_iri + "ontology#")))
    for example in stats.examples:
        g.add((ds, VOID.exampleResource, URIRef(example)))

    for name, value in (
        ("triples", stats.triples),
        ("entities", stats.entities),
        ("distinctSubjects", stats.subjects),
        ("distinctObjects", stats.objects),
        ("classes", stats.classes),
        ("properties", stats.properties),
    ):
        g.add((ds, VOID[name], Literal(value, datatype=XSD.integer)))
    _partitions(g, ds, stats.class_partitions, stats.property_partitions)

    for graph_iri, counts in sorted(stats.graphs.items()):
        subset = URIRef(graph_iri)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, SD.NamedGraph))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(counts["triples"], datatype=XSD.integer)))
        g.add((subset, VOID.distinctSubjects, Literal(counts["subjects"], datatype=XSD.integer)))
        g.add((subset, VOID.distinctObjects, Literal(counts["objects"], datatype=XSD.integer)))
        g.add((subset, VOID.properties, Literal(counts["properties"], datatype=XSD.integer)))
        g.add(
            (
                subset,
                VOID.classes,
                Literal(len(stats.graph_class_partitions[graph_iri]), datatype=XSD.integer),
            )
        )
        _partitions(
            g,
            subset,
            stats.graph_class_partitions[graph_iri],
            stats.graph_property_partitions[graph_iri],
        )

    for target_key, predicate, triples in stats.linksets:
        title, homepage, space = LINK_TARGETS[target_key]
        target = URIRef(void + target_key)
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))
        g.add((target, FOAF.homepage, URIRef(homepage)))
        g.add((target, VOID.uriSpace, Literal(space)))
        local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        linkset = URIRef(f"{void}links-{target_key}-{local}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.target, ds))
        g.add((linkset, VOID.target, target))
        g.add((linkset, VOID.linkPredicate, URIRef(predicate)))
        g.add((linkset, VOID.triples, Literal(triples, datatype=XSD.integer)))

    _distributions(g, ds, void, root_url, sparql)
    return g


def _partitions(g: Graph, subject, classes: dict[str, int], properties: dict[str, int]) -> None:
    for cls, entities in sorted(classes.items()):
        part = BNode()
        g.add((subject, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for prop, triples in sorted(properties.items()):
        part = BNode()
        g.add((subject, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(triples, datatype=XSD.integer)))


def _distributions(g: Graph, ds, void: str, root_url: str, sparql: URIRef) -> None:
    for dump in DUMPS.values():
        url = URIRef(root_url + "dumps/" + dump.name)
        dist = URIRef(f"{void}dump-{dump.name.rsplit('.', 1)[1]}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(dump.title, lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, URIRef(root_url + "dumps/")))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        g.add((dist, DCTERMS["format"], FORMATS_NS[dump.w3c_format]))
        g.add((dist, DCTERMS.license, LICENSE))
        g.add((ds, VOID.feature, FORMATS_NS[dump.w3c_format]))

    service = URIRef(void + "sparql-service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, sparql))
    g.add((service, SD.endpoint, sparql))
    g.add((service, DCAT.endpointDescription, sparql))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCAT.servesDataset, ds))
    g.add((ds, DCAT.accessService, service))
    dist = URIRef(void + "sparql")
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((dist, DCAT.accessURL, sparql))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.license, LICENSE))


# -- routes ------------------------------------------------------------------------------------


def _statistics() -> tuple[Statistics, tuple, float]:
    base = get_config().base_iri
    return cached("statistics", lambda store: compute_statistics(store, base))


def _conditional(response: Response, etag: str, since: float) -> Response:
    response.set_etag(etag)
    response.last_modified = since
    return response.make_conditional(request)


@blueprint.get("/void")
@blueprint.get("/.well-known/void")
def void_description():
    media_type = choose(
        request.headers.get("Accept"), list(VOID_FORMATS), request.args.get("format")
    )
    if media_type is None:
        return _not_acceptable(list(VOID_FORMATS))
    stats, state, since = _statistics()
    root = request.url_root
    graph = describe(stats, get_config().base_iri, root)
    if media_type == "text/html":
        body = _void_html(stats, graph, root)
        response = Response(body, mimetype="text/html")
    else:
        kwargs = {}
        if media_type == "application/ld+json":
            kwargs = {
                "context": {p: str(n) for p, n in graph.namespaces() if p},
                "auto_compact": True,
            }
        data = graph.serialize(format=VOID_FORMATS[media_type], encoding="utf-8", **kwargs)
        response = Response(data, content_type=_with_charset(media_type))
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{request.base_url}?format={alias}>; rel="alternate"; type="{mt}"'
        for alias, mt in (
            ("ttl", "text/turtle"),
            ("nt", "application/n-triples"),
            ("jsonld", "application/ld+json"),
            ("rdfxml", "application/rdf+xml"),
        )
    )
    return _conditional(response, state_tag(state, media_type, root), since)


def _with_charset(media_type: str) -> str:
    return media_type if media_type.endswith("json") else media_type + "; charset=utf-8"


def _not_acceptable(offered: list[str]) -> Response:
    return Response(
        "406 Not Acceptable: this resource is available as "
        + ", ".join(offered)
        + " (use the Accept header or the format parameter, e.g. ?format=ttl)\n",
        status=406,
        mimetype="text/plain",
    )


def _void_html(stats: Statistics, graph: Graph, root: str) -> str:
    def row(*cells) -> str:
        return "<tr>" + "".join(f"<td>{Markup.escape(c)}</td>" for c in cells) + "</tr>"

    totals = "".join(
        row(k, v)
        for k, v in (
            ("triples", stats.triples),
            ("entities", stats.entities),
            ("distinct subjects", stats.subjects),
            ("distinct objects", stats.objects),
            ("classes", stats.classes),
            ("properties", stats.properties),
        )
    )
    graphs = "".join(row(g, c["triples"]) for g, c in sorted(stats.graphs.items()))
    classes = "".join(row(c, n) for c, n in sorted(stats.class_partitions.items()))
    links = "".join(row(LINK_TARGETS[t][0], p, n) for t, p, n in stats.linksets)
    dumps = "".join(
        f'<li><a href="{Markup.escape(root)}dumps/{d.name}">{d.name}</a> '
        f"({Markup.escape(d.title)})</li>"
        for d in DUMPS.values()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>UNTOC Knowledge Graph: dataset description</title></head><body>
<h1>UNTOC Knowledge Graph: dataset description</h1>
<p>VoID and DCAT description, also as <a href="?format=ttl">Turtle</a>,
<a href="?format=nt">N-Triples</a>, <a href="?format=jsonld">JSON-LD</a>,
<a href="?format=rdfxml">RDF/XML</a>. Licence:
<a href="{LICENSE}">CC BY 4.0</a>. SPARQL endpoint:
<a href="{Markup.escape(root)}sparql">{Markup.escape(root)}sparql</a>.</p>
<h2>Statistics</h2><table>{totals}</table>
<h2>Named graphs</h2><table><tr><th>graph</th><th>triples</th></tr>{graphs}</table>
<h2>Classes</h2><table><tr><th>class</th><th>entities</th></tr>{classes}</table>
<h2>Links to other datasets</h2>
<table><tr><th>target</th><th>predicate</th><th>links</th></tr>{links}</table>
<h2>Dumps</h2><ul>{dumps}</ul>
</body></html>
"""


@blueprint.get("/dumps/")
def dumps_index():
    root = Markup.escape(request.url_root)
    items = "".join(
        f'<tr><td><a href="{root}dumps/{d.name}">{d.name}</a></td>'
        f"<td>{Markup.escape(d.media_type)}</td><td>{Markup.escape(d.title)}</td></tr>"
        for d in DUMPS.values()
    )
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>UNTOC Knowledge Graph: dumps</title></head>
<body><h1>Dumps of the UNTOC Knowledge Graph</h1>
<p>Generated from the store, current as of its latest load. Licence:
<a href="{LICENSE}">CC BY 4.0</a>. Dataset description: <a href="{root}void">{root}void</a>.</p>
<table><tr><th>file</th><th>media type</th><th>content</th></tr>{items}</table>
</body></html>
"""
    return Response(body, mimetype="text/html")


def export_dump(store: Store, dump: Dump) -> bytes:
    if dump.store_format == "turtle":
        # Store.export("turtle") repeats a triple that sits in two graphs; keep one of each.
        triples = dict.fromkeys(q.triple for q in store.quads())
        return ox.serialize(list(triples), format=ox.RdfFormat.TURTLE) or b""
    return store.export(dump.store_format) or b""


@blueprint.get("/dumps/<name>")
def dump_file(name: str):
    dump = DUMPS.get(name)
    if dump is None:
        abort(404, description=f"no dump named {name!r}; available: {', '.join(DUMPS)}")
    data, state, since = cached(f"dump:{name}", lambda store: export_dump(store, dump))
    response = Response(data, content_type=dump.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{dump.name}"'
    return _conditional(response, state_tag(state, name), since)


# -- sitemap -----------------------------------------------------------------------------------

STATIC_PATHS = ("", "ontology", "void", "sparql", "dumps/")


def _resource_paths(store: Store, base_iri: str) -> list[str]:
    paths = []
    for prefix in ("id/", "graph/"):
        rows = run(store, "resources", idSpace=ox.Literal(base_iri + prefix))
        paths.extend(row["s"].value[len(base_iri) :] for row in rows)
    return paths


@blueprint.get("/sitemap.xml")
def sitemap():
    base = get_config().base_iri
    limit = current_app.config.get("KG_SITEMAP_LIMIT", SITEMAP_LIMIT)
    resources, state, since = cached("sitemap", lambda store: _resource_paths(store, base))
    paths = list(STATIC_PATHS) + resources
    pages = max(1, -(-len(paths) // limit))
    root = request.url_root
    page = request.args.get("page")
    if page is None and pages > 1:
        entries = "".join(
            f"<sitemap><loc>{escape(f'{root}sitemap.xml?page={n}')}</loc></sitemap>\n"
            for n in range(1, pages + 1)
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n"
        )
    else:
        try:
            number = int(page or 1)
        except ValueError:
            number = 0
        if not 1 <= number <= pages:
            abort(404, description=f"sitemap page must be between 1 and {pages}")
        chunk = paths[(number - 1) * limit : number * limit]
        entries = "".join(
            f"<url><loc>{escape(root + quote(p, safe='/:@!$&()*+,;=-._~%'))}</loc></url>\n"
            for p in chunk
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n"
        )
    response = Response(xml, content_type="application/xml; charset=utf-8")
    return _conditional(response, state_tag(state, "sitemap", root, page or ""), since)


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
