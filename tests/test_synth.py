"""`kg synth`: size, determinism, class counts, parseability and SHACL conformance."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BASE
from rdflib import Dataset, Graph, URIRef

from graph_service.cli import main
from graph_service.config import PROJECT_ROOT
from graph_service.store.validation import to_rdflib, validate
from graph_service.synth import (
    PROTOCOLS_PER_CONVENTION,
    WORKING_GROUPS_PER_CONFERENCE,
    SynthParams,
    synthesize,
    synthetic_graph_iri,
)

UNTOC = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def class_counts(triples) -> Counter:
    return Counter(
        t.object.value[len(UNTOC) :]
        for t in triples
        if t.predicate.value == RDF_TYPE and t.object.value.startswith(UNTOC)
    )


@pytest.mark.parametrize("bodies, meetings", [(1, 0), (7, 3), (12, 4)])
def test_class_counts_follow_the_parameters(bodies, meetings):
    counts = class_counts(synthesize(BASE, SynthParams(bodies, meetings, seed=3)))
    conferences = math.ceil(bodies / WORKING_GROUPS_PER_CONFERENCE)
    assert counts["WorkingGroup"] == bodies
    assert counts["ConferenceOfTheParties"] == conferences
    assert counts["Convention"] == conferences
    assert counts["Protocol"] == conferences * PROTOCOLS_PER_CONVENTION
    assert counts["Meeting"] == bodies * meetings
    assert counts["Report"] == bodies * meetings
    assert counts["Note"] == conferences
    # Every working group has an establishing provision, odd-numbered ones a permanence one too.
    assert counts["Provision"] >= bodies
    assert counts["Decision"] + counts["Resolution"] >= bodies


def test_size_scales_linearly_with_bodies_and_meetings():
    def size(bodies, meetings):
        return len(synthesize(BASE, SynthParams(bodies, meetings, seed=0)))

    assert size(20, 4) == pytest.approx(2 * size(10, 4), rel=0.05)
    assert size(40, 4) == pytest.approx(4 * size(10, 4), rel=0.05)
    assert size(10, 8) > size(10, 4) * 1.5


def test_same_seed_same_bytes_other_seed_other_dates(tmp_path: Path):
    paths = [tmp_path / f"{name}.trig" for name in ("a", "b", "c")]
    for path, seed in zip(paths, (5, 5, 6), strict=True):
        assert (
            main(
                [
                    "synth",
                    "--bodies",
                    "6",
                    "--meetings-per-body",
                    "3",
                    "--seed",
                    str(seed),
                    "-o",
                    str(path),
                ]
            )
            == 0
        )
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_trig_output_parses_into_the_synthetic_graph(tmp_path: Path):
    path = tmp_path / "synthetic.trig"
    assert main(["synth", "--bodies", "5", "--meetings-per-body", "2", "-o", str(path)]) == 0
    dataset = Dataset()
    dataset.parse(path, format="trig")
    graphs = {g.identifier for g in dataset.graphs() if len(g)}
    assert graphs == {URIRef(synthetic_graph_iri(BASE))}
    expected = synthesize(BASE, SynthParams(5, 2, seed=0))
    assert len(dataset.graph(URIRef(synthetic_graph_iri(BASE)))) == len(set(expected))


@pytest.mark.parametrize("suffix", [".nq", ".ttl", ".nt"])
def test_other_formats_by_suffix(tmp_path: Path, suffix):
    path = tmp_path / f"synthetic{suffix}"
    assert main(["synth", "--bodies", "2", "--meetings-per-body", "1", "-o", str(path)]) == 0
    fmt = {".nq": ox.RdfFormat.N_QUADS, ".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}
    parsed = list(ox.parse(path=str(path), format=fmt[suffix]))
    assert len(parsed) == len(synthesize(BASE, SynthParams(2, 1, seed=0)))


def test_triples_target_is_met_within_ten_percent(tmp_path: Path, capsys):
    path = tmp_path / "target.nq"
    assert main(["synth", "--triples", "20000", "--meetings-per-body", "5", "-o", str(path)]) == 0
    count = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    assert count == pytest.approx(20000, rel=0.1)
    assert f"kg synth: {count} triples" in capsys.readouterr().err  # it says how much


def test_bad_arguments_are_refused_with_a_message(tmp_path: Path, capsys):
    assert main(["synth", "--bodies", "2", "-o", str(tmp_path / "x.csv")]) == 2
    assert "unknown suffix" in capsys.readouterr().err
    assert main(["synth", "--bodies", "0"]) == 2
    assert "--bodies" in capsys.readouterr().err


def test_small_synthetic_graph_conforms_to_the_shapes():
    shapes = Graph()
    for path in sorted((PROJECT_ROOT / "shapes").glob("*.ttl")):
        shapes.parse(path)
    ontology = Graph().parse(PROJECT_ROOT / "ontology" / "untoc.ttl")
    # The provision-type concepts live in the ontology graph, as they do in the store.
    data = to_rdflib(synthesize(BASE, SynthParams(7, 2, seed=11))) + ontology
    report = validate(data, shapes, ontology)
    assert report.conforms, report.text()
