"""A browser following a "query this" link gets the query page with that query, run;
SPARQL clients asking for the same URL still get results."""

from __future__ import annotations

import html
import json
import re

import pytest
from playwright.sync_api import expect

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERY = "SELECT DISTINCT ?wg WHERE { ?wg a <https://w3id.org/untoc/ontology#WorkingGroup> }"


def page_config(text: str) -> dict:
    found = re.search(
        r'<script id="query-page-config" type="application/json">(.*?)</script>', text, re.S
    )
    return json.loads(found.group(1))


def test_browser_accept_gets_the_query_page_with_the_query(client):
    response = client.get(
        "/sparql", query_string={"query": QUERY}, headers={"Accept": BROWSER_ACCEPT}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    config = page_config(text)
    assert config["defaultQuery"] == QUERY and config["autorun"] is True
    textarea = re.search(
        r'<textarea id="plain-query" name="query" rows="16">(.*?)</textarea>', text, re.S
    ).group(1)
    assert html.unescape(textarea) == QUERY


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/sparql-results+json",
        "application/sparql-results+json, text/html;q=0.5",
    ],
)
def test_sparql_clients_still_get_results(client, curated_working_groups, accept):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": QUERY}, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert len(response.get_json()["results"]["bindings"]) == len(curated_working_groups)


def test_format_parameter_wins_over_a_browser_accept(client):
    response = client.get(
        "/sparql",
        query_string={"query": QUERY, "format": "csv"},
        headers={"Accept": BROWSER_ACCEPT},
    )
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines()[0] == "wg"


def test_malformed_query_from_a_browser_shows_in_the_page_not_a_500(client):
    response = client.get(
        "/sparql", query_string={"query": "SELECT WHERE {"}, headers={"Accept": BROWSER_ACCEPT}
    )
    assert response.status_code == 200
    assert page_config(response.get_data(as_text=True))["defaultQuery"] == "SELECT WHERE {"


def test_query_this_link_runs_the_query_in_the_browser(browser, live_server, output_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(live_server.url + "/id/body/wg-tip?lang=en")
        link = page.locator("a[href*='/sparql?query=']").first
        href = link.get_attribute("href")
        link.click()
        page.wait_for_url("**/sparql?query=**")
        editor = page.evaluate("window.queryPage.yasgui.getTab().getQuery()")
        assert "wg-tip" in editor
        assert href.startswith("/sparql?query=")
        expect(page.locator("#yasgui .yasr")).to_contain_text("wg-tip", timeout=15_000)
        folder = output_dir / "query-page"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / "query-this.png"), full_page=True)
    finally:
        page.close()
