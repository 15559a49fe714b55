"""Linked-data pages through the Flask client: every route, every content type, languages,
headers, escaping and pagination."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import rdflib
from conftest import RDF_TYPE, subjects_with
from pages_data import EXTRA_PROVISIONS, SCRIPT_LABEL, SCRIPT_SYMBOL, tricky_store
from rdflib.namespace import OWL, RDF

from graph_service import i18n
from graph_service.web.app import create_app

BASE = "https://w3id.org/untoc/"
UNTOC = rdflib.Namespace(BASE + "ontology#")
WG_TIP = rdflib.URIRef(BASE + "id/body/wg-tip")
DECISION_4_4 = rdflib.URIRef(BASE + "id/decision/cop-4-4")
RDF_TYPES = {
    "text/turtle": ("turtle", "ttl"),
    "application/n-triples": ("nt", "nt"),
    "application/ld+json": ("json-ld", "jsonld"),
    "application/rdf+xml": ("xml", "rdf"),
}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Links(HTMLParser):
    """Collects href attributes and the text of <script type=application/ld+json>."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        self._in_jsonld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)


def parse_html(body: bytes) -> Links:
    parser = Links()
    parser.feed(body.decode())
    return parser


def parse_rdf(body: bytes, rdflib_format: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=body, format=rdflib_format, publicID=BASE)
    return graph


@pytest.fixture(scope="module")
def tricky_client(sources, test_config):
    return create_app(test_config, store=tricky_store(sources)).test_client()


# ---------------------------------------------------------------- dereferencing and formats


