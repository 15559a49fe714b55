"""The query page for people: YASGUI, vendored, with the competency questions as examples.
Checked with the Flask client and in a real browser (Debian's Chromium via Playwright)."""

from __future__ import annotations

import hashlib
import html
import json
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from graph_service.config import PROJECT_ROOT
from graph_service.web import query_page

YASGUI_DIR = PROJECT_ROOT / "graph_service" / "web" / "static" / "yasgui"


def page_html(client) -> str:
    response = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_page_lists_every_competency_question(client):
    text = page_html(client)
    examples = query_page.load_examples()
    assert examples, "tests/competency/*.rq should provide example queries"
    options = {
        key: html.unescape(title)
        for key, title in re.findall(r'<option value="([^"]+)">([^<]*)</option>', text)
    }
    for example in examples:
        assert options[example.key] == example.title
        first_line = example.query.splitlines()[0]
        assert first_line.lower().startswith("# title:")
        assert example.title == first_line.split(":", 1)[1].strip()
    config = json.loads(
        re.search(
            r'<script id="query-page-config" type="application/json">(.*?)</script>', text, re.S
        ).group(1)
    )
    assert [e["query"] for e in config["examples"]] == [e.query for e in examples]
    assert config["endpoint"] == "http://localhost/sparql"
    assert config["prefixes"]["untoc"] == "https://w3id.org/untoc/ontology#"


def test_page_works_without_javascript_as_a_plain_form(client, curated_working_groups):
    text = page_html(client)
    form = re.search(r'<form class="plain-form"[^>]*>', text).group(0)
    assert 'method="get"' in form and 'action="http://localhost/sparql"' in form
    assert '<textarea id="plain-query" name="query"' in text
    assert '<select id="plain-format" name="format">' in text
    # Submitting the prefilled query, as a browser would, answers it.
    default = html.unescape(
        re.search(
            r'<textarea id="plain-query" name="query" rows="16">(.*?)</textarea>', text, re.S
        ).group(1)
    )
    response = client.get("/sparql", query_string={"query": default, "format": "json"})
    assert response.status_code == 200
    rows = response.get_json()["results"]["bindings"]
    assert {row["body"]["value"] for row in rows} == curated_working_groups


def test_vendored_yasgui_is_served_with_its_licence(client):
    text = page_html(client)
    for href in re.findall(r'(?:href|src)="(/static/yasgui/[^"]+)"', text):
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.data == (YASGUI_DIR / href.rsplit("/", 1)[1]).read_bytes(), href
    assert "/static/yasgui/yasgui.min.js" in text and "/static/yasgui/yasgui.min.css" in text
    assert "https://cdn" not in text and "unpkg" not in text and "jsdelivr" not in text
    licence = client.get("/static/yasgui/LICENSE")
    assert licence.status_code == 200 and b"MIT License" in licence.data
    readme = (YASGUI_DIR / "README.md").read_text()
    assert f"version {query_page.YASGUI_VERSION}" in readme
    for name in ("yasgui.min.js", "yasgui.min.css"):
        digest = hashlib.sha256((YASGUI_DIR / name).read_bytes()).hexdigest()
        assert f"`{name}` | `build/{name}` | `{digest}`" in readme, name


def test_examples_fall_back_gracefully(client, tmp_path, monkeypatch):
    (tmp_path / "untitled-question.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "broken.rq").write_bytes(b"\xff\xfe not utf-8")
    assert query_page.load_examples(tmp_path) == [
        query_page.Example(
            "untitled-question", "untitled question", "SELECT * WHERE { ?s ?p ?o }\n"
        )
    ]
    monkeypatch.setattr(query_page, "EXAMPLES_DIR", tmp_path / "absent")
    text = page_html(client)
    assert "no example queries found" in text and 'id="plain-form"' in text


# In a real browser


def small_example(store):
    """An example whose answer fits on YASR's first table page (computed, not assumed)."""
    for example in query_page.load_examples():
        result = store.query(example.query)
        if hasattr(result, "variables"):
            rows = list(result)
            if 2 <= len(rows) <= 20:
                return example, rows
    raise AssertionError("no competency question with 2-20 result rows")


def test_yasgui_runs_an_example_in_the_browser(browser, live_server, loaded_store, output_dir):
    example, rows = small_example(loaded_store)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    foreign, errors = [], []
    page.on(
        "request",
        lambda r: urlsplit(r.url).hostname not in ("127.0.0.1", None) and foreign.append(r.url),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(live_server.url + "/sparql")
        expect(page.locator("#yasgui .yasqe .CodeMirror")).to_be_visible()
        expect(page.locator("#plain-form")).to_be_hidden()
        editor_text = page.evaluate("window.queryPage.yasgui.getTab().getQuery()")
        assert "PREFIX untoc: <https://w3id.org/untoc/ontology#>" in editor_text
        assert (
            page.evaluate("window.queryPage.yasgui.getTab().getEndpoint()")
            == live_server.url + "/sparql"
        )

        page.select_option("#example-select", example.key)
        table_rows = page.locator("#yasgui .yasr table.dataTable tbody tr")
        expect(table_rows).to_have_count(len(rows), timeout=15_000)
        assert page.evaluate("window.queryPage.yasgui.getTab().getQuery()") == example.query
        first_cells = table_rows.first.locator("td").all_inner_texts()
        assert any(cell.strip() for cell in first_cells)

        folder = output_dir / "query-page"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / "yasgui-example.png"), full_page=True)

        # The raw response view shows what the endpoint sent.
        page.locator("#yasgui .yasr .select_response").click()
        expect(page.locator("#yasgui .yasr .CodeMirror")).to_contain_text('"bindings"')
        assert errors == []
        assert foreign == [], "the page must not load anything from outside this server"
    finally:
        context.close()


def test_plain_form_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/sparql")
        expect(page.locator("#plain-form")).to_be_visible()
        page.fill("#plain-query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type }")
        page.select_option("#plain-format", "csv")
        answers = []

        def record(route):
            response = route.fetch()
            answers.append((route.request.url, response.status, response.headers, response.text()))
            route.fulfill(response=response)

        page.route("**/sparql?*", record)
        page.click("#plain-form button[type=submit]")
        for _ in range(100):  # the route handler runs while Playwright waits
            if answers:
                break
            page.wait_for_timeout(100)
        [(url, status, headers, body)] = answers
        assert "format=csv" in url and "query=SELECT" in url
        assert status == 200
        assert headers["content-type"].startswith("text/csv")
        lines = body.splitlines()
        assert lines[0] == "n" and int(lines[1]) > 0
    finally:
        context.close()


def test_page_has_the_site_header_and_speaks_the_page_language(client):
    text = page_html(client)
    assert '<header class="site">' in text
    assert '<a class="brand" href="/">UNTOC Knowledge Graph</a>' in text
    assert '<a href="/">Home</a>' in text and 'action="/search"' in text
    french = client.get("/sparql?lang=fr", headers={"Accept": "text/html"}).data.decode()
    assert '<html lang="fr" dir="ltr">' in french
    assert "<h1>Requête SPARQL</h1>" in french and '<a href="/?lang=fr">Accueil</a>' in french
    assert '<div id="yasgui" lang="en"></div>' in french  # YASGUI's own interface is English
    arabic = client.get("/sparql?lang=ar", headers={"Accept": "text/html"}).data.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
