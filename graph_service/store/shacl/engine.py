"""Running the compiled shapes on an Oxigraph store: every check once over the data (full
validation), or only for the focus nodes a change can affect (incremental validation).

The data graph is what `View` selects in the store: by default the union of every graph but
the shapes graph, as pySHACL sees the union of the data and the ontology.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

from graph_service.store.shacl.checks import Check
from graph_service.store.shacl.compiler import Compiled, compile_shapes
from graph_service.store.shacl.focus import Run, Touched
from graph_service.store.validation import (
    ValidationReport,
    Violation,
    english,
    named_shape,
    shape_name,
    show,
    validate,
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_SUBSTITUTION = re.compile(r"\{[?$](\w+)\}")


@dataclass
class View:
    """The data graph of a validation: the graphs of `store` that queries see as their
    default graph (None: the union of all graphs)."""

    store: ox.Store
    graphs: list[ox.NamedNode | ox.DefaultGraph] | None = None

    def query(self, sparql: str):
        if self.graphs is None:
            return self.store.query(sparql, use_default_graph_as_union=True)
        return self.store.query(sparql, default_graph=self.graphs)  # type: ignore[arg-type]

    def triples(self) -> Iterable[ox.Triple]:
        if self.graphs is None:
            return (q.triple for q in self.store.quads_for_pattern(None, None, None, None))
        return (
            q.triple for g in self.graphs for q in self.store.quads_for_pattern(None, None, None, g)
        )


@dataclass
class Statistics:
    checks_run: int = 0
    checks_focused: int = 0
    focus_nodes: int = 0
    fallback_shapes: list[str] = field(default_factory=list)


def rdflib_term(term: Term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))  # rdflib's lexical forms, as pySHACL


_VALIDATORS: dict[str, Validator] = {}


def validator_for(shapes: Iterable[ox.Triple]) -> Validator:
    """The compiled validator of a shapes graph, compiled once per content."""
    text = "\n".join(sorted(str(t) for t in shapes))
    key = hashlib.sha256(text.encode()).hexdigest()
    if key not in _VALIDATORS:
        graph = Graph()
        if text:
            graph.parse(data=" .\n".join(text.splitlines()) + " .", format="nt")
        if len(_VALIDATORS) > 8:
            _VALIDATORS.clear()
        _VALIDATORS[key] = Validator(graph)
    return _VALIDATORS[key]


class Validator:
    """The shapes of one shapes graph, compiled once, run on any store."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.compiled: Compiled = compile_shapes(shapes)
        self.last = Statistics()

    def validate(
        self, view: View, touched: Touched | set[Term] | tuple[set[Term], set[Term]] | None = None
    ) -> ValidationReport:
        """Full validation (`touched` None), or of the focus nodes that the changed triples'
        subjects and objects can affect, through each check's routes. `touched`: the nodes of
        the added and of the removed triples (`Touched`), or, not telling them apart, a set
        of both sides or (subjects, objects)."""
        if isinstance(touched, set):
            touched = Touched.unsigned(touched, touched)
        elif isinstance(touched, tuple):
            touched = Touched.unsigned(*touched)
        if touched is not None and any(isinstance(t, ox.BlankNode) for t in touched.nodes()):
            touched = None  # a blank node cannot be named in a query: validate everything
        self.last = Statistics()
        run = Run(view, touched)
        violations: list[Violation] = []
        for check in [] if self.compiled.rules else self.compiled.checks:
            targets = self.compiled.targets[check.owner]
            if touched is None or check.reach is None:
                self.last.checks_run += 1
                queries = [run.full(check, targets)]
            else:
                self.last.checks_focused += 1
                queries = run.focused(check, targets)
            for query in queries:
                violations.extend(self.results(check, view.query(query)))
        violations.extend(self.fallback(view))
        violations.sort(key=lambda v: (v.focus_node, v.shape, v.path or "", v.value or ""))
        conforms = not any(v.severity == "Violation" for v in violations)
        return ValidationReport(conforms=conforms, violations=violations)

    def results(self, check: Check, solutions) -> list[Violation]:
        names = [v.value for v in solutions.variables]
        rows = {tuple(solution[n] for n in names) for solution in solutions}
        found = []
        for row in rows:
            binding = dict(zip(names, row, strict=True))
            for component in check.components(binding):
                found.append(self.violation(check, binding, component))
        return found

    def violation(self, check: Check, row: dict, component) -> Violation:
        focus = row["this"]
        value = row.get("value")
        path = row.get("path") if check.substitute else None
        if check.substitute and value is None and check.node_shape:
            value = focus
        result_path = show(rdflib_term(path)) if path is not None else None
        if result_path is None and check.path_node is not None:
            result_path = show(check.path_node)
        return Violation(
            focus_node=show(rdflib_term(focus)),
            shape=show(named_shape(self.shapes, check.shape)),
            shape_name=shape_name(self.shapes, check.shape),
            path=result_path,
            value=show(rdflib_term(value)) if value is not None else None,
            message=self.message(check, row, component),
            severity=str(check.severity).rsplit("#", 1)[-1],
            component=str(component),
        )

    @staticmethod
    def message(check: Check, row: dict, component) -> str:
        text = english(check.messages) or f"{str(component).rsplit('#', 1)[-1]} failed"
        if not check.substitute:
            return text

        def value(match: re.Match) -> str:
            term = row.get(match.group(1))
            return term.value if term is not None else match.group(0)

        return _SUBSTITUTION.sub(value, text)

    def fallback(self, view: View) -> list[Violation]:
        """pySHACL for the shapes the compiler does not know, over the whole data graph."""
        shapes = self.fallback_shapes()
        if shapes is None:
            return []
        self.last.fallback_shapes = sorted(str(s) for s in self.compiled.fallback)
        data = Graph()
        for triple in view.triples():
            data.add((rdflib_term(triple[0]), rdflib_term(triple[1]), rdflib_term(triple[2])))
        return validate(data, shapes).violations

    def fallback_shapes(self) -> Graph | None:
        """The shapes graph without the targets of the compiled shapes (so pySHACL validates
        only the others), or None when every shape is compiled."""
        if self.compiled.rules:
            return self.shapes
        if not self.compiled.fallback:
            return None
        shapes = Graph()
        compiled = set(self.compiled.targets) - set(self.compiled.fallback)
        targets = (
            SH.targetClass,
            SH.targetNode,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.target,
        )
        for s, p, o in self.shapes:
            if s in compiled and p in targets:
                continue
            shapes.add((s, p, o))
        return shapes
