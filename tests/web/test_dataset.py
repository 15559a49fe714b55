"""/void, /.well-known/void, /dumps/, /sitemap.xml and /robots.txt against the curated store.

Expected statistics are computed here directly from the store's quads in Python, not with
the service's queries, so a wrong query shows up as a mismatch.
"""

from __future__ import annotations

import urllib.request
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import replace

import pyoxigraph as ox
import pytest
from conftest import BASE
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS, VOID

from graph_service.store import Store
from graph_service.store.validation import to_rdflib
from graph_service.synth import SynthParams, synthesize_quads
from graph_service.web.app import create_app
from graph_service.web.dataset.description import LINK_TARGETS
from graph_service.web.dataset.dumps import DUMPS

DATASET = URIRef(BASE + "void#dataset")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # a plain namespace: no warnings from pytest
ROOT = "http://localhost/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def distinct_triples(store: Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads()}


def triples_per_graph(store: Store) -> dict[str, set[ox.Triple]]:
    graphs: dict[str, set[ox.Triple]] = defaultdict(set)
    for quad in store.quads():
        graphs[quad.graph_name.value].add(quad.triple)
    return dict(graphs)


def same_graphs(a: Store, b: Store) -> bool:
    """Graph by graph, equal up to blank node labels (the shapes graph has blank nodes)."""
    ga, gb = triples_per_graph(a), triples_per_graph(b)
    return set(ga) == set(gb) and all(
        isomorphic(to_rdflib(ga[name]), to_rdflib(gb[name])) for name in ga
    )


def integer(graph: Graph, subject, predicate) -> int:
    value = graph.value(subject, predicate)
    assert value is not None, f"{subject} has no {predicate}"
    return int(value)


@pytest.fixture(scope="module")
def void_graph(app) -> Graph:
    response = app.test_client().get("/void")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    return Graph().parse(data=response.data, format="turtle")


