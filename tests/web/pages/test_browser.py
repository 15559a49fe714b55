"""Pages in a real browser (Debian's Chromium driven by Playwright) against a live server,
and a crawler that follows links from the home page to every entity of the source note."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import BASE, start_live_server
from pages_data import SCRIPT_LABEL, tricky_store
from playwright.sync_api import expect

NOTE_GRAPH = BASE + "graph/cop12-subsidiary-bodies-note"
MAX_CRAWL = 3000


@pytest.fixture(scope="module")
def tricky_server(test_config, sources):
    server = start_live_server(test_config, tricky_store(sources))
    yield server
    server.stop()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


def shot(page, output_dir, name: str) -> None:
    folder = output_dir / "pages"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_browse_home_working_group_russian_meeting_report(page, tricky_server, output_dir):
    page.goto(tricky_server.url + "/")
    expect(page.locator("h1")).to_have_text("UNTOC Knowledge Graph")
    expect(page.locator("svg.structure")).to_be_visible()
    shot(page, output_dir, "01-home")

    page.locator('svg.structure a[href="/id/body/wg-tip"]').click()
    expect(page).to_have_url(re.compile(r"/id/body/wg-tip$"))
    expect(page.locator("h1")).to_have_text("Working Group on Trafficking in Persons")
    timeline = page.locator("svg.timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator('a[href="/id/meeting/wg-tip-13"]')).to_have_count(1)
    shot(page, output_dir, "02-working-group")

    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Рабочая группа по торговле людьми")
    expect(page.locator("svg.timeline")).to_be_visible()
    shot(page, output_dir, "03-working-group-ru")

    page.locator('#meetings table a[href^="/id/meeting/wg-tip-13"]').click()
    expect(page).to_have_url(re.compile(r"/id/meeting/wg-tip-13\?lang=ru$"))
    expect(page.locator("h1")).to_contain_text("Тринадцатое совещание")
    shot(page, output_dir, "04-meeting-ru")

    page.locator('#reports a[href^="/id/document/ctoc-cop-wg.4-2023-5"]').click()
    expect(page.locator("#document .symbol")).to_have_text("CTOC/COP/WG.4/2023/5")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    shot(page, output_dir, "05-report-ru")
    assert page.dialogs == []


def test_script_label_is_shown_as_text(page, tricky_server, output_dir):
    page.goto(tricky_server.url + "/id/body/wg-evil")
    expect(page.locator("h1")).to_have_text(SCRIPT_LABEL)
    expect(page.locator("svg.timeline")).to_be_visible()
    expect(page.locator("svg.timeline text.meeting-title")).to_contain_text("<script>alert(1)")
    # the only script elements are the inert JSON-LD data blocks
    types = page.evaluate("[...document.scripts].map(s => s.type)")
    assert types == ["application/ld+json"]
    shot(page, output_dir, "06-script-label")
    page.goto(tricky_server.url + "/")
    expect(page.locator("svg.structure")).to_contain_text("<script>alert(1)</script>")
    page.goto(tricky_server.url + "/id/document/evil-report")
    expect(page.locator("#document .symbol")).to_have_text("</script><script>alert(2)</script>")
    assert page.dialogs == []


def test_arabic_page_is_right_to_left(page, tricky_server, output_dir):
    page.goto(tricky_server.url + "/id/body/wg-tip?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
    assert direction == "rtl"
    # the first column of a table sits on the right
    header = page.locator("#meetings thead th").first.bounding_box()
    last = page.locator("#meetings thead th").last.bounding_box()
    assert header["x"] > last["x"]
    shot(page, output_dir, "07-working-group-ar")


def test_ontology_page_renders(page, tricky_server, output_dir):
    page.goto(tricky_server.url + "/ontology")
    expect(page.locator("#WorkingGroup")).to_be_visible()
    shot(page, output_dir, "08-ontology")


def _note_entities(store) -> set[str]:
    rows = store.oxigraph.query(
        f"SELECT DISTINCT ?s WHERE {{ GRAPH <{NOTE_GRAPH}> {{ ?s ?p ?o }} "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/")) }}'
    )
    return {urldefrag(row["s"].value)[0] for row in rows}


def test_crawler_from_home_reaches_every_entity_of_the_note(client, loaded_store):
    """Breadth-first over local links (no language variants), bounded."""
    wanted = {"/" + iri[len(BASE) :] for iri in _note_entities(loaded_store)}
    assert len(wanted) > 50
    seen, queue, visited_ids = {"/"}, deque(["/"]), set()
    href = re.compile(r'href="(/[^"]*)"')
    while queue and len(seen) < MAX_CRAWL:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, url
        path = urlsplit(url).path
        if path.startswith("/id/"):
            visited_ids.add(path)
        for link in href.findall(response.data.decode()):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if "lang=" in parts.query or "format=" in parts.query:
                continue
            if not parts.path.startswith(("/id/", "/list", "/graph/")) or link in seen:
                continue
            if re.search(r"\.(ttl|nt|jsonld|rdf)$", parts.path):
                continue
            seen.add(link)
            queue.append(link)
    assert not wanted - visited_ids


MEASURE_PLACEHOLDER = """input => { const s = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  return {text: ctx.measureText(input.placeholder).width,
          room: input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)}; }"""


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "ar", "zh"])
@pytest.mark.parametrize("width", [1200, 800])
def test_header_search_placeholder_is_not_cut_off(browser, tricky_server, output_dir, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    try:
        page.goto(f"{tricky_server.url}/id/body/wg-tip?lang={lang}")
        field = page.locator("header.site form.search input[type=search]")
        expect(field).to_be_visible()
        measured = field.evaluate(MEASURE_PLACEHOLDER)
        assert measured["text"] <= measured["room"], measured
        bar = page.locator("header.site .bar").bounding_box()
        box = field.bounding_box()
        assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]
        if width == 1200:
            page.locator("header.site").screenshot(
                path=str(output_dir / "pages" / f"09-header-{lang}.png")
            )
    finally:
        context.close()


def test_query_page_has_the_site_header_and_a_way_home(page, live_server, output_dir):
    page.goto(live_server.url + "/sparql?lang=ru")
    expect(page.locator("#yasgui .yasqe .CodeMirror")).to_be_visible()
    expect(page.locator("header.site .brand")).to_be_visible()
    shot(page, output_dir, "10-query-page-ru")
    page.locator("header.site .main-nav a").first.click()
    expect(page).to_have_url(re.compile(r"/\?lang=ru$"))
    expect(page.locator("h1")).to_have_text(
        "Граф знаний Конвенции против организованной преступности"
    )
