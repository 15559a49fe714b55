"""The terms the ingester writes, as pyoxigraph terms, and the instance IRIs it mints
(DESIGN.md section 2). The namespaces themselves are graph_service.vocabulary's."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from graph_service.vocabulary import DCTERMS, ISO639, RDF, RDFS, SCHEMA, SKOS, UNTOC, XSD


def u(name: str) -> ox.NamedNode:
    return ox.NamedNode(UNTOC + name)


TYPE = ox.NamedNode(RDF + "type")
VALUE = ox.NamedNode(RDF + "value")
LABEL = ox.NamedNode(RDFS + "label")
ALT_LABEL = ox.NamedNode(SKOS + "altLabel")
SOURCE = ox.NamedNode(DCTERMS + "source")
IS_PART_OF = ox.NamedNode(DCTERMS + "isPartOf")
TITLE = ox.NamedNode(DCTERMS + "title")
ISSUED = ox.NamedNode(DCTERMS + "issued")
CREATOR = ox.NamedNode(DCTERMS + "creator")
LANGUAGE = ox.NamedNode(DCTERMS + "language")
START = ox.NamedNode(SCHEMA + "startDate")
END = ox.NamedNode(SCHEMA + "endDate")
LOCATION = ox.NamedNode(SCHEMA + "location")
PLACE = ox.NamedNode(SCHEMA + "Place")


class Ids:
    """Instance IRIs under a base IRI (configurable, KG_BASE_IRI)."""

    def __init__(self, base: str):
        self.base = base

    def node(self, kind: str, key: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}id/{kind}/{key}")

    def body(self, key: str) -> ox.NamedNode:
        return self.node("body", key)

    def session(self, n: int) -> ox.NamedNode:
        return self.node("session", f"cop-{n}")

    def agenda_item(self, session: int, n: int) -> ox.NamedNode:
        return self.node("session", f"cop-{session}/agenda/{n}")

    def instrument(self, kind: str, s: int, k: int) -> ox.NamedNode:
        return self.node(kind, f"cop-{s}-{k}")

    def provision(self, instrument: ox.NamedNode, ptype: str, body: str) -> ox.NamedNode:
        return ox.NamedNode(f"{instrument.value}/provision/{ptype}-{body}")

    def provision_type(self, ptype: str) -> ox.NamedNode:
        return self.node("provision-type", ptype)

    def meeting(self, body: str, n: int) -> ox.NamedNode:
        return self.node("meeting", f"{body}-{n}")

    def document(self, key: str) -> ox.NamedNode:
        return self.node("document", key)

    def graph(self, key: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}graph/{key}")


def lit(text: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "positiveInteger"))


def date(day: dt.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def language(code: str) -> ox.NamedNode:
    return ox.NamedNode(ISO639 + code)
