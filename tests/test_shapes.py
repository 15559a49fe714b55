"""Every shape has a passing and a failing fixture (tests/shapes/<Shape>.{pass,fail}.trig, each
applied to tests/shapes/base.trig): the passing one conforms, the failing one is reported by
that shape and no other. The curated data conforms."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BASE
from rdflib import Literal
from rdflib.namespace import SH

from graph_service.config import Config
from graph_service.store.loading import validate_graphs
from graph_service.store.sources import read_sources
from graph_service.store.validation import to_rdflib, validate
from graph_service.vocabulary import ontology_graph_iri, shapes_graph_iri

FIXTURES = Path(__file__).parent / "shapes"
SHAPES_NS = "https://w3id.org/untoc/shapes#"
REMOVE = ox.NamedNode("urn:fixture:remove")
SHAPE_NAMES = sorted(p.name.removesuffix(".fail.trig") for p in FIXTURES.glob("*.fail.trig"))


@pytest.fixture(scope="module")
def project_graphs():
    config = Config()
    sources = read_sources([config.source_dirs[0], config.shapes_dir], BASE)
    return {
        "ontology": to_rdflib(sources.graphs[ontology_graph_iri(BASE)]),
        "shapes": to_rdflib(sources.graphs[shapes_graph_iri(BASE)]),
    }


def read_triples(path: Path) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """(triples to add, triples to remove) of a fixture file."""
    added, removed = set(), set()
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        (removed if quad.graph_name == REMOVE else added).add(quad.triple)
    return added, removed


def fixture_data(name: str) -> set[ox.Triple]:
    base, _ = read_triples(FIXTURES / "base.trig")
    added, removed = read_triples(FIXTURES / name)
    missing = removed - base
    assert not missing, f"{name} removes triples that are not in base.trig: {missing}"
    return (base - removed) | added


def run(project_graphs, triples):
    return validate(to_rdflib(triples), project_graphs["shapes"], project_graphs["ontology"])


def named_shapes(shapes) -> set[str]:
    return {str(s) for s in shapes.subjects(SH.name, None) if str(s).startswith(SHAPES_NS)}


def test_base_world_conforms(project_graphs):
    base, _ = read_triples(FIXTURES / "base.trig")
    report = run(project_graphs, base)
    assert report.conforms, report.text()


def test_every_named_shape_has_both_fixtures(project_graphs):
    shapes = {iri.removeprefix(SHAPES_NS) for iri in named_shapes(project_graphs["shapes"])}
    assert shapes == set(SHAPE_NAMES)
    for name in SHAPE_NAMES:
        assert (FIXTURES / f"{name}.pass.trig").is_file()


def test_every_shape_has_a_name_and_an_english_message(project_graphs):
    shapes = project_graphs["shapes"]
    all_shapes = set(shapes.subjects(SH.path, None)) | set(shapes.subjects(SH.targetClass, None))
    all_shapes |= set(shapes.subjects(SH.property, None))
    assert len(all_shapes) > len(SHAPE_NAMES)
    for shape in all_shapes:
        if shape in set(shapes.objects(None, SH.qualifiedValueShape)):
            continue
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        messages = list(shapes.objects(shape, SH.message))
        assert any(isinstance(m, Literal) and m.language == "en" for m in messages), shape


@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_passing_fixture_conforms(project_graphs, shape):
    report = run(project_graphs, fixture_data(f"{shape}.pass.trig"))
    assert report.conforms, report.text()


@pytest.mark.parametrize("shape", SHAPE_NAMES)
def test_failing_fixture_violates_exactly_its_shape(project_graphs, shape):
    report = run(project_graphs, fixture_data(f"{shape}.fail.trig"))
    assert not report.conforms
    assert report.shapes() == {f"<{SHAPES_NS}{shape}>"}, report.text()
    for violation in report.violations:
        assert violation.severity == "Violation"
        assert violation.message
        assert violation.focus_node.startswith("<https://w3id.org/untoc/id/")
        assert violation.shape_name
        assert f"Violation: {violation.focus_node} ({violation.shape_name}): " in report.text()


def test_curated_data_conforms():
    sources = read_sources(Config().source_dirs, BASE)
    report = validate_graphs(sources.graphs, Config())
    assert report.conforms, report.text()


def test_report_renders_as_json_and_turtle(project_graphs):
    report = run(project_graphs, fixture_data("SourceCitedShape.fail.trig"))
    body = report.as_dict()
    assert body["conforms"] is False
    (violation,) = body["violations"]
    assert violation["focus_node"] == "<https://w3id.org/untoc/id/place/vienna>"
    assert violation["path"] == "<http://purl.org/dc/terms/source>"
    assert violation["shape"] == f"<{SHAPES_NS}SourceCitedShape>"
    assert "sh:conforms false" in report.turtle()
    assert report.text().startswith(
        "Violation: <https://w3id.org/untoc/id/place/vienna> (source cited): Every entity"
    )
