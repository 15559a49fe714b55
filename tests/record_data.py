"""A small store whose coverage is known by construction, for the tests of `kg coverage`,
/coverage and /calendar: a Conference with sessions 1, 2 and 4 (3 missing), decisions 1/1 and
1/3 (1/2 missing), a report of session 4, dates of session 2 that a source decision rejects; a
working group with meetings 2 and 5 (1, 3, 4 missing), a dated meeting without a number held
jointly with a meeting of a second group, and a numbered meeting without dates.

And expectations computed from any store by plain SPARQL, independently of the code under test,
for the curated data (which grows while the tests stay the same)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph_service.store import Store

BASE = "https://w3id.org/untoc/"
ID = BASE + "id/"

FIXTURE_TRIG = """
@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/untoc/id/> .

<https://w3id.org/untoc/graph/test-a> {
  id:body\\/cop a untoc:ConferenceOfTheParties ;
      rdfs:label "Conference"@en, "Конференция"@ru, "المؤتمر"@ar .
  id:body\\/wg-a a untoc:WorkingGroup ; untoc:subsidiaryBodyOf id:body\\/cop ;
      rdfs:label "Group A"@en, "Группа А"@ru, "الفريق أ"@ar .
  id:body\\/wg-b a untoc:WorkingGroup ; untoc:subsidiaryBodyOf id:body\\/cop ;
      rdfs:label "Group B"@en, "Группа Б"@ru .
  id:body\\/ga a untoc:Body ; rdfs:label "Assembly"@en .
  id:session\\/ga-9 a untoc:Session ; untoc:sessionOf id:body\\/ga ; untoc:ordinal 9 .

  id:session\\/cop-1 a untoc:Session ; untoc:sessionOf id:body\\/cop ; untoc:ordinal 1 ;
      rdfs:label "first session"@en, "первая сессия"@ru ;
      schema:startDate "2001-03-01"^^xsd:date ; schema:endDate "2001-03-05"^^xsd:date .
  id:session\\/cop-2 a untoc:Session ; untoc:sessionOf id:body\\/cop ; untoc:ordinal 2 ;
      rdfs:label "second session"@en, "вторая сессия"@ru ;
      schema:startDate "2002-04-01"^^xsd:date .
  id:session\\/cop-4 a untoc:Session ; untoc:sessionOf id:body\\/cop ; untoc:ordinal 4 ;
      rdfs:label "fourth session"@en ;
      schema:startDate "2004-05-01"^^xsd:date ; schema:endDate "2004-05-03"^^xsd:date .
  id:decision\\/cop-1-1 a untoc:Decision ; untoc:identifier "1/1" ;
      untoc:adoptedAt id:session\\/cop-1 ; rdfs:label "decision 1/1"@en .
  id:decision\\/cop-1-3 a untoc:Decision ; untoc:identifier "1/3" ;
      untoc:adoptedAt id:session\\/cop-1 ; rdfs:label "decision 1/3"@en .
  id:document\\/report-4 a untoc:Report ; untoc:documentSymbol "T/COP/2004/9" ;
      untoc:reportOfSession id:session\\/cop-4 .

  id:meeting\\/wg-a-2 a untoc:Meeting ; untoc:meetingOf id:body\\/wg-a ; untoc:ordinal 2 ;
      rdfs:label "second meeting of Group A"@en ;
      schema:startDate "2002-06-01"^^xsd:date ; schema:endDate "2002-06-02"^^xsd:date .
  id:meeting\\/wg-a-5 a untoc:Meeting ; untoc:meetingOf id:body\\/wg-a ; untoc:ordinal 5 ;
      rdfs:label "fifth meeting of Group A"@en .
  id:meeting\\/wg-a-2003-07-01 a untoc:Meeting ; untoc:meetingOf id:body\\/wg-a ;
      rdfs:label "meeting of Group A of July 2003"@en ;
      schema:startDate "2003-07-01"^^xsd:date ; schema:endDate "2003-07-03"^^xsd:date ;
      untoc:jointMeetingWith id:meeting\\/wg-b-1 .
  id:meeting\\/wg-b-1 a untoc:Meeting ; untoc:meetingOf id:body\\/wg-b ; untoc:ordinal 1 ;
      rdfs:label "first meeting of Group B"@en ;
      schema:startDate "2003-07-02"^^xsd:date ; schema:endDate "2003-07-03"^^xsd:date ;
      untoc:jointMeetingWith id:meeting\\/wg-a-2003-07-01 .
}

<https://w3id.org/untoc/graph/test-b> {
  id:session\\/cop-2 schema:startDate "2002-04-09"^^xsd:date .
}

<https://w3id.org/untoc/graph/curation> {
  id:source-decision\\/cop-2-start a untoc:SourceDecision ;
      untoc:decisionSubject id:session\\/cop-2 ; untoc:decisionProperty schema:startDate ;
      untoc:preferredValue "2002-04-01"^^xsd:date .
}
"""

FIXTURE_BODIES = {
    # body: (known, highest, missing, unnumbered dated, undated)
    ID + "body/cop": (3, 4, [3], 0, 0),
    ID + "body/wg-a": (3, 5, [1, 3, 4], 1, 1),
    ID + "body/wg-b": (1, 1, [], 0, 0),
}


def fixture_store() -> Store:
    store = Store(None)
    store.oxigraph.load(FIXTURE_TRIG.encode(), format=ox.RdfFormat.TRIG)
    return store


def expected_bodies(store: Store) -> dict[str, dict]:
    """Per body of the Conference's system: the meetings and sessions, how many have a start
    date (any source's), their numbers, the numbers missing below the highest, the unnumbered
    ones, by plain SPARQL."""
    query = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
    PREFIX schema: <https://schema.org/>
    SELECT DISTINCT ?body ?m ?n ?start WHERE {
      { ?body a untoc:ConferenceOfTheParties } UNION { ?body untoc:subsidiaryBodyOf [] }
      ?m untoc:meetingOf|untoc:sessionOf ?body .
      OPTIONAL { ?m untoc:ordinal ?n }
      OPTIONAL { ?m schema:startDate ?start } }"""
    meetings: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in store.query(query):
        entry = meetings[row["body"].value].setdefault(row["m"].value, {"n": None, "dated": False})
        if row["n"] is not None:
            entry["n"] = int(row["n"].value)
        if row["start"] is not None:
            entry["dated"] = True
    result = {}
    for body, found in meetings.items():
        numbers = {m["n"] for m in found.values() if m["n"] is not None}
        highest = max(numbers, default=0)
        result[body] = {
            "known": len(found),
            "dated": sum(f["dated"] for f in found.values()),
            "highest": highest or None,
            "missing": [n for n in range(1, highest + 1) if n not in numbers],
            "unnumbered": sorted(m for m, f in found.items() if f["n"] is None),
        }
    return result
