"""SPARQL Update and Graph Store writes with the token keep the store conforming to the
shapes: a write that would break them is refused (422) and changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest

from graph_service.store import Store
from graph_service.store.guarded_update import GraphChange, apply_graph_changes, apply_update
from graph_service.store.loading import ValidationFailed, load
from graph_service.web.app import create_app

BASE = "https://w3id.org/untoc/"
UNTOC = "https://w3id.org/untoc/ontology#"
SCHEMA = "https://schema.org/"
TOKEN = {"Authorization": "Bearer test-update-token"}
NOTE_GRAPH = f"{BASE}graph/cop12-subsidiary-bodies-note"
XSD_DATE = "<http://www.w3.org/2001/XMLSchema#date>"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture()
def curated(test_config):
    """The curated sources, loaded and validated, in a store of the test's own."""
    store = Store(None)
    load(store, test_config.source_dirs, test_config)
    return store


def post_update(app, text):
    return app.test_client().post(
        "/sparql", data=text, headers=TOKEN, content_type="application/sparql-update"
    )


def test_an_update_breaking_a_shape_is_refused_and_changes_nothing(test_config, curated):
    app = create_app(test_config, store=curated)
    before = curated.export()
    generation = curated.generation
    # The 13th meeting of the TIP group would end before it starts.
    response = post_update(
        app,
        f"""
        DELETE {{ GRAPH ?g {{ <{BASE}id/meeting/wg-tip-13> <{SCHEMA}endDate> ?end }} }}
        INSERT {{ GRAPH ?g {{ <{BASE}id/meeting/wg-tip-13> <{SCHEMA}endDate>
                              "2023-10-01"^^{XSD_DATE} }} }}
        WHERE {{ GRAPH ?g {{ <{BASE}id/meeting/wg-tip-13> <{SCHEMA}endDate> ?end }} }}""",
    )
    assert response.status_code == 422
    message = response.get_data(as_text=True)
    assert "violates the shapes" in message
    assert f"{BASE}id/meeting/wg-tip-13" in message
    assert curated.export() == before
    assert curated.generation == generation


def test_a_conforming_update_is_applied(test_config, curated):
    app = create_app(test_config, store=curated)
    comment = "Reports transmitted to the twelfth session."
    response = post_update(
        app,
        f"""INSERT DATA {{ GRAPH <{NOTE_GRAPH}> {{
        <{BASE}id/body/wg-tip> <http://www.w3.org/2000/01/rdf-schema#comment> "{comment}"@en
        }} }}""",
    )
    assert response.status_code == 204, response.get_data(as_text=True)
    assert bool(curated.query(f'ASK {{ <{BASE}id/body/wg-tip> ?p "{comment}"@en }}'))


def test_the_default_graph_is_checked_and_kept_too(test_config, curated):
    # A working group without labels, establishing instrument or source, in the default graph.
    with pytest.raises(ValidationFailed) as failure:
        apply_update(
            curated,
            f"INSERT DATA {{ <{BASE}id/body/wg-new> a <{UNTOC}WorkingGroup> }}",
            test_config,
        )
    assert f"{BASE}id/body/wg-new" in failure.value.report.text()
    changed = apply_update(
        curated, 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }', test_config
    )
    assert changed == 1
    assert bool(curated.query('ASK { GRAPH ?g { ?s ?p "c" } }')) is False  # not a named graph
    assert bool(curated.query('ASK { <http://example.org/a> ?p "c" }'))


def test_an_update_changing_nothing_is_not_validated_again(test_config, curated):
    generation = curated.generation
    assert (
        apply_update(
            curated,
            "DELETE DATA { <http://example.org/none> <http://example.org/p> 1 }",
            test_config,
        )
        == 0
    )
    assert curated.generation == generation


def test_load_from_an_unreachable_source_is_a_502(test_config, curated):
    from conftest import free_port

    source = f"http://127.0.0.1:{free_port()}/"
    app = create_app(replace(test_config, load_sources=(source,)), store=curated)
    response = post_update(app, f"LOAD <{source}data.ttl>")
    assert response.status_code == 502
    assert "LOAD refused" in response.get_data(as_text=True) and source in response.get_data(
        as_text=True
    )


# Graph Store writes (/store) go through the same gate


def test_graph_changes_are_gated_like_updates(test_config, curated):
    before, generation = curated.export(), curated.generation
    broken = ox.Triple(
        ox.NamedNode(f"{BASE}id/body/wg-new"),
        ox.NamedNode(RDF_TYPE),
        ox.NamedNode(f"{UNTOC}WorkingGroup"),
    )
    with pytest.raises(ValidationFailed) as failure:
        apply_graph_changes(curated, [GraphChange(f"{BASE}graph/x", [broken], True)], test_config)
    assert f"{BASE}id/body/wg-new" in failure.value.report.text()
    assert curated.export() == before and curated.generation == generation


def test_graph_changes_replace_add_and_report_what_existed(test_config):
    store = Store(None)
    store.update(
        "INSERT DATA { GRAPH <http://example.org/g> "
        "{ <http://example.org/a> <http://example.org/p> 1 } }"
    )
    one = ox.Triple(
        ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/p"), ox.Literal(2)
    )
    existed = apply_graph_changes(
        store,
        [
            GraphChange("http://example.org/g", [one], replace=False),
            GraphChange("http://example.org/h", [one], replace=True),
            GraphChange(None, [one], replace=True),
        ],
        test_config,
    )
    assert existed == {"http://example.org/g", None}
    assert len(list(store.quads("http://example.org/g"))) == 2
    assert [q.triple for q in store.quads("http://example.org/h")] == [one]
    assert bool(store.query("ASK { GRAPH ?g { ?s ?p 2 } }"))


def test_an_empty_graph_is_removed_by_replacing_it_with_nothing(test_config):
    store = Store(None)
    store.update("CREATE GRAPH <http://example.org/empty>")
    assert store.contains_graph("http://example.org/empty")
    existed = apply_graph_changes(
        store, [GraphChange("http://example.org/empty", (), replace=True)], test_config
    )
    assert existed == {"http://example.org/empty"}
    assert not store.contains_graph("http://example.org/empty")
    # Nothing to remove: nothing existed, nothing changes.
    generation = store.generation
    assert (
        apply_graph_changes(store, [GraphChange("http://example.org/no", (), True)], test_config)
        == set()
    )
    assert store.generation == generation
