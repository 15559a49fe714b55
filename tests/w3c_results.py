"""Comparing SPARQL results with the W3C test suites' expected ones: as multisets of rows,
blank nodes up to a one-to-one renaming."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Hashable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def same_up_to_bnodes(
    expected: list[tuple],
    actual: list[tuple],
    bnode: Callable[[Hashable], str | None],
    rename: Callable[[Hashable, str], Hashable],
) -> bool:
    """Equal as multisets of rows under some one-to-one renaming of the blank nodes;
    `bnode(cell)` gives a cell's label (None if not a blank node)."""

    def labels(rows):
        return sorted({label for row in rows for cell in row if (label := bnode(cell))})

    wanted, found = labels(expected), labels(actual)
    if len(wanted) != len(found) or len(found) > 8:
        return False
    target = Counter(expected)
    for permutation in itertools.permutations(wanted):
        mapping = dict(zip(found, permutation, strict=True))
        renamed = Counter(
            tuple(rename(cell, mapping[label]) if (label := bnode(cell)) else cell for cell in row)
            for row in actual
        )
        if renamed == target:
            return True
    return False


def in_order(head: list[str], actual_head: list[str], rows: list[tuple]) -> list[tuple] | None:
    """The rows with their columns in the order of `head`; None if the variables differ.
    SELECT * defines no order of its variables (the store lists them alphabetically)."""
    if sorted(head) != sorted(actual_head) or len(set(head)) != len(head):
        return None
    return [tuple(row[actual_head.index(v)] for v in head) for row in rows]


def json_term(value: dict) -> tuple:
    """A binding as the spec defines it; "typed-literal" is the older name of a literal with
    a datatype, and a literal without one is an xsd:string (RDF 1.1)."""
    kind = "literal" if value["type"] == "typed-literal" else value["type"]
    assert kind in ("uri", "bnode", "literal"), value
    if kind != "literal":
        return (kind, value["value"])
    language = value.get("xml:lang")
    datatype = None if language else value.get("datatype", XSD_STRING)
    return (kind, value["value"], datatype, language.lower() if language else None)
