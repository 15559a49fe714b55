"""Query results across the pipe between a worker and the server: plain tuples of strings,
rebuilt into pyoxigraph terms in the server (pickling pyoxigraph terms is about twice as slow)."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.sparql.results import QueryResult


def encode_result(result: QueryResult) -> tuple:
    if result.form == "boolean":
        return ("boolean", result.boolean)
    if result.form == "solutions":
        return ("solutions", result.variables, [tuple(map(_encode, row)) for row in result.rows])
    return (
        "graph",
        [(_encode(t.subject), _encode(t.predicate), _encode(t.object)) for t in result.triples],
    )


def decode_reply(reply: tuple) -> QueryResult:
    if reply[0] == "error":
        raise reply[1]
    encoded = reply[1]
    form = encoded[0]
    if form == "boolean":
        return QueryResult("boolean", boolean=encoded[1])
    decode = _Decoder()
    if form == "solutions":
        return QueryResult(
            "solutions", variables=encoded[1], rows=[tuple(map(decode, row)) for row in encoded[2]]
        )
    return QueryResult(
        "graph", triples=[ox.Triple(decode(s), decode(p), decode(o)) for s, p, o in encoded[1]]
    )


_DIRECTIONS = {str(d): d for d in (ox.BaseDirection.LTR, ox.BaseDirection.RTL)}


def _encode(term):
    """None, an IRI as a str, or a tuple tagged "_" (blank node), "@" (language string),
    "^" (typed literal), "<<" (triple term)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return ("_", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            direction = term.direction
            return ("@", term.value, term.language, str(direction) if direction else None)
        return ("^", term.value, term.datatype.value)
    return ("<<", _encode(term.subject), _encode(term.predicate), _encode(term.object))


class _Decoder:
    def __init__(self):
        self.datatypes: dict[str, ox.NamedNode] = {}

    def __call__(self, encoded):
        if encoded is None:
            return None
        if isinstance(encoded, str):
            return ox.NamedNode(encoded)
        tag = encoded[0]
        if tag == "_":
            return ox.BlankNode(encoded[1])
        if tag == "@":
            direction = _DIRECTIONS[encoded[3]] if encoded[3] else None
            return ox.Literal(encoded[1], language=encoded[2], direction=direction)
        if tag == "^":
            datatype = self.datatypes.get(encoded[2])
            if datatype is None:
                datatype = self.datatypes[encoded[2]] = ox.NamedNode(encoded[2])
            return ox.Literal(encoded[1], datatype=datatype)
        return ox.Triple(self(encoded[1]), self(encoded[2]), self(encoded[3]))
