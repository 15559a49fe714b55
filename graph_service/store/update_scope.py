"""What a SPARQL Update can change, read from the update itself, and the difference it made.

An update only changes quads that match its templates (`INSERT DATA`, the DELETE and INSERT
templates of `DELETE/INSERT ... WHERE`, with variables and blank nodes as wildcards) or the
graphs it names (`LOAD`, `CLEAR`, `DROP`, `ADD`, `MOVE`, `COPY`). `scope` lists those quad
patterns, so that `difference` compares the store before and after on them alone instead
of on every quad. An update rdflib cannot read, or `CLEAR ALL`, has no bounded scope (None):
then every graph is compared.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

Graph = ox.NamedNode | ox.DefaultGraph
Pattern = tuple[ox.NamedNode | None, ox.NamedNode | None, ox.NamedNode | None, Graph | None]
Key = str | None  # a named graph's IRI, or None for the default graph


def _node(term) -> ox.NamedNode | None:
    """A template term as a pattern term: IRIs are kept; variables, blank nodes and
    literals (the store holds literals in canonical form) match anything."""
    return ox.NamedNode(str(term)) if isinstance(term, URIRef) else None


def _graph(term) -> Graph | None:
    if term is None or term == "DEFAULT":
        return ox.DefaultGraph()
    return ox.NamedNode(str(term)) if isinstance(term, URIRef) else None


def _part(node, key: str):
    """A part of an rdflib algebra node, None when absent (CompValue.get does not say)."""
    return node[key] if key in node else None


def _templates(clause, default: Graph | None) -> Iterable[Pattern]:
    for s, p, o in _part(clause, "triples") or []:
        yield (_node(s), _node(p), _node(o), default)
    for graph, triples in (_part(clause, "quads") or {}).items():
        for s, p, o in triples:
            yield (_node(s), _node(p), _node(o), _graph(graph))


def scope(sparql: str, base_iri: str | None = None) -> list[Pattern] | None:
    """The quad patterns the update can change; None: any quad."""
    try:
        update = translateUpdate(parseUpdate(sparql), base=base_iri)
    except Exception:  # rdflib cannot read it (Oxigraph could): compare everything
        return None
    patterns: list[Pattern] = []
    for operation in update.algebra:
        name = operation.name
        if name in ("InsertData", "DeleteData", "DeleteWhere"):
            patterns.extend(_templates(operation, ox.DefaultGraph()))
        elif name == "Modify":
            default = _graph(_part(operation, "withClause"))
            for clause in (_part(operation, "delete"), _part(operation, "insert")):
                if clause:
                    patterns.extend(_templates(clause, default))
        elif name == "Load":
            patterns.append((None, None, None, _graph(_part(operation, "graphiri"))))
        elif name in ("Clear", "Drop"):
            target = _part(operation, "graphiri")
            if target in ("ALL", "NAMED"):
                return None
            patterns.append((None, None, None, _graph(target)))
        elif name in ("Add", "Move", "Copy"):
            source, target = operation["graph"]
            patterns.append((None, None, None, _graph(target)))
            if name == "Move":
                patterns.append((None, None, None, _graph(source)))
        elif name != "Create":
            return None
    return patterns


def _key(graph) -> Key:
    return graph.value if isinstance(graph, ox.NamedNode) else None


def difference(
    before: ox.Store, after: ox.Store, patterns: list[Pattern] | None
) -> dict[Key, tuple[set[ox.Triple], set[ox.Triple]]]:
    """Per graph, (triples removed, triples added) between two stores, looking only at the
    quads matching `patterns` (None: at every quad)."""
    if patterns is None:
        patterns = [(None, None, None, None)]
    removed: dict[Key, set[ox.Triple]] = {}
    added: dict[Key, set[ox.Triple]] = {}
    for s, p, o, g in patterns:
        old = set(before.quads_for_pattern(s, p, o, g))
        new = set(after.quads_for_pattern(s, p, o, g))
        for quad in old - new:
            removed.setdefault(_key(quad.graph_name), set()).add(quad.triple)
        for quad in new - old:
            added.setdefault(_key(quad.graph_name), set()).add(quad.triple)
    return {
        key: (removed.get(key, set()), added.get(key, set()))
        for key in removed.keys() | added.keys()
    }
