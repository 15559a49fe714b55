"""POST /validate: a SHACL report on posted RDF, nothing stored; GET /validate: a form."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH
from test_shapes import fixture_data

from graph_service.web.validate import MAX_BODY_BYTES

FIXTURES = Path(__file__).parents[1] / "shapes"
SHAPES_NS = "https://w3id.org/untoc/shapes#"


def as_nquads(triples) -> bytes:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)


@pytest.fixture(scope="module")
def conforming() -> bytes:
    return (FIXTURES / "base.trig").read_bytes()


@pytest.fixture(scope="module")
def violating() -> bytes:
    return as_nquads(fixture_data("DocumentSymbolPatternShape.fail.trig"))


@pytest.fixture()
def unchanged_store(loaded_store):
    before = loaded_store.export()
    yield
    assert loaded_store.export() == before


def test_conforming_trig_gives_a_turtle_report(client, conforming, unchanged_store):
    response = client.post("/validate", data=conforming, content_type="application/trig")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    report = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (None, SH.conforms, Literal(True)) in report


def test_violations_as_json(client, violating, unchanged_store):
    response = client.post(
        "/validate",
        data=violating,
        content_type="application/n-triples",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["conforms"] is False
    (violation,) = body["violations"]
    assert violation["shape"] == f"<{SHAPES_NS}DocumentSymbolPatternShape>"
    assert violation["focus_node"] == "<https://w3id.org/untoc/id/document/ctoc-cop-2024-1>"
    assert violation["value"] == '"СТОС/СОР/2024/1"'
    assert violation["severity"] == "Violation"


def test_violations_as_turtle_name_the_source_shape(client, violating):
    response = client.post("/validate", data=violating, content_type="application/n-triples")
    assert response.status_code == 200
    report = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    shapes = {str(s) for s in report.objects(None, SH.sourceShape)}
    assert f"{SHAPES_NS}DocumentSymbolPatternShape" in shapes


@pytest.mark.parametrize(
    "fmt, media_type",
    [
        ("jsonld", "application/ld+json"),
        ("nquads", "application/n-quads"),
        ("turtle", "text/turtle"),
    ],
)
def test_other_rdf_formats(client, conforming, fmt, media_type):
    quads = list(ox.parse(conforming, format=ox.RdfFormat.TRIG))
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    items = quads if rdf_format.supports_datasets else [q.triple for q in quads]
    body = ox.serialize(items, format=rdf_format)
    response = client.post(
        "/validate", data=body, content_type=media_type, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"conforms": True, "violations": []}


def test_form_field_data_and_format(client, violating, unchanged_store):
    response = client.post(
        "/validate",
        data={"data": violating.decode(), "format": "ntriples"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.get_json()["conforms"] is False
    page = client.post(
        "/validate",
        data={"data": violating.decode(), "format": "ntriples"},
        headers={"Accept": "text/html"},
    )
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "1 violation(s)" in page.get_data(as_text=True)


def test_unparsable_input_is_a_400_naming_the_line(client, unchanged_store):
    body = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n"
    response = client.post("/validate", data=body, content_type="text/turtle")
    assert response.status_code == 400
    assert "line 3" in response.get_data(as_text=True)


def test_oversized_body_is_a_413(client):
    body = b"#" * (MAX_BODY_BYTES + 1)
    response = client.post("/validate", data=body, content_type="text/turtle")
    assert response.status_code == 413


def test_unsupported_media_type_and_missing_field(client):
    assert client.post("/validate", data=b"x", content_type="text/plain").status_code == 415
    response = client.post("/validate", data={"format": "turtle"})
    assert response.status_code == 400
    assert "data" in response.get_data(as_text=True)


def test_get_shows_a_form(client):
    response = client.get("/validate")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<form method="post" action="/validate">' in page
    assert 'name="data"' in page and 'name="format"' in page


def test_over_real_http(live_server, violating):
    request = urllib.request.Request(
        f"{live_server.url}/validate",
        data=violating,
        headers={"Content-Type": "application/n-triples", "Accept": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        body = json.load(response)
    assert body["conforms"] is False
    assert {v["shape"] for v in body["violations"]} == {f"<{SHAPES_NS}DocumentSymbolPatternShape>"}
