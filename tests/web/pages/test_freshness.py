"""Pages, VoID and dumps follow the store: after an authorised update a conditional request
gets the new content, never a 304 with the old one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import BASE

from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.web.app import create_app

TOKEN = "fresh-token"
LABEL = "Working group renamed for the freshness test"
UPDATE = f"""INSERT DATA {{ GRAPH <{BASE}graph/cop12-subsidiary-bodies-note> {{
  <{BASE}id/body/wg-tip> <http://www.w3.org/2004/02/skos/core#altLabel> "{LABEL}"@en }} }}"""


@pytest.fixture()
def writable(test_config, sources):
    store = Store(None)
    swap_in(store, sources)
    app = create_app(replace(test_config, update_token=TOKEN), store=store)
    return app.test_client()


@pytest.mark.parametrize(
    "path", ["/id/body/wg-tip", "/id/body/wg-tip.ttl", "/void", "/dumps/untoc.nq", "/"]
)
def test_a_write_makes_cached_copies_stale(writable, path):
    first = writable.get(path)
    assert first.status_code == 200
    since, etag = first.headers["Last-Modified"], first.headers["ETag"]
    assert writable.get(path, headers={"If-Modified-Since": since}).status_code == 304
    assert writable.get(path, headers={"If-None-Match": etag}).status_code == 304

    updated = writable.post(
        "/sparql",
        data={"update": UPDATE},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert updated.status_code == 204

    by_date = writable.get(path, headers={"If-Modified-Since": since})
    assert by_date.status_code == 200
    assert by_date.headers["Last-Modified"] != since
    if path.startswith(("/id/", "/dumps/")):  # the new label is in these bodies
        assert LABEL in by_date.get_data(as_text=True)
        assert writable.get(path, headers={"If-None-Match": etag}).status_code == 200
