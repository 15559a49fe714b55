"""SPARQL Update and Graph Store writes with the token keep the store conforming to the
shapes: a write that would break them is refused (422) and changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest

from graph_service.store import Store
from graph_service.store.guarded_update import GraphChange, apply_graph_changes, apply_update
from graph_service.store.loading import ValidationFailed, load, load_on_disk
from graph_service.web.app import create_app

BASE = "https://w3id.org/untoc/"
UNTOC = "https://w3id.org/untoc/ontology#"
SCHEMA = "https://schema.org/"
TOKEN = {"Authorization": "Bearer test-update-token"}
NOTE_GRAPH = f"{BASE}graph/cop12-subsidiary-bodies-note"
NOTE = f"{BASE}id/document/cop12-subsidiary-bodies-note"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
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


def test_an_update_of_an_on_disk_store_is_tried_on_a_checkpoint(test_config, tmp_path):
    """The store `kg serve` writes to: a violating update changes nothing, a conforming one
    is applied, and no trial folder is left behind."""
    path = tmp_path / "store"
    load_on_disk(path, test_config.source_dirs, test_config)
    store = Store(path)
    before = store.export()
    clash = f"""INSERT DATA {{ GRAPH <{NOTE_GRAPH}> {{
        <{BASE}id/meeting/wg-tip-x> a <{UNTOC}Meeting> ;
            <http://www.w3.org/2000/01/rdf-schema#label> "x"@en, "x"@ru ;
            <{UNTOC}meetingOf> <{BASE}id/body/wg-tip> ; <{UNTOC}ordinal> 13 ;
            <http://purl.org/dc/terms/source> <{NOTE}#para-3>
    }} }}"""
    with pytest.raises(ValidationFailed) as failure:
        apply_update(store, clash, test_config)
    focus = {v.focus_node for v in failure.value.report.violations}
    assert focus == {f"<{BASE}id/meeting/wg-tip-x>", f"<{BASE}id/meeting/wg-tip-13>"}
    assert store.export() == before
    assert apply_update(store, clash.replace("ordinal> 13", "ordinal> 99"), test_config) == 1
    assert bool(store.query(f"ASK {{ <{BASE}id/meeting/wg-tip-x> ?p 99 }}"))
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_dropped_and_moved_graphs_are_gone(test_config, curated):
    graph = f"{BASE}graph/extra"
    apply_update(
        curated, f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:b> <urn:c> }} }}", test_config
    )
    assert apply_update(curated, f"MOVE <{graph}> TO <{graph}-2>", test_config) == 2
    assert graph not in curated.named_graphs() and f"{graph}-2" in curated.named_graphs()
    assert apply_update(curated, f"DROP GRAPH <{graph}-2>", test_config) == 1
    assert f"{graph}-2" not in curated.named_graphs()
    # The note's graph cannot go: other sources refer to the bodies and treaties it types.
    with pytest.raises(ValidationFailed):
        apply_update(curated, f"DROP GRAPH <{NOTE_GRAPH}>", test_config)
    assert NOTE_GRAPH in curated.named_graphs()


def test_the_scope_of_an_update_comes_from_its_templates():
    from graph_service.store.update_scope import scope

    patterns = scope(
        f"""DELETE {{ GRAPH ?g {{ <{BASE}id/x> <{SCHEMA}endDate> ?end }} }}
        INSERT {{ GRAPH ?g {{ <{BASE}id/x> <{SCHEMA}endDate> "2023-10-01"^^{XSD_DATE} }} }}
        WHERE {{ GRAPH ?g {{ <{BASE}id/x> <{SCHEMA}endDate> ?end }} }} ; DROP GRAPH <urn:g>"""
    )
    assert patterns is not None and len(patterns) == 3
    subject, predicate, value, graph = patterns[0]
    assert subject.value == f"{BASE}id/x" and predicate.value == f"{SCHEMA}endDate"
    assert value is None and graph is None  # a variable graph and a literal match anything
    assert patterns[2][3].value == "urn:g"
    assert scope("CLEAR ALL") is None
    assert scope("INSERT DATA { <urn:a> <urn:b> <urn:c> ") is None  # unreadable: everything


def test_a_replaced_graph_is_checked_incrementally_against_the_store(test_config, curated):
    """`kg ingest`: the new version of a document's graph, against the rest of the store."""
    from graph_service.store.guarded_update import check_replacement

    before = curated.export()
    graph = f"{BASE}graph/extra"
    meeting = ox.NamedNode(f"{BASE}id/meeting/wg-tip-x")
    triples = [
        ox.Triple(meeting, ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{UNTOC}Meeting")),
        ox.Triple(
            meeting, ox.NamedNode(f"{UNTOC}meetingOf"), ox.NamedNode(f"{BASE}id/body/wg-tip")
        ),
        ox.Triple(meeting, ox.NamedNode(f"{UNTOC}ordinal"), ox.Literal("13", datatype=INTEGER)),
    ]
    report = check_replacement(curated, graph, triples, test_config)
    focus = {v.focus_node for v in report.violations if "OneEventPerOrdinal" in v.shape}
    assert focus == {f"<{meeting.value}>", f"<{BASE}id/meeting/wg-tip-13>"}
    # Emptying the note is refused: other sources refer to the bodies and treaties it types.
    assert not check_replacement(curated, NOTE_GRAPH, [], test_config).conforms
    assert check_replacement(curated, graph, [], test_config).conforms
    assert curated.export() == before


def test_an_ordinal_below_one_is_refused_though_the_store_types_it_integer(test_config, curated):
    """The trial store holds "0"^^xsd:positiveInteger as "0"^^xsd:integer (decision 0003),
    which sh:minInclusive 1 rejects."""
    zero = '"0"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>'
    update = f"""DELETE {{ GRAPH ?g {{ <{BASE}id/meeting/wg-tip-13> <{UNTOC}ordinal> ?n }} }}
        INSERT {{ GRAPH ?g {{ <{BASE}id/meeting/wg-tip-13> <{UNTOC}ordinal> {zero} }} }}
        WHERE {{ GRAPH ?g {{ <{BASE}id/meeting/wg-tip-13> <{UNTOC}ordinal> ?n }} }}"""
    with pytest.raises(ValidationFailed) as failure:
        apply_update(curated, update, test_config)
    components = {v.component.rsplit("#", 1)[-1] for v in failure.value.report.violations}
    assert "MinInclusiveConstraintComponent" in components


def test_a_disagreement_is_found_from_either_side_of_the_change(test_config, curated):
    """SingleValueDisagreementShape is checked incrementally: from a second value stated
    of a session, and from a change to the decision that settled a first disagreement."""
    before = curated.export()
    session = f"{BASE}id/session/cop-1"
    decision = f"{BASE}id/source-decision/cop-1-end-date"

    def disagreeing(update: str) -> set[str]:
        with pytest.raises(ValidationFailed) as refused:
            apply_update(curated, update, test_config)
        return {
            v.focus_node
            for v in refused.value.report.violations
            if "SingleValueDisagreement" in v.shape
        }

    second_start = f"""INSERT DATA {{ GRAPH <{BASE}graph/extra> {{
        <{session}> <{SCHEMA}startDate> "2004-06-27"^^{XSD_DATE} }} }}"""
    assert disagreeing(second_start) == {f"<{session}>"}
    moved = f"""DELETE {{ GRAPH ?g {{ <{decision}> <{UNTOC}decisionProperty> ?p }} }}
        INSERT {{ GRAPH ?g {{ <{decision}> <{UNTOC}decisionProperty> <{SCHEMA}location> }} }}
        WHERE {{ GRAPH ?g {{ <{decision}> <{UNTOC}decisionProperty> ?p }} }}"""
    assert disagreeing(moved) == {f"<{session}>"}
    assert curated.export() == before