@pytest.mark.parametrize("path", ["/void", "/.well-known/void"])
@pytest.mark.parametrize("media_type", list(RDF_FORMATS))
def test_void_parses_in_every_format_by_accept(client, void_graph, path, media_type):
    response = client.get(path, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    graph = Graph().parse(data=response.data, format=RDF_FORMATS[media_type])
    assert (DATASET, RDF.type, VOID.Dataset) in graph
    assert len(graph) == len(void_graph)


@pytest.mark.parametrize(
    "alias, media_type",
    [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
    ],
)
def test_void_format_parameter_overrides_accept(client, alias, media_type):
    response = client.get(f"/void?format={alias}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == media_type


def test_void_is_turtle_by_default_and_html_for_browsers(client):
    assert client.get("/void").mimetype == "text/turtle"
    assert client.get("/void", headers={"Accept": "*/*"}).mimetype == "text/turtle"
    page = client.get("/void", headers={"Accept": "text/html,application/xml;q=0.9,*/*;q=0.8"})
    assert page.mimetype == "text/html"
    assert "Named graphs" in page.get_data(as_text=True)


def test_unacceptable_type_is_406_with_the_list(client):
    response = client.get("/void", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def test_dataset_is_void_and_dcat_with_licence_titles_and_vocabularies(void_graph):
    g = void_graph
    assert (DATASET, RDF.type, DCAT.Dataset) in g
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    assert g.value(DATASET, DCTERMS.publisher) is not None
    titles = {t.language for t in g.objects(DATASET, DCTERMS.title)}
    descriptions = {d.language for d in g.objects(DATASET, DCTERMS.description)}
    assert {"en", "ru"} <= titles and {"en", "ru"} <= descriptions
    assert g.value(DATASET, VOID.uriSpace) == Literal(BASE + "id/")
    vocabularies = {str(v) for v in g.objects(DATASET, VOID.vocabulary)}
    assert {
        BASE + "ontology#",
        "http://www.w3.org/ns/org#",
        "https://schema.org/",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/ns/prov#",
        "http://data.europa.eu/eli/ontology#",
    } <= vocabularies
    assert URIRef(BASE + "id/body/wg-tip") in set(g.objects(DATASET, VOID.exampleResource))


def test_statistics_equal_the_stores_counts(void_graph, loaded_store, curated_working_groups):
    g = void_graph
    triples = distinct_triples(loaded_store)
    assert integer(g, DATASET, VOID.triples) == len(triples)
    assert integer(g, DATASET, VOID.distinctSubjects) == len({t.subject for t in triples})
    assert integer(g, DATASET, VOID.distinctObjects) == len({t.object for t in triples})
    assert integer(g, DATASET, VOID.properties) == len({t.predicate for t in triples})
    types = [t for t in triples if t.predicate.value == str(RDF.type)]
    assert integer(g, DATASET, VOID.classes) == len({t.object for t in types})
    entities = {
        t.subject
        for t in triples
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(BASE + "id/")
    }
    assert integer(g, DATASET, VOID.entities) == len(entities)

    expected_per_class: dict[str, set] = defaultdict(set)
    for t in types:
        expected_per_class[t.object.value].add(t.subject)
    partitions = {
        str(g.value(part, VOID["class"])): integer(g, part, VOID.entities)
        for part in g.objects(DATASET, VOID.classPartition)
    }
    assert partitions == {c: len(s) for c, s in expected_per_class.items()}
    assert partitions[BASE + "ontology#WorkingGroup"] == len(curated_working_groups)

    per_property: dict[str, int] = defaultdict(int)
    for t in triples:
        per_property[t.predicate.value] += 1
    property_partitions = {
        str(g.value(part, VOID.property)): integer(g, part, VOID.triples)
        for part in g.objects(DATASET, VOID.propertyPartition)
    }
    assert property_partitions == per_property


def test_a_subset_per_named_graph_with_its_counts(void_graph, loaded_store):
    g = void_graph
    graphs = triples_per_graph(loaded_store)
    subsets = {s for s in g.objects(DATASET, VOID.subset) if (s, RDF.type, VOID.Linkset) not in g}
    assert {str(s) for s in subsets} == set(graphs)
    for graph_iri, triples in graphs.items():
        subset = URIRef(graph_iri)
        assert integer(g, subset, VOID.triples) == len(triples)
        assert integer(g, subset, VOID.distinctSubjects) == len({t.subject for t in triples})
        classes: dict[str, set] = defaultdict(set)
        for t in triples:
            if t.predicate.value == str(RDF.type):
                classes[t.object.value].add(t.subject)
        partitions = {
            str(g.value(part, VOID["class"])): integer(g, part, VOID.entities)
            for part in g.objects(subset, VOID.classPartition)
        }
        assert partitions == {c: len(s) for c, s in classes.items()}
        properties = {
            str(g.value(p, VOID.property)) for p in g.objects(subset, VOID.propertyPartition)
        }
        assert properties == {t.predicate.value for t in triples}


RELATED_SDG = "https://w3id.org/untoc/ontology#relatedSDG"


def expected_links(store: Store) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    predicates = {str(OWL.sameAs), str(SKOS.exactMatch), str(SKOS.closeMatch), RELATED_SDG}
    spaces = {"http://sws.geonames.org/": "geonames"}
    spaces.update({space: key for key, (_, _, space) in LINK_TARGETS.items()})
    for t in distinct_triples(store):
        if t.predicate.value in predicates and isinstance(t.object, ox.NamedNode):
            for space, key in spaces.items():
                if t.object.value.startswith(space):
                    counts[(key, t.predicate.value)] += 1
    return dict(counts)


def linksets(g: Graph) -> dict[tuple[str, str], int]:
    found = {}
    for linkset in g.subjects(RDF.type, VOID.Linkset):
        assert (DATASET, VOID.subset, linkset) in g
        target = g.value(linkset, VOID.objectsTarget)
        assert (linkset, VOID.target, target) in g and (linkset, VOID.target, DATASET) in g
        assert g.value(target, VOID.uriSpace) is not None
        key = str(target).rsplit("#", 1)[1]
        found[(key, str(g.value(linkset, VOID.linkPredicate)))] = integer(g, linkset, VOID.triples)
    return found


def test_linksets_to_other_datasets_match_the_links(void_graph, loaded_store):
    expected = expected_links(loaded_store)
    assert ("wikidata", str(OWL.sameAs)) in expected  # Vienna is linked in the curated data
    assert ("sdg", RELATED_SDG) in expected  # bodies and treaties to SDG targets
    assert linksets(void_graph) == expected


def test_sparql_endpoint_and_dumps_are_linked(void_graph):
    g = void_graph
    sparql = URIRef(ROOT + "sparql")
    assert g.value(DATASET, VOID.sparqlEndpoint) == sparql
    service = g.value(DATASET, DCAT.accessService)
    assert (service, RDF.type, DCAT.DataService) in g
    assert g.value(service, DCAT.endpointURL) == sparql
    assert sparql in set(g.objects(None, DCAT.accessURL))
    dumps = {str(d) for d in g.objects(DATASET, VOID.dataDump)}
    assert dumps == {ROOT + "dumps/" + name for name in DUMPS}
    downloads = {}
    for dist in g.objects(DATASET, DCAT.distribution):
        assert (dist, RDF.type, DCAT.Distribution) in g
        if g.value(dist, DCAT.downloadURL) is not None:
            downloads[str(g.value(dist, DCAT.downloadURL))] = str(g.value(dist, DCAT.mediaType))
    assert set(downloads) == dumps
    assert downloads[ROOT + "dumps/untoc.nq"].endswith("application/n-quads")


def test_void_cache_follows_the_store_state(test_config):
    store = Store(None)
    app = create_app(test_config, store=store)
    client = app.test_client()
    empty = Graph().parse(data=client.get("/void").data, format="turtle")
    assert integer(empty, DATASET, VOID.triples) == 0
    etag = client.get("/void").headers["ETag"]
    assert client.get("/void", headers={"If-None-Match": etag}).status_code == 304

    quads = synthesize_quads(BASE, SynthParams(bodies=3, meetings_per_body=2, seed=1))
    graphs: dict[str, list] = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    store.replace_graphs(graphs)
    loaded = Graph().parse(data=client.get("/void").data, format="turtle")
    assert integer(loaded, DATASET, VOID.triples) == len({q.triple for q in quads})
    etag = client.get("/void").headers["ETag"]
    assert client.get("/void", headers={"If-None-Match": etag}).status_code == 304
    # The synthetic places link to Wikidata: a linkset appears.
    assert linksets(loaded) == expected_links(store)
    assert linksets(loaded)[("wikidata", str(OWL.sameAs))] == 5

    # A write that keeps every count (one literal for another) is a new state too.
    store.update(
        'DELETE { ?s ?p "Vienna"@en } INSERT { ?s ?p "Wien"@en } '
        'WHERE { GRAPH ?g { ?s ?p "Vienna"@en } }'
    )
    assert bool(store.query('ASK { ?s ?p "Wien"@en }'))
    assert store.stats()["triples"] == len({q.triple for q in quads})
    assert client.get("/void", headers={"If-None-Match": etag}).status_code == 200


def test_dumps_index_lists_every_dump(client):
    response = client.get("/dumps/")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for name in DUMPS:
        assert f'href="{ROOT}dumps/{name}"' in text


@pytest.mark.parametrize("name", list(DUMPS))
def test_each_dump_has_type_disposition_and_validators(client, name):
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert response.mimetype == DUMPS[name].format.media_type
    assert f'filename="{name}"' in response.headers["Content-Disposition"]
    assert response.headers["Last-Modified"]
    etag = response.headers["ETag"]
    again = client.get(f"/dumps/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_nquads_dump_round_trips_graph_by_graph(client, loaded_store):
    data = client.get("/dumps/untoc.nq").data
    fresh = Store(None)
    fresh.oxigraph.load(data, format=ox.RdfFormat.N_QUADS)
    assert same_graphs(fresh, loaded_store)


def test_trig_dump_round_trips(client, loaded_store):
    data = client.get("/dumps/untoc.trig").data
    fresh = Store(None)
    fresh.oxigraph.load(data, format=ox.RdfFormat.TRIG)
    assert same_graphs(fresh, loaded_store)


def test_turtle_dump_is_the_union_of_the_graphs(client, loaded_store):
    graph = Graph().parse(data=client.get("/dumps/untoc.ttl").data, format="turtle")
    assert len(graph) == len(distinct_triples(loaded_store))
    assert (
        URIRef(BASE + "id/body/wg-tip"),
        RDF.type,
        URIRef(BASE + "ontology#WorkingGroup"),
    ) in graph


def test_jsonld_dump_parses_with_its_named_graphs(client, loaded_store):
    dataset = Dataset()
    dataset.parse(data=client.get("/dumps/untoc.jsonld").data, format="json-ld")
    expected = triples_per_graph(loaded_store)
    for graph_iri, triples in expected.items():
        assert len(dataset.graph(URIRef(graph_iri))) == len(triples)


def test_unknown_dump_is_404(client):
    response = client.get("/dumps/untoc.xlsx")
    assert response.status_code == 404
    assert "untoc.nq" in response.get_data(as_text=True)


def sitemap_locs(xml: bytes, tag: str) -> list[str]:
    root = ET.fromstring(xml)
    assert root.tag == SITEMAP_NS + tag
    child = "url" if tag == "urlset" else "sitemap"
    return [e.find(SITEMAP_NS + "loc").text for e in root.findall(SITEMAP_NS + child)]


def test_sitemap_is_xml_with_local_urls_of_every_resource(client, loaded_store):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    locs = sitemap_locs(response.data, "urlset")
    assert ROOT + "id/body/wg-tip" in locs
    for path in ("", "ontology", "void", "sparql", "coverage", "calendar"):
        assert ROOT + path in locs
    subjects = {
        q.subject.value
        for q in loaded_store.quads()
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(BASE + "id/")
        and "#" not in q.subject.value
    }
    assert {ROOT + s[len(BASE) :] for s in subjects} <= set(locs)
    assert len(locs) == len(set(locs))


def test_sitemap_paginates_with_an_index(test_config, loaded_store, client):
    app = create_app(replace(test_config, sitemap_limit=10), store=loaded_store)
    paged = app.test_client()
    pages = sitemap_locs(paged.get("/sitemap.xml").data, "sitemapindex")
    assert len(pages) > 1
    urls = []
    for page in pages:
        response = paged.get(page[len(ROOT) - 1 :])
        chunk = sitemap_locs(response.data, "urlset")
        assert 0 < len(chunk) <= 10
        urls.extend(chunk)
    assert urls == sitemap_locs(client.get("/sitemap.xml").data, "urlset")
    assert paged.get(f"/sitemap.xml?page={len(pages) + 1}").status_code == 404
    assert paged.get("/sitemap.xml?page=zero").status_code == 404


def test_robots_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert f"Sitemap: {ROOT}sitemap.xml" in response.get_data(as_text=True)


def test_live_server_describes_its_own_address(live_server):
    request = urllib.request.Request(
        live_server.url + "/.well-known/void", headers={"Accept": "application/ld+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get_content_type() == "application/ld+json"
        graph = Graph().parse(data=response.read(), format="json-ld")
    endpoint = graph.value(DATASET, VOID.sparqlEndpoint)
    assert str(endpoint) == live_server.url + "/sparql"
    with urllib.request.urlopen(live_server.url + "/sitemap.xml", timeout=30) as response:
        assert live_server.url + "/id/body/wg-tip" in sitemap_locs(response.read(), "urlset")
