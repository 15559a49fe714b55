"""The compiled validator (store/shacl/) reports exactly what pySHACL reports: the same
conforms flag and the same multiset of (focus node, shape, path, value, severity), on the
curated data, on every fixture of tests/shapes/ and on more seeded violations; incremental
validation of a change to a conforming world finds every violation a full run finds; and a
shape the compiler does not know is validated by pySHACL, not skipped."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from conftest import BASE
from test_shapes import FIXTURES, fixture_data, read_triples

from graph_service.config import Config
from graph_service.store.loading import validate_graphs
from graph_service.store.shacl import Touched, Validator, View
from graph_service.store.sources import read_sources
from graph_service.store.validation import to_rdflib
from graph_service.vocabulary import ontology_graph_iri, shapes_graph_iri

DATA = "urn:x-test:data"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("*.trig"))
PREFIXES = """@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix session: <https://w3id.org/untoc/id/session/> .
@prefix meeting: <https://w3id.org/untoc/id/meeting/> .
@prefix body: <https://w3id.org/untoc/id/body/> .
@prefix place: <https://w3id.org/untoc/id/place/> .
"""
# Violations that survive the store's canonical literals (SessionShape.fail.trig restates an
# ordinal as xsd:integer, which the store holds as the same term), and the corners of the
# constraints: ill-typed literals, two duplicated languages, a literal where a node belongs.
SEEDED = {
    "second-ordinal": "session:cop-7 untoc:ordinal 8 .",
    "ordinal-zero": 'meeting:wg-tip-13 untoc:ordinal "0"^^xsd:positiveInteger .',
    "ill-typed-date": 'meeting:wg-tip-13 schema:endDate "2023-13-45"^^xsd:date .',
    "ill-typed-boolean": "<https://w3id.org/untoc/id/decision/cop-4-4/provision/establishes-wg-tip>"
    ' untoc:interim "maybe"^^xsd:boolean .',
    "two-languages-twice": 'body:wg-tip rdfs:label "a"@en, "b"@en, "в"@ru, "г"@RU .',
    "literal-as-body": 'body:wg-tip untoc:subsidiaryBodyOf "the COP" .',
    "iri-as-date": "meeting:wg-tip-13 schema:startDate <https://example.org/d> .",
    "language-case": 'place:vienna rdfs:label "Wien"@de-AT, "VIENNA"@EN .',
}


@pytest.fixture(scope="module")
def project():
    config = Config()
    sources = read_sources([config.source_dirs[0], config.shapes_dir], BASE)
    return {
        "config": config,
        "ontology": sources.graphs[ontology_graph_iri(BASE)],
        "validator": Validator(to_rdflib(sources.graphs[shapes_graph_iri(BASE)])),
    }


def store_of(project, graphs: dict[str, list[ox.Triple]]) -> ox.Store:
    store = ox.Store()
    for iri, triples in graphs.items():
        if iri != shapes_graph_iri(BASE):
            store.extend(ox.Quad(*t, ox.NamedNode(iri)) for t in triples)
    if ontology_graph_iri(BASE) not in graphs:
        graph = ox.NamedNode(ontology_graph_iri(BASE))
        store.extend(ox.Quad(*t, graph) for t in project["ontology"])
    return store


def keys(report) -> Counter:
    return Counter(v.key() for v in report.violations)


def assert_same(project, graphs):
    reference = validate_graphs(graphs, project["config"], engine="pyshacl")
    compiled = project["validator"].validate(View(store_of(project, graphs)))
    assert compiled.conforms == reference.conforms, compiled.text()
    assert keys(compiled) == keys(reference), (compiled.text(), reference.text())
    return compiled


def seeded(name: str) -> set[ox.Triple]:
    base, _ = read_triples(FIXTURES / "base.trig")
    text = PREFIXES + SEEDED[name]
    return base | {q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)}


def test_curated_data_gives_the_same_report(project):
    report = assert_same(project, read_sources(Config().source_dirs, BASE).graphs)
    assert report.conforms


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_every_fixture_gives_the_same_report(project, fixture):
    data = read_triples(FIXTURES / fixture)[0] if fixture == "base.trig" else fixture_data(fixture)
    report = assert_same(project, {DATA: sorted(data, key=str)})
    if fixture.endswith(".fail.trig") and fixture != "SessionShape.fail.trig":
        assert not report.conforms


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_seeded_violations_give_the_same_report(project, name):
    report = assert_same(project, {DATA: sorted(seeded(name), key=str)})
    assert not report.conforms


def touched_by(added: set[ox.Triple], removed: set[ox.Triple], signed: bool) -> set | Touched:
    """The nodes of the changed triples: all of them, or by sign and predicate (`Touched`,
    what the store's writes pass), which lets routes skip changes that cannot matter."""
    if not signed:
        return {term for t in added | removed for term in (t.subject, t.object)}
    touched = Touched()
    touched.add("+", added)
    touched.add("-", removed)
    return touched


def assert_incremental_is_full(project, base: set[ox.Triple], after: set[ox.Triple], signed):
    store = store_of(project, {DATA: sorted(after, key=str)})
    validator = project["validator"]
    full = validator.validate(View(store))
    touched = touched_by(after - base, base - after, signed)
    incremental = validator.validate(View(store), touched=touched)
    assert keys(incremental) == keys(full)
    assert incremental.conforms == full.conforms
    assert validator.last.checks_focused > 0
    return incremental


@pytest.mark.parametrize("signed", [False, True], ids=["nodes", "signed"])
@pytest.mark.parametrize("fixture", [n for n in FIXTURE_NAMES if n != "base.trig"])
def test_incremental_validation_of_a_fixture_finds_what_a_full_run_finds(project, fixture, signed):
    """The base world conforms; the fixture is a change to it. Validating only the focus
    nodes the change reaches gives the full report."""
    base, _ = read_triples(FIXTURES / "base.trig")
    assert_incremental_is_full(project, base, fixture_data(fixture), signed)


@pytest.mark.parametrize("signed", [False, True], ids=["nodes", "signed"])
def test_a_cited_document_that_loses_its_type_is_found_incrementally(project, signed):
    """SourceDocumentKnownShape computes the document from the cited paragraph (BIND); its
    type is read inside FILTER NOT EXISTS, so only a removed triple can break it there."""
    base, _ = read_triples(FIXTURES / "base.trig")
    note = ox.NamedNode("https://w3id.org/untoc/id/document/cop12-subsidiary-bodies-note")
    typed = {t for t in base if t.subject == note and t.predicate.value.endswith("#type")}
    assert typed
    report = assert_incremental_is_full(project, base, base - typed, signed)
    unknown = [v for v in report.violations if "SourceDocumentKnownShape" in v.shape]
    assert len(unknown) > 3, report.text()


def test_an_unchanged_world_has_nothing_to_validate(project):
    base, _ = read_triples(FIXTURES / "base.trig")
    validator = project["validator"]
    report = validator.validate(View(store_of(project, {DATA: list(base)})), touched=set())
    # Only the checks without routes (a variable predicate, a NOT EXISTS the router cannot
    # follow) run in full; every other check has no focus node to run for.
    unroutable = sum(1 for check in validator.compiled.checks if check.reach is None)
    assert report.conforms and validator.last.checks_run == unroutable
    assert validator.last.focus_nodes == 0


UNKNOWN_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:ClosedPlaceShape a sh:NodeShape ; sh:targetClass untoc:Treaty ; sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:property [ sh:path rdfs:label ] .
ex:LabelShape a sh:NodeShape ; sh:targetClass untoc:Treaty ;
    sh:property [ sh:path rdfs:label ; sh:minCount 3 ] .
"""


def test_a_shape_the_compiler_does_not_know_is_validated_by_pyshacl(project):
    from rdflib import Graph

    shapes = Graph().parse(data=UNKNOWN_SHAPES, format="turtle")
    validator = Validator(shapes)
    assert set(map(str, validator.compiled.fallback)) == {"https://example.org/ClosedPlaceShape"}
    base, _ = read_triples(FIXTURES / "base.trig")
    store = store_of(project, {DATA: list(base)})
    report = validator.validate(View(store))
    assert validator.last.fallback_shapes == ["https://example.org/ClosedPlaceShape"]
    from graph_service.store.validation import validate

    data = to_rdflib(list(base) + project["ontology"])
    reference = validate(data, shapes)
    assert keys(report) == keys(reference)
    assert {v.shape for v in report.violations} == {
        "<https://example.org/ClosedPlaceShape>",
        "<https://example.org/LabelShape>",
    }
