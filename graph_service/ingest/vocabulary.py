"""IRIs of the ontology and of the instances (DESIGN.md section 2), as pyoxigraph terms."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

UNTOC = "https://w3id.org/untoc/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
ISO639 = "http://id.loc.gov/vocabulary/iso639-1/"


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
