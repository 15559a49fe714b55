"""SHACL validation reports, and pySHACL: the reference validator.

`validate` runs pySHACL over rdflib graphs; it is what the compiled validator of
`store/shacl/` is checked against (tests/store/test_shacl_equivalence.py), and what runs
the shapes that validator cannot compile. Both produce a `ValidationReport`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")


class ShapesError(Exception):
    """The shapes themselves are unusable (pyshacl refused them)."""


@dataclass(frozen=True)
class Violation:
    focus_node: str
    shape: str  # IRI of the named shape (the node shape owning an anonymous property shape)
    shape_name: str  # sh:name of the shape that failed, for people
    path: str | None
    value: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    component: str = ""  # IRI of the sh:sourceConstraintComponent

    def key(self) -> tuple:
        """What two validators must agree on."""
        return (self.focus_node, self.shape, self.path, self.value, self.severity)

    def text(self) -> str:
        detail = ", ".join(part for part in (self.path, self.value) if part)
        suffix = f" [{detail}]" if detail else ""
        return f"{self.severity}: {self.focus_node} ({self.shape_name}): {self.message}{suffix}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph | None = None  # the SHACL validation report as RDF

    def text(self) -> str:
        if self.conforms:
            return "Conforms: no violations."
        paragraphs = [v.text() for v in self.violations]
        paragraphs.append(f"{len(self.violations)} violation(s).")
        return "\n\n".join(paragraphs)

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]}

    def json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def turtle(self) -> str:
        if self.graph is None:
            self.graph = report_graph(self)
        self.graph.bind("sh", SH)
        return self.graph.serialize(format="turtle")

    def shapes(self) -> set[str]:
        return {v.shape for v in self.violations}


def report_graph(report: ValidationReport) -> Graph:
    """The SHACL validation report as RDF, from the violations (the source shape is the
    named shape: blank nodes of the shapes graph mean nothing outside it)."""
    graph = Graph()
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(report.conforms)))
    for violation in report.violations:
        result = BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, from_n3(violation.focus_node)))
        graph.add((result, SH.sourceShape, from_n3(violation.shape)))
        graph.add((result, SH.resultSeverity, SH[violation.severity]))
        graph.add((result, SH.resultMessage, Literal(violation.message)))
        if violation.component:
            graph.add((result, SH.sourceConstraintComponent, URIRef(violation.component)))
        if violation.path:
            graph.add((result, SH.resultPath, from_n3(violation.path)))
        if violation.value:
            graph.add((result, SH.value, from_n3(violation.value)))
    return graph


def from_n3(text: str):
    """The term `show` wrote (an IRI in angle brackets, a literal in N-Triples syntax)."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    parsed = Graph().parse(data=f"<urn:x> <urn:y> {text} .", format="nt")
    return next(iter(parsed.objects()))


def to_rdflib(triples: Iterable[ox.Triple]) -> Graph:
    """Copy pyoxigraph triples into an rdflib graph (via N-Triples, which both speak exactly)."""
    graph = Graph()
    body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    if body:
        graph.parse(data=body.decode(), format="nt")
    return graph


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate `data` against `shapes`, over the union of data and ontology, so that
    sh:targetClass and sh:class see subclasses (a WorkingGroup is a Body) and the ontology's
    own individuals (the provision-type concepts). pyshacl's ont_graph copies only parts of the
    ontology, hence the explicit union."""
    if ontology is not None:
        union = Graph()
        union += data
        union += ontology
        data = union
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    # pySHACL leaves reference cycles through exceptions it caught, whose frames hold our
    # callers' frames, and with them the store they write to: an on-disk store would stay
    # open (and locked) after its caller is done. Collect them now.
    gc.collect()
    if not isinstance(results, Graph):  # pyshacl's ValidationFailure: broken shapes
        raise ShapesError(f"the shapes cannot be used: {getattr(results, 'message', results)}")
    violations = [
        _violation(results, shapes, result)
        for result in results.subjects(RDF.type, SH.ValidationResult)
    ]
    violations.sort(key=lambda v: (v.focus_node, v.shape, v.path or "", v.value or ""))
    return ValidationReport(conforms=bool(conforms), violations=violations, graph=results)


def _violation(results: Graph, shapes: Graph, result) -> Violation:
    source_shape = results.value(result, SH.sourceShape)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    component = results.value(result, SH.sourceConstraintComponent)
    return Violation(
        focus_node=show(results.value(result, SH.focusNode)),
        shape=show(named_shape(shapes, source_shape)),
        shape_name=shape_name(shapes, source_shape),
        path=show(path) if path is not None else None,
        value=show(value) if value is not None else None,
        message=_message(results, result),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        component=str(component or ""),
    )


def named_shape(shapes: Graph, shape):
    """The IRI a person can look up: the shape itself, or the named shape that owns it."""
    if not isinstance(shape, BNode):
        return shape
    for owner in shapes.subjects(SH.property, shape):
        return named_shape(shapes, owner)
    return shape


def shape_name(shapes: Graph, shape) -> str:
    name = english(shapes.objects(shape, SH.name))
    if name:
        return name
    return show(named_shape(shapes, shape))


def _message(results: Graph, result) -> str:
    return english(results.objects(result, SH.resultMessage)) or "constraint not satisfied"


def english(literals) -> str | None:
    """Prefer an English (or untagged) literal; otherwise any."""
    fallback = None
    for literal in literals:
        if not isinstance(literal, Literal):
            continue
        if literal.language in (None, "en"):
            return str(literal)
        fallback = fallback or str(literal)
    return fallback


def show(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)
