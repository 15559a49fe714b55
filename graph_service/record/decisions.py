"""Values that the curators' source decisions set aside (docs/decisions/0022): a value a
decision rejects, or that is not the value it prefers (in the same language), with the named
graph, hence the source, that states it. Pages show the retained value and these marked as
set aside; the coverage and the calendar use the retained values only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.store import Store, queries
from graph_service.vocabulary import document_iri

VALUES_CHUNK = 200


@dataclass(frozen=True)
class SetAside:
    subject: str
    property: str
    value: ox.NamedNode | ox.Literal
    graph: str  # the named graph stating the value
    decision: str  # the untoc:SourceDecision
    preferred: ox.NamedNode | ox.Literal | None = None

    def source(self, base_iri: str) -> str | None:
        """The source document whose graph states the value (`graph/{key}` ->
        `id/document/{key}`), or None for a graph outside the base."""
        prefix = base_iri + "graph/"
        if not self.graph.startswith(prefix):
            return None
        return document_iri(base_iri, self.graph[len(prefix) :])


def set_aside(store: Store, subjects: Iterable[str]) -> list[SetAside]:
    """What decisions set aside about `subjects`, in a stable order."""
    ordered = sorted(set(subjects))
    found: list[SetAside] = []
    for start in range(0, len(ordered), VALUES_CHUNK):
        nodes = [ox.NamedNode(iri) for iri in ordered[start : start + VALUES_CHUNK]]
        for row in queries.rows(store, "coverage/set-aside", subjects=nodes):
            value = row["value"]
            if not isinstance(value, ox.NamedNode | ox.Literal):
                continue
            preferred = row["preferred"]
            if not isinstance(preferred, ox.NamedNode | ox.Literal):
                preferred = None
            found.append(
                SetAside(
                    subject=_iri(row["subject"]),
                    property=_iri(row["property"]),
                    value=value,
                    graph=_iri(row["graph"]),
                    decision=_iri(row["decision"]),
                    preferred=preferred,
                )
            )
    return found


def is_set_aside(items: Iterable[SetAside], subject: str, prop: str, value) -> bool:
    return any(s.subject == subject and s.property == prop and s.value == value for s in items)


def _iri(term) -> str:
    return term.value if term is not None else ""
