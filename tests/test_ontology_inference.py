"""The alignments are sound: the OWL RL closure of the ontology, the curated data and the
axioms of the aligned vocabularies (tests/fixtures/aligned-vocabularies.ttl) infers nothing
absurd: no individual becomes a class, and no individual falls into two kinds of thing
(a body and a document, an activity and an entity, a concept and a concept scheme...)."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, BNode, URIRef

from graph_service.config import PROJECT_ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "aligned-vocabularies.ttl"
UNTOC = rdflib.Namespace("https://w3id.org/untoc/ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
ID = "https://w3id.org/untoc/id/"

# Kinds of thing the graph describes; nothing may be of two kinds.
KINDS = {
    "body": UNTOC.Body,
    "treaty": UNTOC.Treaty,
    "instrument": UNTOC.Instrument,
    "provision": UNTOC.Provision,
    "session": UNTOC.Session,
    "meeting": UNTOC.Meeting,
    "document": UNTOC.Document,
    "agenda item": UNTOC.AgendaItem,
    "citable part": UNTOC.Paragraph,
    "place": SCHEMA.Place,
    "concept": SKOS.Concept,
    "concept scheme": SKOS.ConceptScheme,
    "language": DCTERMS.LinguisticSystem,
}
DISJOINT_PAIRS = [(PROV.Activity, PROV.Entity), (SKOS.Concept, SKOS.ConceptScheme)]


@pytest.fixture(scope="module")
def closure() -> tuple[rdflib.Graph, set]:
    graph = rdflib.Graph()
    graph.parse(PROJECT_ROOT / "ontology" / "untoc.ttl")
    graph.parse(FIXTURE)
    for path in sorted((PROJECT_ROOT / "data").glob("*.trig")):
        dataset = rdflib.Dataset()
        dataset.parse(path, format="trig")
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
    individuals = {
        s
        for s in graph.subjects()
        if isinstance(s, URIRef) and (str(s).startswith(ID) or "#" in str(s) and ID in str(s))
    }
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return graph, individuals


def test_no_individual_is_inferred_to_be_a_class(closure):
    graph, individuals = closure
    classes = {s for s in individuals if (s, RDF.type, RDFS.Class) in graph}
    classes |= {s for s in individuals if (s, RDF.type, OWL.Class) in graph}
    assert not classes, f"individuals inferred to be classes: {sorted(classes)}"


def test_every_individual_is_of_exactly_one_kind(closure):
    graph, individuals = closure
    wrong = {}
    for s in individuals:
        kinds = [name for name, cls in KINDS.items() if (s, RDF.type, cls) in graph]
        if len(kinds) != 1:
            wrong[str(s)] = kinds
    assert not wrong, f"individuals of no kind or of several kinds: {wrong}"


def test_no_individual_is_in_disjoint_classes(closure):
    graph, individuals = closure
    clashes = [
        (str(s), str(a), str(b))
        for s in individuals
        for a, b in DISJOINT_PAIRS
        if (s, RDF.type, a) in graph and (s, RDF.type, b) in graph
    ]
    assert not clashes
    assert not any(isinstance(s, URIRef) for s in graph.subjects(RDF.type, OWL.Nothing))


def test_the_alignments_do_infer_what_generic_clients_need(closure):
    """The positive side: the alignments are not idle."""
    graph, _ = closure
    wg_tip = URIRef(ID + "body/wg-tip")
    cop = URIRef(ID + "body/cop")
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    assert (wg_tip, RDF.type, org.Organization) in graph
    assert (wg_tip, org.subOrganizationOf, cop) in graph
    assert (cop, org.hasSubOrganization, wg_tip) in graph
    decision = URIRef(ID + "decision/cop-4-4")
    assert (decision, PROV.wasGeneratedBy, URIRef(ID + "session/cop-4")) in graph
    assert (decision, RDF.type, PROV.Entity) in graph
    meeting = URIRef(ID + "meeting/wg-tip-13")
    assert (meeting, RDF.type, SCHEMA.Event) in graph
    assert (meeting, RDF.type, PROV.Activity) in graph
    assert not isinstance(meeting, BNode)
