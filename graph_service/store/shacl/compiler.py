"""SHACL shapes compiled to SPARQL: one SELECT per constraint that finds every violating
focus node of the shape at once, over the whole data, in the store's own engine.

Each `Check` is a query with two markers: TARGETS (the pattern binding `?this` to the shape's
focus nodes: `?this a ?t` with `?t` untoc:Meeting or a subclass) and FOCUS (nothing, or a
VALUES block of the focus nodes a change can affect, the targets then left out). The rows
are the validation results: `?this`, and `?value` where the result has a value.

A shape using anything this module does not compile (sh:closed, custom constraint
components, SHACL rules, ...) is listed in `Compiled.fallback`: pySHACL validates it, so a
constraint is never silently skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from graph_service.store.shacl.checks import FOCUS, TARGETS, Check, subclass_values
from graph_service.store.shacl.expressions import (
    ANNOTATIONS,
    VALUE_PARAMETERS,
    Names,
    ValueCompiler,
    term,
    total,
    unknown_parameters,
)
from graph_service.store.shacl.paths import Path, Route, Unsupported, read_path
from graph_service.store.shacl.sparql import sparql_check

TARGET_PARAMETERS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
PROPERTY_PARAMETERS = {
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
}
# pySHACL compares IRIs and strings as strings, other literals by value.
STRINGISH = (
    "(isIRI({v}) || (isLiteral({v}) && "
    f'(datatype({{v}}) = <{XSD.string}> || lang({{v}}) != "")))'
)


Target = tuple[str, Node]  # ("class" | "node" | "subjectsOf" | "objectsOf", IRI or term)


@dataclass
class Compiled:
    checks: list[Check] = field(default_factory=list)
    targets: dict[URIRef | BNode, list[Target]] = field(default_factory=dict)
    fallback: dict[URIRef | BNode, str] = field(default_factory=dict)  # shape -> why
    rules: bool = False  # SHACL rules change the data: pySHACL validates everything


def top_level_shapes(shapes: Graph) -> list:
    found = {s for p in TARGET_PARAMETERS for s in shapes.subjects(p, None)}
    found |= set(shapes.subjects(SH.target, None))
    for cls in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")):
        for shape in shapes.subjects(RDF.type, cls):
            if any((shape, RDF.type, t) in shapes for t in (SH.NodeShape, SH.PropertyShape)):
                found.add(shape)
    return sorted((s for s in found if shapes.value(s, SH.deactivated) != Literal(True)), key=str)


def compile_shapes(shapes: Graph) -> Compiled:
    compiled = Compiled(rules=(None, SH.rule, None) in shapes)
    for shape in top_level_shapes(shapes):
        try:
            checks = ShapeCompiler(shapes, shape).checks()
        except Unsupported as error:
            compiled.fallback[shape] = str(error)
            continue
        compiled.targets[shape] = targets_of(shapes, shape)
        compiled.checks.extend(checks)
    return compiled


def targets_of(shapes: Graph, shape) -> list[Target]:
    """The targets of a shape (explicit, and the implicit class target of a shape that is
    also a class)."""
    if (shape, SH.target, None) in shapes:
        raise Unsupported("SHACL-AF custom targets (sh:target)")
    found: list[Target] = [("class", c) for c in shapes.objects(shape, SH.targetClass)]
    for cls in (RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")):
        if (shape, RDF.type, cls) in shapes:
            found.append(("class", shape))
    found += [("node", n) for n in shapes.objects(shape, SH.targetNode)]
    found += [("subjectsOf", p) for p in shapes.objects(shape, SH.targetSubjectsOf)]
    found += [("objectsOf", p) for p in shapes.objects(shape, SH.targetObjectsOf)]
    if not found:
        raise Unsupported("no targets")
    for _, node in found:
        term(node)  # a blank node cannot be named in a query
    return found


def target_pattern(targets: list[Target]) -> str:
    """The pattern binding ?this to every focus node (possibly more than once)."""
    parts = []
    for n, (kind, node) in enumerate(targets):
        if kind == "class":
            t = f"?target{n}"
            parts.append(f"{{ VALUES {t} {{ {subclass_values(term(node))} }} ?this a {t} }}")
        elif kind == "node":
            parts.append(f"{{ VALUES ?this {{ {term(node)} }} }}")
        elif kind == "subjectsOf":
            parts.append(f"{{ ?this {term(node)} [] }}")
        else:
            parts.append(f"{{ [] {term(node)} ?this }}")
    return "{ " + " UNION ".join(parts) + " }"


class ShapeCompiler:
    """The checks of one shape with targets: its own constraints, and those of its
    property shapes (sh:property) on the same focus nodes."""

    def __init__(self, shapes: Graph, shape):
        self.shapes = shapes
        self.shape = shape
        targets_of(shapes, shape)  # raises Unsupported for custom targets

    def checks(self) -> list[Check]:
        g = self.shapes
        checks = self.constraints_of(self.shape, top=True)
        for prop in g.objects(self.shape, SH.property):
            if g.value(prop, SH.deactivated) == Literal(True):
                continue
            if (prop, SH.property, None) in g:
                raise Unsupported("a property shape with property shapes of its own")
            checks.extend(self.constraints_of(prop, top=False))
        return checks

    def constraints_of(self, shape, top: bool) -> list[Check]:
        g = self.shapes
        path_node = g.value(shape, SH.path)
        path = read_path(g, path_node) if path_node is not None else None
        known = VALUE_PARAMETERS | ANNOTATIONS | (PROPERTY_PARAMETERS if path else set())
        if path is None:
            known = known | {SH.equals, SH.disjoint}
        unknown = unknown_parameters(g, shape, known)
        if unknown:
            raise Unsupported(", ".join(unknown))
        if not top and path is None:
            raise Unsupported("sh:property without sh:path")
        severity = g.value(shape, SH.severity) or SH.Violation
        messages = tuple(m for m in g.objects(shape, SH.message) if isinstance(m, Literal))
        base = {
            "owner": self.shape,
            "shape": shape,
            "path": path,
            "path_node": path_node,
            "severity": severity,
            "messages": messages,
            "node_shape": path is None,
        }
        checks = []
        for component, query, reach, *parts in self.queries(shape, path):
            merged = parts[0] if parts else ()
            checks.append(
                Check(
                    component=component,
                    query=query,
                    reach=reach,
                    parts=merged,
                    **base,
                )
            )
        for constraint in g.objects(shape, SH.sparql):
            if g.value(constraint, SH.deactivated) != Literal(True):
                checks.append(sparql_check(g, constraint, base))
        return checks

    def queries(self, shape, path: Path | None):
        """(component, query, reach) of every SHACL Core constraint of `shape`."""
        names = Names()
        values = ValueCompiler(self.shapes, names)
        head = f"{FOCUS} {TARGETS}"
        if path is None:
            values_of, own = "BIND(?this AS ?value)", [Route()]
        else:
            values_of, own = f"?this {path.sparql()} ?value .", path.entries()
        step = Route((path,)) if path is not None else Route()
        tests = list(values.constraints(shape, "?value"))
        if len(tests) == 1:
            component, test, reads = tests[0]
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {head} {values_of} FILTER(!{test}) }}"
            yield component, query, tuple(own + [step.then(r) for r in reads])
        elif tests:  # one pass over the values for all of them, a flag per constraint
            flags = " ".join(
                f"BIND(COALESCE(!{t}, false) AS ?f{i})" for i, (_, t, _) in enumerate(tests)
            )
            query = (
                f"SELECT DISTINCT ?this ?value {' '.join(f'?f{i}' for i in range(len(tests)))} "
                f"WHERE {{ {head} {values_of} {flags} "
                f"FILTER({' || '.join(f'?f{i}' for i in range(len(tests)))}) }}"
            )
            reach = tuple(own + [step.then(r) for _, _, reads in tests for r in reads])
            parts = tuple((f"f{i}", component) for i, (component, _, _) in enumerate(tests))
            yield tests[0][0], query, reach, parts
        if path is None:
            yield from self.pair_queries(shape, None, head, own)
            return
        yield from self.count_queries(shape, path, head, own)
        yield from self.qualified_queries(shape, path, head, own, values)
        yield from self.pair_queries(shape, path, head, own)
        g = self.shapes
        if g.value(shape, SH.uniqueLang) == Literal(True):
            query = (
                f"SELECT ?this ?lang WHERE {{ {head} ?this {path.sparql()} ?v . "
                f'FILTER(isLiteral(?v) && lang(?v) != "") BIND(LCASE(lang(?v)) AS ?lang) }} '
                "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1)"
            )
            yield SH.UniqueLangConstraintComponent, query, tuple(own)
        for value in g.objects(shape, SH.hasValue):
            query = (
                f"SELECT DISTINCT ?this WHERE {{ {head} "
                f"FILTER NOT EXISTS {{ ?this {path.sparql()} {term(value)} }} }}"
            )
            yield SH.HasValueConstraintComponent, query, tuple(own)

    def count_queries(self, shape, path: Path, head: str, own: list[Route]):
        """sh:minCount and sh:maxCount. "At least one" is a FILTER NOT EXISTS and "at most
        one" a self-join (a second, different value): lookups, where a GROUP BY over every
        focus node took twice as long at 1M triples."""
        g = self.shapes
        low = int(str(g.value(shape, SH.minCount))) if (shape, SH.minCount, None) in g else None
        high = int(str(g.value(shape, SH.maxCount))) if (shape, SH.maxCount, None) in g else None
        p = path.sparql()
        none = f"FILTER NOT EXISTS {{ ?this {p} ?v }}"
        second = f"?this {p} ?a, ?b FILTER(!sameTerm(?a, ?b))"
        n = "COUNT(DISTINCT ?v)"
        if low == 1:
            query = f"SELECT DISTINCT ?this WHERE {{ {head} {none} }}"
            yield SH.MinCountConstraintComponent, query, tuple(own)
        elif low is not None and low > 1:
            query = (
                f"SELECT ?this WHERE {{ {head} OPTIONAL {{ ?this {p} ?v }} }} "
                f"GROUP BY ?this HAVING ({n} < {low})"
            )
            yield SH.MinCountConstraintComponent, query, tuple(own)
        if high == 1:
            query = f"SELECT DISTINCT ?this WHERE {{ {head} {second} }}"
            yield SH.MaxCountConstraintComponent, query, tuple(own)
        elif high is not None:
            query = (
                f"SELECT ?this WHERE {{ {head} ?this {p} ?v }} GROUP BY ?this HAVING ({n} > {high})"
            )
            yield SH.MaxCountConstraintComponent, query, tuple(own)

    def qualified_queries(self, shape, path: Path, head, own, values: ValueCompiler):
        g = self.shapes
        qualified = list(g.objects(shape, SH.qualifiedValueShape))
        if not qualified:
            return
        if len(qualified) > 1:
            raise Unsupported("several sh:qualifiedValueShape on one shape")
        test, reads = values.conforms(qualified[0], "?v")
        if g.value(shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
            for sibling in self.siblings(shape, qualified[0]):
                other, more = values.conforms(sibling, "?v")
                test, reads = f"({test} && !{other})", reads + more
        reach = tuple(own + [Route((path,)).then(r) for r in reads])
        p = path.sparql()
        low, high = g.value(shape, SH.qualifiedMinCount), g.value(shape, SH.qualifiedMaxCount)
        if low is not None and int(low) == 1:
            query = (
                f"SELECT DISTINCT ?this WHERE {{ {head} "
                f"FILTER NOT EXISTS {{ ?this {p} ?v FILTER({test}) }} }}"
            )
            yield SH.QualifiedMinCountConstraintComponent, query, reach
        elif low is not None and int(low) > 1:
            query = (
                f"SELECT ?this WHERE {{ {head} OPTIONAL {{ ?this {p} ?v FILTER({test}) }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(low)})"
            )
            yield SH.QualifiedMinCountConstraintComponent, query, reach
        if high is not None:
            query = (
                f"SELECT ?this WHERE {{ {head} ?this {p} ?v FILTER({test}) }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(high)})"
            )
            yield SH.QualifiedMaxCountConstraintComponent, query, reach

    def siblings(self, shape, qualified) -> list:
        g = self.shapes
        found: list = []
        for parent in g.subjects(SH.property, shape):
            for prop in g.objects(parent, SH.property):
                found.extend(q for q in g.objects(prop, SH.qualifiedValueShape) if q != qualified)
        return found

    def pair_queries(self, shape, path: Path | None, head: str, own: list[Route]):
        """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals (one result per
        offending pair, as pySHACL reports them)."""
        g = self.shapes
        values_of = "BIND(?this AS ?value)" if path is None else f"?this {path.sparql()} ?value ."
        for other in g.objects(shape, SH.equals):
            o = term(other)
            absent = (
                "FILTER(!sameTerm(?this, ?value))"
                if path is None
                else f"FILTER NOT EXISTS {{ ?this {path.sparql()} ?value }}"
            )
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {head} "
                f"{{ {values_of} FILTER NOT EXISTS {{ ?this {o} ?value }} }} "
                f"UNION {{ ?this {o} ?value {absent} }} }}"
            )
            yield SH.EqualsConstraintComponent, query, tuple(own)
        for other in g.objects(shape, SH.disjoint):
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {head} {values_of} "
                f"?this {term(other)} ?value }}"
            )
            yield SH.DisjointConstraintComponent, query, tuple(own)
        for parameter, operator in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other in g.objects(shape, parameter):
                a, b = STRINGISH.format(v="?value"), STRINGISH.format(v="?other")
                # Ill-typed literals of one datatype compare by their lexical forms, as in
                # rdflib (pySHACL); values of different kinds never compare.
                by_value = (
                    f"COALESCE(?value {operator} ?other, IF(datatype(?value) = datatype(?other), "
                    f"STR(?value) {operator} STR(?other), false))"
                )
                compare = total(
                    f"IF({a} != {b}, false, IF({a}, STR(?value) {operator} STR(?other), "
                    f"{by_value}))"
                )
                query = (
                    f"SELECT DISTINCT ?this ?value ?other WHERE {{ {head} {values_of} "
                    f"?this {term(other)} ?other FILTER(!{compare}) }}"
                )
                name = "LessThan" if parameter == SH.lessThan else "LessThanOrEquals"
                yield SH[f"{name}ConstraintComponent"], query, tuple(own)
