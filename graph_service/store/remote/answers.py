"""Reading an engine's answer as the embedded store gives it: `QuerySolutions`,
`QueryBoolean` or `QueryTriples`, so that code above the store cannot tell the two apart."""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph_service import formats
from graph_service.store.remote.client import EngineError, Reply

# Ask for what every engine writes and pyoxigraph reads; the engine picks by query form.
ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7"
)
# For CONSTRUCT and DESCRIBE: Virtuoso would answer them in a results format if asked for one.
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
_PROLOGUE = re.compile(r"\s*(?:#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s*[\w.-]*:\s*<[^>]*>)", re.I)
_GRAPH_FORM = re.compile(r"\s*(?:CONSTRUCT|DESCRIBE)\b", re.I)


def accept_for(sparql: str) -> str:
    """What to ask for: an RDF format for a query that gives a graph, else results."""
    position = 0
    while match := _PROLOGUE.match(sparql, position):
        if match.end() == position:
            break
        position = match.end()
    return ACCEPT_GRAPH if _GRAPH_FORM.match(sparql, position) else ACCEPT


# Virtuoso labels blank nodes `nodeID://b10000`, which is not a blank node label pyoxigraph
# accepts: the scheme is dropped (the label stays unique within the answer).
_VIRTUOSO_JSON = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
_VIRTUOSO_XML = re.compile(rb"(<bnode>)nodeID://")
_VIRTUOSO_RDF = re.compile(rb"<nodeID://([^>]*)>")


def media_type(reply: Reply) -> str:
    return reply.content_type.split(";", 1)[0].strip().lower()


def readable(body: bytes) -> bytes:
    """The answer with Virtuoso's blank node labels made plain ones."""
    if b"nodeID://" not in body:
        return body
    body = _VIRTUOSO_JSON.sub(rb"\1", body)
    body = _VIRTUOSO_XML.sub(rb"\1", body)
    return _VIRTUOSO_RDF.sub(rb"_:\1", body)


def parse_answer(reply: Reply, where: str):
    """The reply as pyoxigraph query results (EngineError 502 if it cannot be read)."""
    found = formats.by_media_type(media_type(reply)) or (
        formats.NTRIPLES if media_type(reply) == "text/plain" else None
    )
    try:
        if found is not None and not found.is_rdf:
            return ox.parse_query_results(readable(reply.body), found.results)
        if found is not None:
            return as_query_triples(ox.parse(readable(reply.body), found.rdf))
    except (SyntaxError, ValueError) as error:
        raise EngineError(
            502, f"the SPARQL engine at {where} sent an unreadable answer: {error}"
        ) from None
    raise EngineError(
        502, f"the SPARQL engine at {where} answered in an unexpected format {reply.content_type!r}"
    )


def as_query_triples(quads) -> ox.QueryTriples:
    scratch = ox.Store()
    scratch.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    results = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(results, ox.QueryTriples)
    return results
