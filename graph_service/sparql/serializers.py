"""The media types /sparql answers with, and the serialisers of query results.

SELECT/ASK results are written here (SPARQL 1.1 JSON, XML, CSV, TSV) from rows already
collected under the time and size limits; graphs (CONSTRUCT/DESCRIBE) go through
pyoxigraph's RDF serialisers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"

# media type -> canonical format; the first entries are the server's preference (the default
# for `Accept: */*`), the later ones are synonyms that clients send.
SOLUTION_TYPES = {
    JSON: JSON,
    XML: XML,
    CSV: CSV,
    TSV: TSV,
    "application/json": JSON,
    "application/xml": XML,
    "text/xml": XML,
}
BOOLEAN_TYPES = {
    JSON: JSON,
    XML: XML,
    "application/json": JSON,
    "application/xml": XML,
    "text/xml": XML,
}
GRAPH_TYPES = {
    TURTLE: TURTLE,
    NTRIPLES: NTRIPLES,
    JSONLD: JSONLD,
    RDFXML: RDFXML,
    "application/x-turtle": TURTLE,
    "application/turtle": TURTLE,
    "application/xml": RDFXML,
    "text/xml": RDFXML,
    "application/json": JSONLD,
    "application/x-json+ld": JSONLD,
    "text/plain": NTRIPLES,
}
RDF_FORMATS = {
    TURTLE: ox.RdfFormat.TURTLE,
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    JSONLD: ox.RdfFormat.JSON_LD,
    RDFXML: ox.RdfFormat.RDF_XML,
}
# The W3C format IRIs, for the service description's sd:resultFormat.
FORMAT_IRIS = {
    JSON: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    XML: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    CSV: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    TSV: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    TURTLE: "http://www.w3.org/ns/formats/Turtle",
    NTRIPLES: "http://www.w3.org/ns/formats/N-Triples",
    JSONLD: "http://www.w3.org/ns/formats/JSON-LD",
    RDFXML: "http://www.w3.org/ns/formats/RDF_XML",
}
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return " ".join(_csv_term(t) for t in (term.subject, term.predicate, term.object))
    return term.value


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    # N-Triples syntax, which pyoxigraph's str() gives. A number may be written bare only
    # when its lexical form is the Turtle token of its own datatype: a bare "1000000" would
    # read back as an xsd:integer, not the xsd:double it is.
    if isinstance(term, ox.Literal):
        token = _BARE_NUMERIC.get(term.datatype.value)
        if token is not None and token.fullmatch(term.value):
            return term.value
    return str(term)


_BARE_NUMERIC = {  # the Turtle grammar's INTEGER, DECIMAL and DOUBLE tokens
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#double": re.compile(
        r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"
    ),
}


def serialize_solutions(
    media_type: str, variables: Sequence[str], rows: Sequence[Sequence[Term | None]]
) -> bytes:
    """Rows of terms (None = unbound) in one of the four SPARQL result formats."""
    if media_type == JSON:
        bindings = [
            {
                var: _json_term(term)
                for var, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode()
    if media_type == XML:
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
        ]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if media_type == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    if media_type == TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"not a SPARQL results media type: {media_type}")


def serialize_boolean(media_type: str, value: bool) -> bytes:
    text = "true" if value else "false"
    if media_type == JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media_type == XML:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"not a boolean results media type: {media_type}")


def serialize_graph(media_type: str, triples: Sequence[ox.Triple]) -> bytes:
    rdf_format = RDF_FORMATS[media_type]
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES) or b""
    return ox.serialize(triples, format=rdf_format) or b""


def content_type(media_type: str) -> str:
    """The Content-Type header value: every text format we write is UTF-8."""
    return f"{media_type}; charset=utf-8"
