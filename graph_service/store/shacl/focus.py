"""One validation run over one data graph: the subclass closures the queries need, and, for
incremental validation, the focus nodes each check must look at.

The focus nodes of a check are the touched nodes and the nodes from which one of the check's
routes leads to a touched node (asked of the store once per route), kept only if they are
targets of the check's shape. Target membership is looked up node by node in the store's
indexes: joining a VALUES block with the targets pattern inside the query made Oxigraph
enumerate every target. A route walks back from the nodes of added triples, of removed
ones, or of both, as `Route.change` says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from graph_service.store.shacl.checks import Check
from graph_service.store.shacl.compiler import Target, target_pattern
from graph_service.store.shacl.expressions import term
from graph_service.store.shacl.paths import Path

Term = ox.NamedNode | ox.BlankNode | ox.Literal
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
MARKER = re.compile(r"%%(SUBCLASSES|SUBCLASS_VALUES) <([^>]*)>%%")
VALUES_CHUNK = 20_000  # terms per VALUES block


ANY = ""  # any predicate


class Touched:
    """The subjects and objects of the triples a change adds ("+") and of those it removes
    ("-"), by predicate."""

    def __init__(self):
        self.index: dict[tuple[str, str, str], set[Term]] = {}  # (sign, side, predicate)

    def add(self, sign: str, triples: Iterable[ox.Triple]) -> None:
        for t in triples:
            self.index.setdefault((sign, "s", t.predicate.value), set()).add(t.subject)  # type: ignore[arg-type]
            self.index.setdefault((sign, "o", t.predicate.value), set()).add(t.object)  # type: ignore[arg-type]

    @classmethod
    def unsigned(cls, subjects: set[Term], objects: set[Term]) -> Touched:
        """Nodes of changed triples, not known to be added or removed, nor their predicates."""
        touched = cls()
        for sign in "+-":
            touched.index[(sign, "s", ANY)] = set(subjects)
            touched.index[(sign, "o", ANY)] = set(objects)
        return touched

    def nodes(self, side: str = "so", change: str = "+-", predicate: str = ANY) -> set[Term]:
        found: set[Term] = set()
        for (sign, where, p), nodes in self.index.items():
            if sign in change and where in side and (predicate == ANY or p in (ANY, predicate)):
                found |= nodes
        return found


def chunks(terms: Iterable[Term]) -> Iterable[str]:
    ordered = sorted(terms, key=str)
    for start in range(0, len(ordered), VALUES_CHUNK):
        yield " ".join(str(t) for t in ordered[start : start + VALUES_CHUNK])


class Run:
    def __init__(self, view, touched: Touched | None):
        self.view = view
        self.touched = touched
        self.touched_nodes = touched.nodes() if touched is not None else set()
        self.closures: dict[str, list[str]] = {}
        self.reached: dict[tuple[tuple[Path, ...], str, str, str], set[Term]] = {}
        self.class_sets: dict[int, set[str]] = {}
        self.types: dict[Term, set[str]] = {}
        self.members: dict[int, dict[Term, bool]] = {}
        graphs = view.graphs
        self.graphs = None if graphs is None else set(graphs)

    # -- the data's classes ---------------------------------------------------------------
    def closure(self, iri: str) -> list[str]:
        """The class and every subclass of it in the data."""
        if iri not in self.closures:
            rows = self.view.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{SUBCLASS_OF}>* <{iri}> }}")
            found = {row["c"].value for row in rows if isinstance(row["c"], ox.NamedNode)}
            self.closures[iri] = sorted(found | {iri})
        return self.closures[iri]

    def render(self, query: str) -> str:
        def replace(match: re.Match) -> str:
            iris = [f"<{c}>" for c in self.closure(match.group(2))]
            return (", " if match.group(1) == "SUBCLASSES" else " ").join(iris)

        return MARKER.sub(replace, query)

    def full(self, check: Check, targets: list[Target]) -> str:
        return self.render(check.render(target_pattern(targets)))

    # -- incremental validation -----------------------------------------------------------
    def focused(self, check: Check, targets: list[Target]) -> list[str]:
        """The check's queries for the focus nodes the touched nodes reach (none at all
        when no focus node is reached)."""
        assert self.touched is not None and check.reach is not None
        nodes: set[Term] = set(self.touched_nodes)  # the touched nodes themselves
        for route in check.reach:
            nodes |= self.reach(route.steps, route.side, route.change, route.predicate)
        nodes = self.targets(targets, nodes)
        return [self.render(check.render_focused(chunk)) for chunk in chunks(nodes)]

    def reach(self, steps: tuple[Path, ...], side: str, change: str, predicate: str) -> set[Term]:
        """The nodes from which the route `steps` leads to a node on `side` of a triple with
        `predicate` that the change adds or removes (`change`) (those nodes themselves for
        the empty route), walked backwards through the store's indexes; each suffix of a
        route is walked once per run."""
        assert self.touched is not None
        key = (steps, side, change, predicate)
        if key not in self.reached:
            if not steps:
                found = self.touched.nodes(side, change, predicate)
            elif len(steps) > 1 and steps[1].kind == "computed":
                ends = self.reach(steps[2:], side, change, predicate)
                found = self.computed_sources(steps[0], steps[1], ends)
            else:
                found = self.sources(steps[0], self.reach(steps[1:], side, change, predicate))
            self.reached[key] = found
        return self.reached[key]

    def computed_sources(self, path: Path, computed: Path, ends: set[Term]) -> set[Term]:
        """{f : f path v, computed(v) in ends}: the expression is evaluated in the store
        for every `path` value, so this reads all of them once; it runs only when some end
        is reached (for the shapes of this project: when a document loses its type)."""
        found: set[Term] = set()
        for chunk in chunks(ends):
            query = (
                f"{computed.prolog}\nSELECT DISTINCT ?untoc_from WHERE {{ "
                f"?untoc_from {path.sparql()} ?{computed.variable} . "
                f"BIND({computed.expression} AS ?untoc_to) "
                f"VALUES ?untoc_to {{ {chunk} }} }}"
            )
            found |= {row["untoc_from"] for row in self.view.query(query)}
        return found

    def sources(self, path: Path, ends: set[Term]) -> set[Term]:
        """{f : f path n, n in ends}."""
        store = self.view.store
        if path.kind in ("pred", "any"):
            predicate = ox.NamedNode(path.iri) if path.kind == "pred" else None
            return {
                q.subject
                for n in ends
                for q in store.quads_for_pattern(None, predicate, n, None)
                if self.visible(q)
            }
        if path.kind == "inv":
            inner = path.parts[0]
            predicate = ox.NamedNode(inner.iri) if inner.kind == "pred" else None
            return {
                q.object
                for n in ends
                if not isinstance(n, ox.Literal)
                for q in store.quads_for_pattern(n, predicate, None, None)
                if self.visible(q)
            }
        if path.kind == "seq":
            for part in reversed(path.parts):
                ends = self.sources(part, ends)
            return ends
        if path.kind == "alt":
            return set().union(*(self.sources(part, ends) for part in path.parts))
        inner = path.parts[0]
        if path.kind == "opt":
            return ends | self.sources(inner, ends)
        found, frontier = set(ends), set(ends)  # star: any number of steps, plus: one or more
        while frontier:
            frontier = self.sources(inner, frontier) - found
            found |= frontier
        return found if path.kind == "star" else self.sources(inner, found)

    def targets(self, targets: list[Target], nodes: set[Term]) -> set[Term]:
        """Those of `nodes` that are focus nodes of these targets."""
        known = self.members.setdefault(id(targets), {})
        if id(targets) not in self.class_sets:
            named = [str(t) for kind, t in targets if kind == "class"]
            self.class_sets[id(targets)] = {c for cls in named for c in self.closure(cls)}
        classes = self.class_sets[id(targets)]
        others = [(kind, t) for kind, t in targets if kind != "class"]
        for node in nodes - known.keys():
            known[node] = bool(classes and self.types_of(node) & classes) or any(
                self.member(kind, target, node) for kind, target in others
            )
        return {node for node in nodes if known[node]}

    def member(self, kind: str, target, node: Term) -> bool:
        if kind == "node":
            return str(node) == term(target)
        predicate = ox.NamedNode(str(target))
        if kind == "subjectsOf":
            if isinstance(node, ox.Literal):
                return False
            quads = self.view.store.quads_for_pattern(node, predicate, None, None)
        else:
            quads = self.view.store.quads_for_pattern(None, predicate, node, None)
        return any(self.visible(q) for q in quads)

    def types_of(self, node: Term) -> set[str]:
        if node not in self.types:
            self.types[node] = (
                set()
                if isinstance(node, ox.Literal)
                else {
                    q.object.value
                    for q in self.view.store.quads_for_pattern(node, RDF_TYPE, None, None)
                    if self.visible(q) and isinstance(q.object, ox.NamedNode)
                }
            )
        return self.types[node]

    def visible(self, quad: ox.Quad) -> bool:
        return self.graphs is None or quad.graph_name in self.graphs
