"""A page of every class in English, Russian and Arabic: valid HTML5, title, language and
direction, canonical link, schema.org JSON-LD that parses as RDF with the right types, no
English chrome on Russian pages, no raw IRIs where a label exists; in the browser, SVG
labels inside their boxes."""

from __future__ import annotations

import json
import re

import html5lib
import pyoxigraph as ox
import pytest
import rdflib
from babel.messages.pofile import read_po
from conftest import BASE, start_live_server

from graph_service import i18n
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.web.app import create_app
from graph_service.web.pages.structure import MAX_DIAGRAM_BODIES

SDO = rdflib.Namespace("https://schema.org/")
# Page name -> (path, schema.org type of its JSON-LD or None)
PAGES = {
    "home": ("/", "Dataset"),
    "cop": ("/id/body/cop", "Organization"),
    "working-group": ("/id/body/wg-tip", "Organization"),
    "body": ("/id/body/ga", "Organization"),
    "treaty": ("/id/treaty/untoc", "Legislation"),
    "protocol": ("/id/treaty/tip-protocol", "Legislation"),
    "session": ("/id/session/cop-12", "Event"),
    "decision": ("/id/decision/cop-4-4", "Legislation"),
    "resolution": ("/id/resolution/cop-7-1", "Legislation"),
    "provision": ("/id/resolution/cop-7-1/provision/makes-permanent-wg-tip", "Legislation"),
    "meeting": ("/id/meeting/wg-tip-13", "Event"),
    "report": ("/id/document/ctoc-cop-wg.4-2023-5", "Report"),
    "note": ("/id/document/cop12-subsidiary-bodies-note", "CreativeWork"),
    "agenda": ("/id/document/ctoc-cop-2024-1", "CreativeWork"),
    "agenda-item": ("/id/session/cop-12/agenda/5", "CreativeWork"),
    "place": ("/id/place/vienna", "Place"),
    "concept": ("/id/provision-type/establishes", "DefinedTerm"),
    "concept-scheme": ("/id/provision-type", "DefinedTermSet"),
    "graph": ("/graph/cop12-subsidiary-bodies-note", None),
    "graphs": ("/graph/", None),
    "ontology": ("/ontology", None),
    "list": ("/list?class=untoc:Meeting", None),
    "search": ("/search?q=%D0%B2%D0%B5%D0%BD%D0%B0", None),
    "not-found": ("/id/body/wg-tipp", None),
}
LANGS = ("en", "ru", "ar")
# A local context standing in for https://schema.org (no network in tests).
SCHEMA_CONTEXT = {
    "@vocab": "https://schema.org/",
    "url": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
    "license": {"@type": "@id"},
}