def test_turtle_for_wg_tip_contains_its_establishing_decision(client):
    response = client.get("/id/body/wg-tip", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    graph = parse_rdf(response.data, "turtle")
    assert (WG_TIP, UNTOC.establishedBy, DECISION_4_4) in graph
    assert (WG_TIP, RDF.type, UNTOC.WorkingGroup) in graph
    # labels of what it links to, in English and Russian
    labels = {str(o) for o in graph.objects(DECISION_4_4, rdflib.RDFS.label)}
    assert "decision 4/4" in labels and "решение 4/4" in labels
    # incoming statements: its meetings point at it
    meeting = rdflib.URIRef(BASE + "id/meeting/wg-tip-13")
    assert (meeting, UNTOC.meetingOf, WG_TIP) in graph


@pytest.mark.parametrize("media_type", sorted(RDF_TYPES))
def test_every_rdf_format_by_accept_extension_and_parameter(client, media_type):
    rdflib_format, extension = RDF_TYPES[media_type]
    answers = [
        client.get("/id/body/wg-tip", headers={"Accept": media_type}),
        client.get(f"/id/body/wg-tip.{extension}"),
        client.get(f"/id/body/wg-tip?format={extension}"),
    ]
    for response in answers:
        assert response.status_code == 200
        assert response.mimetype == media_type
        graph = parse_rdf(response.data, rdflib_format)
        assert (WG_TIP, UNTOC.establishedBy, DECISION_4_4) in graph


def test_html_is_the_default_and_what_browsers_get(client):
    for headers in ({}, {"Accept": BROWSER_ACCEPT}, {"Accept": "*/*"}):
        response = client.get("/id/body/wg-tip", headers=headers)
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        assert b"Working Group on Trafficking in Persons" in response.data


def test_document_keys_with_dots_are_not_taken_for_extensions(client):
    html = client.get("/id/document/ctoc-cop-wg.4-2023-5")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert b"CTOC/COP/WG.4/2023/5" in html.data
    turtle = client.get("/id/document/ctoc-cop-wg.4-2023-5.ttl")
    assert turtle.mimetype == "text/turtle"
    graph = parse_rdf(turtle.data, "turtle")
    report = rdflib.URIRef(BASE + "id/document/ctoc-cop-wg.4-2023-5")
    assert (report, UNTOC.reportOf, rdflib.URIRef(BASE + "id/meeting/wg-tip-13")) in graph


def test_unacceptable_media_type_gets_406(client):
    response = client.get("/id/body/wg-tip", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"text/turtle" in response.data
    assert client.get("/id/body/wg-tip?format=pdf").status_code == 406


def test_headers_vary_link_etag_and_conditional_get(client):
    response = client.get("/id/body/wg-tip", headers={"Accept": "text/turtle"})
    assert "Accept" in response.headers["Vary"] and "Accept-Language" in response.headers["Vary"]
    link = response.headers["Link"]
    assert f'<{WG_TIP}>; rel="canonical"' in link
    for media_type, (_, extension) in RDF_TYPES.items():
        assert f'</id/body/wg-tip.{extension}>; rel="alternate"; type="{media_type}"' in link
    etag = response.headers["ETag"]
    assert response.headers["Last-Modified"]
    again = client.get("/id/body/wg-tip", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    since = client.get(
        "/id/body/wg-tip.ttl", headers={"If-Modified-Since": response.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    html = client.get("/id/body/wg-tip", headers={"If-None-Match": etag})
    assert html.status_code == 200  # another representation, another ETag
    assert html.headers["ETag"] != etag


def test_description_includes_the_cited_parts_of_a_document(client):
    response = client.get("/id/document/cop12-subsidiary-bodies-note.ttl")
    graph = parse_rdf(response.data, "turtle")
    para = rdflib.URIRef(BASE + "id/document/cop12-subsidiary-bodies-note#para-1")
    text = str(graph.value(para, RDF.value))
    assert "решением 4/4" in text


def test_unknown_iri_gets_a_helpful_404(client):
    response = client.get("/id/body/wg-tipp")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert 'href="/id/body/wg-tip"' in response.data.decode()  # a suggestion
    plain = client.get("/id/body/wg-tipp", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404
    assert plain.mimetype == "text/plain"
    assert b"wg-tipp" in plain.data


def test_a_path_no_route_serves_gets_the_same_helpful_404(client):
    """`/update`, `/body/wg-tip`: unknown IRIs under the base too, not Flask's bare page."""
    page = client.get("/update?lang=ru", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 404 and page.mimetype == "text/html"
    html = page.data.decode()
    assert '<html lang="ru"' in html and 'action="/search"' in html
    assert "https://w3id.org/untoc/update" in html
    plain = client.get("/update", headers={"Accept": "text/plain"})
    assert (plain.status_code, plain.mimetype) == (404, "text/plain")
    assert b"https://w3id.org/untoc/update" in plain.data
    machine = client.get("/update", headers={"Accept": "application/json"})
    assert (machine.status_code, machine.mimetype) == (404, "application/json")
    assert "https://w3id.org/untoc/update" in machine.get_json()["error"]
    dump = client.get("/dumps/none.ttl", headers={"Accept": BROWSER_ACCEPT})
    assert dump.status_code == 404 and b"no dump named" in dump.data  # the view's own message


def test_incoming_links_are_paginated(tricky_client):
    first = tricky_client.get("/id/body/wg-evil.nt")
    graph = parse_rdf(first.data, "nt")
    target = rdflib.URIRef(BASE + "id/body/wg-evil")
    incoming = set(graph.subjects(UNTOC.addresses, target))
    assert 0 < len(incoming) < EXTRA_PROVISIONS
    second = parse_rdf(tricky_client.get("/id/body/wg-evil.nt?in_page=2").data, "nt")
    more = set(second.subjects(UNTOC.addresses, target))
    assert more and not more & incoming
    assert len(incoming | more) == EXTRA_PROVISIONS
    html = tricky_client.get("/id/body/wg-evil").data.decode()
    assert 'rel="next"' in html and "in_page=2" in html
    assert tricky_client.get("/id/body/wg-evil?in_page=x").status_code == 400


# ---------------------------------------------------------------- HTML content


def test_working_group_page(client):
    html = client.get("/id/body/wg-tip").data.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "<h1>Working Group on Trafficking in Persons</h1>" in html
    # establishing and mandating instruments
    section = html.split('id="instruments"')[1].split("</section>")[0]
    assert 'href="/id/decision/cop-4-4"' in section
    assert 'href="/id/resolution/cop-7-1"' in section
    # meetings as an SVG timeline with report symbols
    timeline = html.split("<svg", 1)[1].split("</svg>")[0]
    assert 'class="timeline"' in timeline
    assert 'href="/id/meeting/wg-tip-13"' in timeline and 'href="/id/meeting/wg-tip-14"' in timeline
    assert "CTOC/COP/WG.4/2023/5" in timeline and "2–3 October 2023" in timeline
    # the source paragraph, quoted
    sources = html.split('id="sources"')[1].split("</section>")[0]
    assert "решением 4/4" in sources
    assert 'href="/id/document/cop12-subsidiary-bodies-note#para-1"' in sources
    # human labels for properties, and incoming links
    assert ">established by<" in html
    assert 'id="incoming"' in html and 'href="/id/meeting/wg-tip-13"' in html


def test_links_in_pages_are_local_and_rdf_keeps_canonical_iris(client):
    for path in ("/", "/id/body/wg-tip", "/id/document/cop12-subsidiary-bodies-note", "/ontology"):
        links = parse_html(client.get(path).data)
        assert links.hrefs
        assert not [h for h in links.hrefs if h.startswith(BASE)], path
    graph = parse_rdf(client.get("/id/body/wg-tip.ttl").data, "turtle")
    assert (WG_TIP, UNTOC.subsidiaryBodyOf, rdflib.URIRef(BASE + "id/body/cop")) in graph


def test_instrument_page_lists_provisions(client):
    html = client.get("/id/resolution/cop-7-1").data.decode()
    section = html.split('id="provisions"')[1].split("</section>")[0]
    for body in ("wg-tip", "wg-som", "wg-firearms", "wg-ic", "wg-ta"):
        assert f'href="/id/body/{body}"' in section
    assert 'href="/id/resolution/cop-7-1/provision/makes-permanent-wg-tip"' in section


def test_report_page_shows_symbol_and_what_it_reports_on(client):
    html = client.get("/id/document/ctoc-cop-wg.4-2023-5").data.decode()
    summary = html.split('id="document"')[1].split("</section>")[0]
    assert "CTOC/COP/WG.4/2023/5" in summary
    assert 'href="/id/meeting/wg-tip-13"' in summary
    assert 'href="/id/body/wg-tip"' in summary
    assert 'href="/id/session/cop-12"' in summary


def test_meeting_page_links_its_report(client):
    html = client.get("/id/meeting/wg-tip-13").data.decode()
    reports = html.split('id="reports"')[1].split("</section>")[0]
    assert 'href="/id/document/ctoc-cop-wg.4-2023-5"' in reports


def test_note_page_has_its_paragraphs_with_anchors(client):
    html = client.get("/id/document/cop12-subsidiary-bodies-note").data.decode()
    assert 'id="para-1"' in html and 'id="para-15"' in html
    assert "Рабочая группа правительственных экспертов по технической помощи" in html


def test_external_links_and_query_this(client):
    html = client.get("/id/place/vienna").data.decode()
    assert "http://www.wikidata.org/entity/Q1741" in html or "wikidata.org/wiki/Q1741" in html
    assert "Wikidata" in html and "GeoNames" in html
    links = parse_html(client.get("/id/body/wg-tip").data)
    queries = [h for h in links.hrefs if h.startswith("/sparql?query=")]
    assert any("DESCRIBE" in h for h in queries)


def test_schema_org_json_ld_is_embedded(client):
    links = parse_html(client.get("/id/meeting/wg-tip-13").data)
    data = json.loads("".join(links.jsonld))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["@id"] == BASE + "id/meeting/wg-tip-13"
    assert data["startDate"] == "2023-10-02"
    assert data["location"]["@id"] == BASE + "id/place/vienna"


# ---------------------------------------------------------------- languages


def test_language_by_parameter_and_accept_language(client):
    by_param = client.get("/id/body/wg-tip?lang=ru").data.decode()
    assert '<html lang="ru" dir="ltr">' in by_param
    assert "<h1>Рабочая группа по торговле людьми</h1>" in by_param
    assert i18n.gettext("What points here", "ru") in by_param
    # an explicit choice is carried on by the links
    assert 'href="/id/decision/cop-4-4?lang=ru"' in by_param
    by_header = client.get("/id/body/wg-tip", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert "<h1>Рабочая группа по торговле людьми</h1>" in by_header.data.decode()
    assert 'href="/id/decision/cop-4-4"' in by_header.data.decode()


def test_arabic_is_right_to_left_and_labels_fall_back_to_english(client):
    html = client.get("/id/body/wg-tip?lang=ar").data.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>Working Group on Trafficking in Persons</h1>" in html  # no Arabic label
    assert i18n.gettext("What points here", "ar") in html
    vienna = client.get("/id/place/vienna?lang=zh").data.decode()
    assert "<h1>维也纳</h1>" in vienna


def test_unknown_language_falls_back_to_english(client):
    html = client.get("/id/body/wg-tip?lang=xx", headers={"Accept-Language": "de"}).data.decode()
    assert '<html lang="en"' in html


def test_language_switcher_offers_six_languages(client):
    links = parse_html(client.get("/id/body/wg-tip").data)
    switch = {h.split("lang=")[1] for h in links.hrefs if h.startswith("/id/body/wg-tip?lang=")}
    assert switch == {"fr", "es", "ru", "ar", "zh"}


# ---------------------------------------------------------------- home, listings, search


def test_home_page(client, loaded_store):
    html = client.get("/").data.decode()
    assert "Conference of the Parties" in html
    structure = html.split('class="structure"')[1].split("</svg>")[0]
    for body in ("wg-tip", "wg-som", "wg-firearms", "wg-ic", "wg-ta"):
        assert f'href="/id/body/{body}"' in structure
    for treaty in ("tip-protocol", "som-protocol", "firearms-protocol"):
        assert f'href="/id/treaty/{treaty}"' in structure
    assert 'href="/id/decision/cop-4-4"' in structure
    meetings = loaded_store.oxigraph.query(
        f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ GRAPH ?g {{ ?m a <{UNTOC.Meeting}> }} }}"
    )
    count = next(iter(meetings))["n"].value
    shown = re.search(r'class=untoc%3AMeeting">[^<]+</a></td><td class="num">(\d+)<', html)
    assert shown and shown.group(1) == count
    assert 'action="/search"' in html


def test_listing_paginates(tricky_client, loaded_store):
    first = tricky_client.get("/list?class=untoc:Provision").data.decode()
    assert 'rel="next"' in first
    second = tricky_client.get("/list?class=untoc:Provision&page=2").data.decode()
    first_items = set(re.findall(r'<li><a href="([^"]+)"', first))
    second_items = set(re.findall(r'<li><a href="([^"]+)"', second))
    assert first_items and second_items and not first_items & second_items
    curated = subjects_with(loaded_store, RDF_TYPE, BASE + "ontology#Provision")
    assert len(first_items | second_items) == EXTRA_PROVISIONS + len(curated)
    by_iri = tricky_client.get("/list", query_string={"class": UNTOC.Provision, "page": "2"})
    assert set(re.findall(r'<li><a href="([^"]+)"', by_iri.data.decode())) == second_items
    assert tricky_client.get("/list").status_code == 400


def test_search_over_labels_in_all_languages(client):
    for query in ("Vienna", "Вена", "维也纳", "فيينا"):
        html = client.get("/search", query_string={"q": query}).data.decode()
        assert 'href="/id/place/vienna"' in html, query
    assert client.get("/search", query_string={"q": "x" * 201}).status_code == 400
    empty = client.get("/search?q=zzzznothing").data.decode()
    assert "Nothing found." in empty


def test_named_graph_pages(client):
    html = client.get("/graph/cop12-subsidiary-bodies-note").data.decode()
    assert 'href="/id/document/cop12-subsidiary-bodies-note"' in html
    # subjects in the store's index order, 50 a page (86 in this graph)
    assert 'rel="next"' in html
    second = client.get("/graph/cop12-subsidiary-bodies-note?page=2").data.decode()
    assert 'href="/id/body/wg-tip"' in html + second
    first_items = set(re.findall(r'<li><a href="([^"]+)"', html))
    second_items = set(re.findall(r'<li><a href="([^"]+)"', second))
    assert len(first_items) == 50 and len(second_items) == 36
    assert not first_items & second_items
    turtle = client.get("/graph/cop12-subsidiary-bodies-note", headers={"Accept": "text/turtle"})
    graph = parse_rdf(turtle.data, "turtle")
    assert (WG_TIP, UNTOC.establishedBy, DECISION_4_4) in graph
    assert client.get("/graph/no-such-graph").status_code == 404
    index = client.get("/graph/").data.decode()
    assert 'href="/graph/ontology"' in index


def test_every_shape_linked_from_the_shapes_graph_page_has_an_anchor_on_shapes(client):
    """The pages link shapes IRIs (`.../shapes#BodyShape`) to `/shapes#BodyShape`."""
    listing = Links()
    listing.feed(client.get("/graph/shapes").data.decode())
    anchors = {href.split("#", 1)[1] for href in listing.hrefs if href.startswith("/shapes#")}
    assert "BodyShape" in anchors
    page = client.get("/shapes?lang=ar")
    assert page.status_code == 200
    html = page.data.decode()
    assert not [a for a in anchors if f'id="{a}"' not in html]
    assert "sh:targetClass untoc:Body" in html
    response = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = parse_rdf(response.data, "turtle")
    body_shape = rdflib.URIRef(BASE + "shapes#BodyShape")
    assert (body_shape, RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")) in graph
    assert client.get("/shapes.jsonld").mimetype == "application/ld+json"
    assert client.get("/shapes.pdf").status_code == 404


def test_ontology_page_and_turtle(client):
    html = client.get("/ontology").data.decode()
    assert 'id="WorkingGroup"' in html and 'id="establishedBy"' in html
    assert "org:" in html or "schema:" in html  # alignments shown as CURIEs
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = parse_rdf(response.data, "turtle")
    assert (UNTOC.WorkingGroup, RDF.type, OWL.Class) in graph
    assert (UNTOC.establishedBy, RDF.type, OWL.ObjectProperty) in graph
    assert client.get("/ontology.ttl").mimetype == "text/turtle"
    assert client.get("/ontology.pdf").status_code == 404


# ---------------------------------------------------------------- safety


def test_labels_with_markup_are_escaped_everywhere(tricky_client):
    pages = [
        "/",
        "/id/body/wg-evil",
        "/id/meeting/wg-evil-1",
        "/id/document/evil-report",
        "/search?q=script",
        "/list?class=untoc:WorkingGroup",
        "/id/decision/cop-4-4",
    ]
    for path in pages:
        html = tricky_client.get(path).data.decode()
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "</script><script>" not in html, path
        assert 'href="javascript:' not in html, path
    wg = tricky_client.get("/id/body/wg-evil").data.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Working Group" in wg
    data = json.loads("".join(parse_html(wg.encode()).jsonld))
    assert data["name"] == SCRIPT_LABEL
    report = tricky_client.get("/id/document/evil-report").data.decode()
    data = json.loads("".join(parse_html(report.encode()).jsonld))
    assert data["identifier"] == SCRIPT_SYMBOL
    home = tricky_client.get("/").data.decode()
    structure = home.split('class="structure"')[1].split("</svg>")[0]
    assert "&lt;script&gt;alert(1)" in structure
