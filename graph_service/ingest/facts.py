"""What an extraction produces: facts (triples), problems, the meetings read so far, and the
small tables the readers share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.vocabulary import XSD

TREATY_CLASS = {"untoc": "Convention"}
SUPPLEMENTING = re.compile(r"дополняющ|supplementing", re.I)
BOOLEAN_TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))


def series(symbol: str) -> str:
    """CTOC/COP/WG.4/2023/5 -> CTOC/COP/WG.4: the symbol without its year and number."""
    return re.sub(r"/\d{4}/\d+$", "", symbol)


@dataclass
class Problem:
    where: str  # "paragraph 3", "header", "section heading 2"
    line: int
    message: str
    text: str

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 200 else self.text[:197] + "..."
        return f"line {self.line}, {self.where}: {self.message}\n    text: {excerpt}"


@dataclass
class Meeting:
    node: ox.NamedNode
    body: str
    ordinal: int


@dataclass
class Extraction:
    key: str
    graph: ox.NamedNode
    document: ox.NamedNode
    language: str
    triples: set[ox.Triple] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    proposed_bodies: dict[str, str] = field(default_factory=dict)  # new key -> name

    def add(self, s, p, o) -> None:
        self.triples.add(ox.Triple(s, p, o))
