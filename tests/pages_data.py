"""A store for the page tests: the curated sources plus a graph of awkward data (labels
holding markup, enough resources to need pagination)."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.store import Store
from graph_service.store.loading import swap_in

BASE = "https://w3id.org/untoc/"
SCRIPT_LABEL = "<script>alert(1)</script> Working Group"
SCRIPT_SYMBOL = "</script><script>alert(2)</script>"
EXTRA_PROVISIONS = 60
TRICKY_GRAPH = BASE + "graph/test-tricky"

_TRICKY = """
@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/untoc/id/> .
<https://w3id.org/untoc/graph/test-tricky> {
  <https://w3id.org/untoc/id/body/wg-evil> a untoc:WorkingGroup ;
      rdfs:label %(label)s@en, %(label)s@ru ;
      untoc:subsidiaryBodyOf <https://w3id.org/untoc/id/body/cop> ;
      untoc:mandateConcerns <https://w3id.org/untoc/id/treaty/untoc> ;
      untoc:establishedBy <https://w3id.org/untoc/id/decision/cop-4-4> ;
      <http://www.w3.org/2002/07/owl#sameAs> <javascript:alert(4)> .
  <https://w3id.org/untoc/id/meeting/wg-evil-1> a untoc:Meeting ;
      rdfs:label "<script>alert(1)</script> meeting \\"quoted\\" ]]> &amp;"@en ;
      untoc:meetingOf <https://w3id.org/untoc/id/body/wg-evil> ;
      untoc:ordinal 1 ;
      schema:startDate "2024-01-10"^^xsd:date ; schema:endDate "2024-01-11"^^xsd:date ;
      schema:location <https://w3id.org/untoc/id/place/vienna> .
  <https://w3id.org/untoc/id/document/evil-report> a untoc:Report ;
      rdfs:label "<img src=x onerror=alert(3)> report"@en ;
      untoc:documentSymbol %(symbol)s ;
      untoc:reportOf <https://w3id.org/untoc/id/meeting/wg-evil-1> ;
      <http://purl.org/dc/terms/source> <https://w3id.org/untoc/id/document/evil-report#para-3> .
  <https://w3id.org/untoc/id/document/evil-report#para-3> a untoc:Paragraph ;
      rdfs:label "paragraph 3"@en ; untoc:ordinal 3 ;
      <http://purl.org/dc/terms/isPartOf> <https://w3id.org/untoc/id/document/evil-report> ;
      <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> "Only an English label."@en .
%(provisions)s
}
"""


def tricky_trig() -> str:
    provisions = "\n".join(
        f"  <{BASE}id/test/provision-{n:03d}> a untoc:Provision ; "
        f'rdfs:label "test provision {n}"@en ; untoc:addresses <{BASE}id/body/wg-evil> .'
        for n in range(EXTRA_PROVISIONS)
    )
    return _TRICKY % {
        "label": str(ox.Literal(SCRIPT_LABEL)),
        "symbol": str(ox.Literal(SCRIPT_SYMBOL)),
        "provisions": provisions,
    }


def tricky_store(sources) -> Store:
    """A separate in-memory store: the curated sources and the tricky graph."""
    store = Store(None)
    swap_in(store, sources)
    triples = [q.triple for q in ox.parse(tricky_trig().encode(), format=ox.RdfFormat.TRIG)]
    store.replace_graphs({TRICKY_GRAPH: triples})
    return store