def with_lang(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + "lang=" + lang


def parse_strict(body: bytes):
    """The document tree; html5lib raises on the first parse error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(body)


def texts(element) -> str:
    return "".join(element.itertext()).strip()


@pytest.fixture(scope="module")
def pages(app):
    """Every page in every language, fetched once."""
    client = app.test_client()
    return {
        (name, lang): client.get(with_lang(path, lang))
        for name, (path, _) in PAGES.items()
        for lang in LANGS
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_valid_html5_with_title_language_and_canonical(pages, name, lang):
    response = pages[(name, lang)]
    assert response.status_code == (404 if name == "not-found" else 200)
    tree = parse_strict(response.data)
    html = tree
    assert html.get("lang") == lang and html.get("dir") == i18n.direction(lang)
    title = tree.find("head/title")
    assert (
        title is not None
        and texts(title)
        and texts(title).endswith(i18n.gettext("UNTOC Knowledge Graph", lang))
    )
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), name
    canonical = [e.get("href") for e in tree.iter("link") if e.get("rel") == "canonical"]
    if name == "not-found":
        assert not canonical
        assert any(e.get("content") == "noindex" for e in tree.iter("meta"))
    else:
        assert len(canonical) == 1 and canonical[0].startswith(("http://", "https://"))
        assert "lang=" not in canonical[0]
        hreflang = {e.get("hreflang") for e in tree.iter("link") if e.get("hreflang")}
        assert hreflang == set(i18n.LANGUAGES)


@pytest.mark.parametrize("name", sorted(n for n, (_, kind) in PAGES.items() if kind))
def test_schema_org_json_ld_parses_as_rdf_with_the_right_type(pages, name):
    path, kind = PAGES[name]
    tree = parse_strict(pages[(name, "en")].data)
    blocks = [texts(s) for s in tree.iter("script") if s.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@context"] == "https://schema.org"
    graph = rdflib.Graph().parse(
        data=json.dumps({**data, "@context": SCHEMA_CONTEXT}), format="json-ld"
    )
    subject = rdflib.URIRef(data["@id"])
    assert (subject, rdflib.RDF.type, SDO[kind]) in graph
    assert graph.value(subject, SDO.name) is not None
    if path.startswith("/id/"):
        assert str(subject) == BASE + path[1:]
        assert graph.value(subject, SDO.url) == subject
    if kind == "Event":
        for prop in (SDO.startDate, SDO.endDate):
            assert len(str(graph.value(subject, prop))) == 10  # ISO date, not localised
        place = graph.value(subject, SDO.location)
        assert (place, rdflib.RDF.type, SDO.Place) in graph
        assert (graph.value(subject, SDO.organizer), rdflib.RDF.type, SDO.Organization) in graph
    if name == "working-group":
        parent = graph.value(subject, SDO.parentOrganization)
        assert (parent, rdflib.RDF.type, SDO.Organization) in graph
    if name == "report":
        assert str(graph.value(subject, SDO.identifier)) == "CTOC/COP/WG.4/2023/5"
        assert (graph.value(subject, SDO.about), rdflib.RDF.type, SDO.Event) in graph
    if name == "provision":
        assert (graph.value(subject, SDO.isPartOf), rdflib.RDF.type, SDO.Legislation) in graph


def english_only_chrome() -> set[str]:
    """The English msgids of the page chrome that Russian translates differently."""
    with (i18n.TRANSLATIONS_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    return {m.id for m in catalog if isinstance(m.id, str) and m.id and m.string != m.id}


ENGLISH_ONLY = english_only_chrome()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_russian_pages_have_no_english_chrome_or_raw_iris(pages, name):
    tree = parse_strict(pages[(name, "ru")].data)
    chrome = {"h1", "h2", "h3", "th", "dt", "button", "figcaption", "caption"}
    for element in (e for e in tree.iter() if e.tag in chrome):
        assert texts(element) not in ENGLISH_ONLY, (name, texts(element))
    for link in tree.iter("a"):
        text = texts(link)
        assert not text.startswith(BASE), (name, text)  # a label exists for everything
        assert text not in ("paragraph 1", "header", "footnote 1"), name


# ---------------------------------------------------------------- in the browser

MEASURE_BOXES = """svg => [...svg.querySelectorAll('a')].filter(a => a.querySelector('rect'))
  .map(a => { const r = a.querySelector('rect').getBBox(), t = a.querySelector('text').getBBox();
    return {label: a.textContent, inside: t.x >= r.x - 0.5 && t.x + t.width <= r.x + r.width + 0.5
      && t.y >= r.y - 0.5 && t.y + t.height <= r.y + r.height + 0.5}; })"""
MEASURE_TEXT = """svg => { const w = svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
    return {label: t.textContent, inside: b.x >= 0 && b.x + b.width <= w}; }); }"""


@pytest.fixture(scope="module")
def browser_page(browser, test_config, loaded_store):
    server = start_live_server(test_config, loaded_store)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield server.url, context.new_page()
    context.close()
    server.stop()


@pytest.mark.parametrize("lang", LANGS)
def test_svg_labels_stay_inside_their_boxes(browser_page, output_dir, lang):
    url, page = browser_page
    folder = output_dir / "review"
    folder.mkdir(exist_ok=True)
    page.goto(f"{url}/?lang={lang}")
    boxes = page.locator("svg.structure").evaluate(MEASURE_BOXES)
    assert len(boxes) > 10
    assert [b["label"] for b in boxes if not b["inside"]] == []
    page.locator("svg.structure").screenshot(path=str(folder / f"structure-{lang}.png"))
    for path in ("/id/body/wg-ic", "/id/body/cop"):
        page.goto(f"{url}{path}?lang={lang}")
        lines = page.locator("svg.timeline").evaluate(MEASURE_TEXT)
        assert len(lines) > 4
        assert [t["label"] for t in lines if not t["inside"]] == []
    page.locator("svg.timeline").screenshot(path=str(folder / f"timeline-cop-{lang}.png"))


# ---------------------------------------------------------------- bounded pages


def test_structure_diagram_draws_the_cop_and_at_most_twelve_bodies(sources, test_config):
    store = Store(None)
    swap_in(store, sources)
    untoc = "https://w3id.org/untoc/ontology#"
    extra = [
        ox.Triple(
            ox.NamedNode(f"{BASE}id/body/extra-{n:02d}"),
            ox.NamedNode(untoc + "subsidiaryBodyOf"),
            ox.NamedNode(BASE + "id/body/x"),
        )
        for n in range(30)
    ]
    extra += [
        ox.Triple(
            ox.NamedNode(f"{BASE}id/body/wg-extra-{n:02d}"),
            ox.NamedNode(untoc + "subsidiaryBodyOf"),
            ox.NamedNode(BASE + "id/body/cop"),
        )
        for n in range(20)
    ]
    store.replace_graphs({BASE + "graph/test-many-bodies": extra})
    html = create_app(test_config, store=store).test_client().get("/").data.decode()
    structure = html.split('class="structure"')[1].split("</svg>")[0]
    assert 'href="/id/body/cop"' in structure  # the COP, though body x has more bodies
    assert "/id/body/extra-" not in structure
    bodies = set(re.findall(r'href="(/id/body/[^"]+)"', structure)) - {"/id/body/cop"}
    assert len(bodies) == MAX_DIAGRAM_BODIES
