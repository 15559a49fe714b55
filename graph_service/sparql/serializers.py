"""The serialisers of query results, for each format of graph_service.formats.

SELECT/ASK results are written here (SPARQL 1.1 JSON, XML, CSV, TSV) from rows already
collected under the time and size limits; graphs (CONSTRUCT/DESCRIBE) go through
pyoxigraph's RDF serialisers with the prefix table.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph_service import formats
from graph_service.formats import Format
from graph_service.sparql.errors import NotAcceptable
from graph_service.vocabulary import PREFIXES, XSD

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
    elif term.datatype.value != XSD + "string":
        value["datatype"] = term.datatype.value
    return value


# XML 1.0 cannot carry these characters at all, not even as character references.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text content that an XML parser reads back exactly: a carriage return would be read
    as a line feed, so it is written as a character reference."""
    found = _NOT_IN_XML.search(text)
    if found:
        raise NotAcceptable(
            f"the result holds the character U+{ord(found.group()):04X}, which XML 1.0 cannot "
            "carry; ask for JSON, CSV or TSV (or Turtle, N-Triples, JSON-LD for a graph)"
        )
    return escape(text).replace("\r", "&#13;")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    value = _xml_text(term.value)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{value}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{value}</literal>"
    return f"<literal>{value}</literal>"


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
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
}


def serialize_solutions(
    result_format: Format, variables: Sequence[str], rows: Sequence[Sequence[Term | None]]
) -> bytes:
    """Rows of terms (None = unbound) in one of the four SPARQL result formats."""
    if result_format == formats.JSON_RESULTS:
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
    if result_format == formats.XML_RESULTS:
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
    if result_format == formats.CSV_RESULTS:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    if result_format == formats.TSV_RESULTS:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"not a SPARQL results format: {result_format.name}")


def serialize_boolean(result_format: Format, value: bool) -> bytes:
    text = "true" if value else "false"
    if result_format == formats.JSON_RESULTS:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if result_format == formats.XML_RESULTS:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"not a boolean results format: {result_format.name}")


def serialize_graph(rdf_format: Format, triples: Sequence[ox.Triple]) -> bytes:
    if rdf_format == formats.RDFXML:
        for triple in triples:  # pyoxigraph writes what it is given, XML or not
            if isinstance(triple.object, ox.Literal):
                _xml_text(triple.object.value)
        body = ox.serialize(triples, format=rdf_format.rdf, prefixes=PREFIXES) or b""
        return body.replace(b"\r", b"&#13;")
    if rdf_format == formats.TURTLE:
        return ox.serialize(triples, format=rdf_format.rdf, prefixes=PREFIXES) or b""
    return ox.serialize(triples, format=rdf_format.rdf) or b""
