"""Every response carries the security headers; errors are never cached; nothing shows a
path of the server's disk; the query page runs under the Content-Security-Policy."""

from __future__ import annotations

import pytest

from graph_service.web.security import HEADERS

PATHS = ["/", "/id/body/wg-tip", "/id/nothing", "/sparql", "/sparql?query=ASK%7B%7D", "/void",
         "/dumps/", "/health", "/store?graph=x", "/validate", "/static/css/pages.css"]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_every_response_has_the_security_headers(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (path, name)


@pytest.mark.parametrize("path", ["/id/nothing", "/sparql?query=SELEC", "/list", "/store?graph=x"])
def test_errors_are_never_cached(client, path):
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code >= 400
    assert response.headers["Cache-Control"] == "no-store"


def test_health_names_no_path(test_config, tmp_path):
    from dataclasses import replace

    from graph_service.store import Store
    from graph_service.web.app import create_app

    store = Store(tmp_path / "secret-folder")
    body = create_app(replace(test_config, store_path=store.path), store=store).test_client()
    text = body.get("/health").get_data(as_text=True)
    assert "secret-folder" not in text and str(tmp_path) not in text
    assert '"store":"disk"' in text.replace(" ", "")


def test_the_query_page_runs_under_the_policy(browser, live_server):
    page = browser.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else 0)
    page.goto(f"{live_server.url}/sparql?query=ASK%20%7B%7D", wait_until="networkidle")
    page.wait_for_function("window.queryPage !== undefined", timeout=10_000)
    assert violations == []
    page.close()
