"""A deployment under another base IRI (KG_BASE_IRI) serves its resources under that base."""

from dataclasses import replace

import pytest
import rdflib

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.loading import load
from graph_service.web.app import create_app

LOCAL_BASE = "http://localhost:5000/"


@pytest.fixture(scope="module")
def rebased():
    config = replace(Config(store_path=None), base_iri=LOCAL_BASE)
    store = Store(None)
    load(store, config.source_dirs, config)  # parses, rebases and validates against the shapes
    return config, store


def test_instances_and_graphs_move_to_the_configured_base(rebased):
    _, store = rebased
    graphs = store.named_graphs()
    assert LOCAL_BASE + "graph/cop12-subsidiary-bodies-note" in graphs
    assert not [g for g in graphs if g.startswith("https://w3id.org/untoc/")]
    ask = store.query(
        "ASK { <http://localhost:5000/id/body/wg-tip> "
        "<https://w3id.org/untoc/ontology#establishedBy> "
        "<http://localhost:5000/id/decision/cop-4-4> }"
    )
    assert bool(ask)


def test_the_vocabulary_namespace_does_not_move(rebased, curated_working_groups):
    _, store = rebased
    rows = list(
        store.query(
            "SELECT (COUNT(DISTINCT ?wg) AS ?n) "
            "WHERE { ?wg a <https://w3id.org/untoc/ontology#WorkingGroup> }"
        )
    )
    assert int(rows[0]["n"].value) == len(curated_working_groups)


def test_pages_serve_the_rebased_resource(rebased):
    config, store = rebased
    client = create_app(config, store=store).test_client()
    response = client.get("/id/body/wg-tip", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
    wg_tip = rdflib.URIRef(LOCAL_BASE + "id/body/wg-tip")
    established = rdflib.URIRef("https://w3id.org/untoc/ontology#establishedBy")
    assert (wg_tip, established, rdflib.URIRef(LOCAL_BASE + "id/decision/cop-4-4")) in graph
