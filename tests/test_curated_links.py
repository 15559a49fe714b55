"""Decision 0025: every UN document of the curated data that has a symbol links to its
undocs.org page and to a search of the UN Digital Library (press releases, UNIS/..., are not
UN documents of undocs and get none). The links are the curators' statements, in
graph/curation; a new source that brings in a symbol brings its links there too."""

from __future__ import annotations

import urllib.parse

from graph_service.store import Store

UNDOCUMENTED = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?doc ?symbol WHERE {
  ?doc untoc:documentSymbol ?symbol .
  FILTER (!STRSTARTS(?symbol, "UNIS/"))
  FILTER NOT EXISTS { ?doc rdfs:seeAlso ?undocs . ?doc rdfs:seeAlso ?library .
    FILTER (STR(?undocs) = CONCAT("https://undocs.org/", STR(?symbol))
            && STRSTARTS(STR(?library), "https://digitallibrary.un.org/search?p=")) }
}"""


def test_every_un_document_links_to_undocs_and_the_digital_library(loaded_store: Store):
    missing = sorted(row["symbol"].value for row in loaded_store.query(UNDOCUMENTED))
    assert missing == [], f"add their links to data/sources/curation.trig: {missing}"


def test_the_digital_library_search_is_for_the_symbol(loaded_store: Store):
    query = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?symbol ?link WHERE { ?doc untoc:documentSymbol ?symbol ; rdfs:seeAlso ?link
      FILTER (STRSTARTS(STR(?link), "https://digitallibrary.un.org/search?p=")) }"""
    rows = list(loaded_store.query(query))
    assert rows
    for row in rows:
        searched = urllib.parse.parse_qs(urllib.parse.urlsplit(row["link"].value).query)["p"]
        assert searched == [row["symbol"].value]
