"""Descriptions of resources for the linked-data pages.

A description is the resource's concise bounded description (its triples, following blank
nodes, plus the triples of its own `#parts`), the labels of everything it links to, and one
page of the statements that point at it. Every query here is bounded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.store import Store, queries
from graph_service.vocabulary import RDF_TYPE

MAX_OUTGOING = 5000
INCOMING_PAGE = 50
INCOMING_COUNT_CAP = 10_000  # a hub's page says "more than" this many
VALUES_CHUNK = 400


def rows(store: Store, name: str, **kwargs) -> list[dict]:
    """Solutions of the named query `pages/{name}`."""
    return queries.rows(store, f"pages/{name}", **kwargs)


def exists(store: Store, iri: str) -> bool:
    return bool(queries.run(store, "pages/exists", this=ox.NamedNode(iri)))


@dataclass
class Description:
    iri: str
    outgoing: list[ox.Triple]
    incoming: list[ox.Triple]
    incoming_page: int
    incoming_has_more: bool
    # iri -> language tag -> labels
    labels: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    label_triples: list[ox.Triple] = field(default_factory=list)

    def triples(self) -> list[ox.Triple]:
        """Everything, without duplicates, in a stable order: for RDF serialisations."""
        seen: dict[ox.Triple, None] = {}
        for triple in [*self.outgoing, *self.label_triples, *self.incoming]:
            seen.setdefault(triple, None)
        return list(seen)

    def values(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.Literal]:
        return [
            t.object
            for t in self.outgoing
            if isinstance(t.subject, ox.NamedNode | ox.BlankNode)
            and t.subject.value == subject
            and t.predicate.value == predicate
            and isinstance(t.object, ox.NamedNode | ox.Literal)
        ]

    def types(self) -> list[str]:
        return sorted(v.value for v in self.values(self.iri, RDF_TYPE))


def concise_bounded_description(store: Store, iri: str) -> list[ox.Triple]:
    """The resource's own triples, the triples of blank nodes it reaches, and of its #parts."""
    result = dict.fromkeys(store.outgoing(iri, MAX_OUTGOING))
    for row in rows(store, "fragments", this=ox.NamedNode(iri), limit=MAX_OUTGOING):
        result.setdefault(ox.Triple(row["s"], row["p"], row["o"]), None)
    return list(result)


def incoming_page(
    store: Store, iri: str, page: int = 1, size: int = INCOMING_PAGE
) -> tuple[list[ox.Triple], bool]:
    """One page of statements pointing at `iri` (pages in the store's index order, each
    sorted by property then subject), and whether there is another page."""
    page = max(1, page)
    found = rows(
        store, "incoming", this=ox.NamedNode(iri), limit=size + 1, offset=(page - 1) * size
    )
    target = ox.NamedNode(iri)
    triples = [ox.Triple(r["s"], r["p"], target) for r in found[:size]]
    triples.sort(key=lambda t: (t.predicate.value, str(t.subject)))
    return triples, len(found) > size


def incoming_count(store: Store, iri: str, cap: int | None = None) -> tuple[int, bool]:
    """How many statements point at `iri`, and whether there are more than `cap` (default
    INCOMING_COUNT_CAP; the count then stops at `cap`)."""
    cap = INCOMING_COUNT_CAP if cap is None else cap
    found = rows(store, "incoming_count", this=ox.NamedNode(iri), cap=cap + 1)
    total = int(found[0]["n"].value) if found else 0
    return min(total, cap), total > cap


def _nodes(iris: list[str]) -> list[ox.NamedNode]:
    return [ox.NamedNode(iri) for iri in iris]


def fetch_labels(
    store: Store, iris: set[str] | list[str]
) -> tuple[dict[str, dict[str, list[str]]], list[ox.Triple]]:
    """rdfs:label / skos:prefLabel of the given IRIs, in every language."""
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    triples: list[ox.Triple] = []
    ordered = sorted(set(iris))
    for start in range(0, len(ordered), VALUES_CHUNK):
        for row in rows(store, "labels", values=_nodes(ordered[start : start + VALUES_CHUNK])):
            literal = row["label"]
            labels[row["r"].value][literal.language or ""].append(literal.value)
            triples.append(ox.Triple(row["r"], row["p"], literal))
    return {k: dict(v) for k, v in labels.items()}, triples


def fetch_types(store: Store, iris: set[str] | list[str]) -> dict[str, list[str]]:
    types: dict[str, list[str]] = defaultdict(list)
    ordered = sorted(set(iris))
    for start in range(0, len(ordered), VALUES_CHUNK):
        for row in rows(store, "types", values=_nodes(ordered[start : start + VALUES_CHUNK])):
            found = types[row["r"].value]
            if row["type"].value not in found:  # a remote engine answers once per graph
                found.append(row["type"].value)
    return dict(types)


def fetch_parts(store: Store, iris: set[str] | list[str]) -> dict[str, dict]:
    """Quoted text of cited parts: iri -> {value, language, doc, ordinal}."""
    parts: dict[str, dict] = {}
    ordered = sorted(set(iris))
    for start in range(0, len(ordered), VALUES_CHUNK):
        for row in rows(store, "parts", values=_nodes(ordered[start : start + VALUES_CHUNK])):
            parts[row["part"].value] = {
                "value": row["value"].value,
                "language": getattr(row["value"], "language", None) or "",
                "doc": row["doc"].value if row["doc"] is not None else None,
                "ordinal": int(row["ordinal"].value) if row["ordinal"] is not None else None,
            }
    return parts


def describe(store: Store, iri: str, page: int = 1, page_size: int = INCOMING_PAGE) -> Description:
    outgoing = concise_bounded_description(store, iri)
    incoming, has_more = incoming_page(store, iri, page, page_size)
    linked: set[str] = {iri}
    for triple in outgoing:
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.NamedNode):
                linked.add(term.value)
    for triple in incoming:
        if isinstance(triple.subject, ox.NamedNode):
            linked.add(triple.subject.value)
    labels, label_triples = fetch_labels(store, linked)
    return Description(
        iri=iri,
        outgoing=outgoing,
        incoming=incoming,
        incoming_page=max(1, page),
        incoming_has_more=has_more,
        labels=labels,
        label_triples=label_triples,
    )
