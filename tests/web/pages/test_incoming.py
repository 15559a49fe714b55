"""A hub's "What points here": a page of the incoming statements in the store's index order
(no sort of them all), a count that stops at a cap, and pages that together hold every
statement once."""

from __future__ import annotations

import re

import pytest

from graph_service.store import Store
from graph_service.web.app import create_app
from graph_service.web.pages import descriptions

BASE = "https://w3id.org/untoc/"
HUB = f"{BASE}id/place/hub"
LINKS = 120


@pytest.fixture(scope="module")
def hub_client(test_config):
    store = Store(None)
    rows = "\n".join(
        f"<{BASE}id/meeting/m-{n:03d}> <https://schema.org/location> <{HUB}> ."
        + (f" <{BASE}id/meeting/m-{n:03d}> <{BASE}ontology#heldNear> <{HUB}> ." if n < 5 else "")
        for n in range(LINKS)
    )
    store.update(
        f"INSERT DATA {{ GRAPH <{BASE}graph/hub> {{ {rows} "
        f'<{HUB}> <http://www.w3.org/2000/01/rdf-schema#label> "hub"@en . '
        f"<{HUB}#part> <https://schema.org/location> <{HUB}> . }} }}"
    )
    return create_app(test_config, store=store).test_client()


def incoming_rows(html: str) -> list[tuple[str, str]]:
    section = html.split('<section id="incoming">', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<tr><td><a href="([^"]+)".*?</td><td><a href="([^"]+)"', section)


def test_incoming_pages_hold_every_statement_once_with_the_total(hub_client):
    seen: list[tuple[str, str]] = []
    page = 1
    while True:
        html = hub_client.get(f"/id/place/hub?in_page={page}").get_data(as_text=True)
        assert f"{LINKS + 5} statements point here" in html
        rows = incoming_rows(html)
        properties = [prop for _, prop in rows]  # each page sorted: property, then subject
        assert properties == sorted(properties, key=properties.index)
        for prop in set(properties):
            subjects = [subject for subject, p in rows if p == prop]
            assert subjects == sorted(subjects)
        seen += rows
        if 'rel="next"' not in html.split('<section id="incoming">', 1)[1]:
            break
        assert len(rows) == descriptions.INCOMING_PAGE
        page += 1
    assert page == 3
    assert len(seen) == len(set(seen)) == LINKS + 5  # its own #part is not among them


def test_a_hub_count_stops_at_the_cap(hub_client, monkeypatch):
    monkeypatch.setattr(descriptions, "INCOMING_COUNT_CAP", 100)
    html = hub_client.get("/id/place/hub").get_data(as_text=True)
    assert "More than 100 statements point here" in html
    assert 'rel="next"' in html
    assert descriptions.incoming_count(hub_client.application.extensions["kg"].store, HUB, 7) == (
        7,
        True,
    )


def test_a_resource_nothing_points_at_shows_no_count(hub_client):
    html = hub_client.get("/id/meeting/m-001").get_data(as_text=True)
    assert "incoming-count" not in html
