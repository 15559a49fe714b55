"""SHACL Core constraints on one value node as SPARQL expressions that are true when the value
conforms: `sh:datatype xsd:date` on `?v` becomes `datatype(?v) = xsd:date` and a cast that
succeeds. Every expression is total (wrapped in COALESCE): an evaluation error is `false`,
as pySHACL reports a value that cannot be compared.

Nested shapes (`sh:node`, `sh:or`, `sh:qualifiedValueShape`, ...) compile to the conjunction
of their constraints on the same value; their property shapes become EXISTS / NOT EXISTS
patterns. What cannot be written this way raises Unsupported.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from graph_service.store.shacl.checks import subclasses
from graph_service.store.shacl.paths import Path, Route, Unsupported, read_path

# Casts Oxigraph evaluates: a literal of one of these datatypes is well formed if its
# lexical form casts to it (pySHACL reports ill-typed literals, "2023-02-30"^^xsd:date).
CASTS = {
    str(XSD[name])
    for name in (
        "boolean",
        "float",
        "double",
        "decimal",
        "integer",
        "dateTime",
        "date",
        "time",
        "duration",
        "yearMonthDuration",
        "dayTimeDuration",
    )
}
# Types derived from xsd:integer: the lexical form casts to an integer within the range.
INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    str(XSD.nonNegativeInteger): (0, None),
    str(XSD.positiveInteger): (1, None),
    str(XSD.nonPositiveInteger): (None, 0),
    str(XSD.negativeInteger): (None, -1),
    str(XSD.long): (-(2**63), 2**63 - 1),
    str(XSD.int): (-(2**31), 2**31 - 1),
    str(XSD.short): (-(2**15), 2**15 - 1),
    str(XSD.byte): (-128, 127),
    str(XSD.unsignedLong): (0, 2**64 - 1),
    str(XSD.unsignedInt): (0, 2**32 - 1),
    str(XSD.unsignedShort): (0, 2**16 - 1),
    str(XSD.unsignedByte): (0, 255),
}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
COMPARISONS = {
    SH.minInclusive: ">=",
    SH.minExclusive: ">",
    SH.maxInclusive: "<=",
    SH.maxExclusive: "<",
}
# The parameters of value constraints this module compiles (sh:qualifiedValueShape, counts,
# sh:uniqueLang and property pairs are compiled per focus node in `compiler.py`).
VALUE_PARAMETERS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.flags,
    SH.languageIn,
    SH["in"],
    SH.hasValue,
    SH.minLength,
    SH.maxLength,
    SH.node,
    SH["or"],
    SH["and"],
    SH["not"],
    SH.xone,
    *COMPARISONS,
}
# Predicates on a shape that say nothing about validation.
ANNOTATIONS = {
    RDF.type,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.path,
    SH.property,
    SH.sparql,
    SH.prefixes,
    SH.declare,
}
# Nested shapes (values of sh:node, sh:or, ...) have no targets of their own, and an
# sh:sparql there is not compiled.
NESTED_KNOWN = (VALUE_PARAMETERS | ANNOTATIONS) - {SH.sparql}


def unknown_parameters(shapes: Graph, shape, known: set) -> list[str]:
    """The SHACL predicates on `shape` that are not in `known`, and the parameters of
    constraint components the shapes graph declares (sh:parameter/sh:path)."""
    declared = set(shapes.objects(None, SH.parameter))
    custom = {shapes.value(p, SH.path) for p in declared}
    return sorted(
        str(p)
        for p in set(shapes.predicates(shape, None))
        if (str(p).startswith(str(SH)) and p not in known) or p in custom
    )


def term(node) -> str:
    """An rdflib IRI or literal in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise Unsupported(f"a blank node as a constraint parameter: {node}")


def total(expression: str) -> str:
    return f"COALESCE({expression}, false)"


class Names:
    """Fresh variable names for the patterns of one query."""

    def __init__(self, prefix: str = "n"):
        self.prefix = prefix
        self.count = 0

    def fresh(self) -> str:
        self.count += 1
        return f"?{self.prefix}{self.count}"


def datatype_test(v: str, datatype: str) -> str:
    if datatype == str(RDF.langString):
        return f'(isLiteral({v}) && lang({v}) != "")'
    if datatype == str(RDFS.Literal):
        return f"isLiteral({v})"
    same = f"(isLiteral({v}) && datatype({v}) = <{datatype}>)"
    if datatype in CASTS:
        return f"({same} && isLiteral(<{datatype}>(STR({v}))))"
    if datatype in INTEGER_RANGES:
        low, high = INTEGER_RANGES[datatype]
        cast = f"{XSD.integer.n3()}(STR({v}))"
        bounds = [
            f"{cast} >= {low}" if low is not None else "",
            f"{cast} <= {high}" if high is not None else "",
        ]
        checks = " && ".join(b for b in bounds if b) or f"isLiteral({cast})"
        return f"({same} && {checks})"
    return same


class ValueCompiler:
    """`conforms(shape, ?v)` and the single value constraints, as SPARQL expressions."""

    def __init__(self, shapes: Graph, names: Names):
        self.shapes = shapes
        self.names = names
        self._stack: list = []

    def items(self, node) -> list:
        return list(Collection(self.shapes, node))

    def constraints(self, shape, v: str) -> Iterator[tuple[URIRef, str, list[Route]]]:
        """(component, expression true when `v` conforms, routes from `v` to what it reads)
        for every value constraint of `shape` (one per parameter value)."""
        g = self.shapes
        for cls in g.objects(shape, SH["class"]):
            t = self.names.fresh()
            test = f"EXISTS {{ {v} a {t} FILTER({t} IN ({subclasses(term(cls))})) }}"
            yield SH.ClassConstraintComponent, test, [Route(side="s")]  # the value's types
        for datatype in g.objects(shape, SH.datatype):
            yield SH.DatatypeConstraintComponent, total(datatype_test(v, str(datatype))), []
        for kind in g.objects(shape, SH.nodeKind):
            if not isinstance(kind, URIRef) or kind not in NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {kind}")
            yield SH.NodeKindConstraintComponent, NODE_KINDS[kind].format(v=v), []
        flags = g.value(shape, SH.flags)
        for pattern in g.objects(shape, SH.pattern):
            args = f"{term(Literal(str(pattern)))}" + (
                f", {term(Literal(str(flags)))}" if flags is not None else ""
            )
            test = total(f"!isBlank({v}) && REGEX(STR({v}), {args})")
            yield SH.PatternConstraintComponent, test, []
        for parameter, operator in COMPARISONS.items():
            for bound in g.objects(shape, parameter):
                test = total(f"{v} {operator} {term(bound)}")
                name = str(parameter)[len(str(SH)) :]
                yield SH[f"{name[0].upper()}{name[1:]}ConstraintComponent"], test, []
        for parameter, operator in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for length in g.objects(shape, parameter):
                test = total(f"!isBlank({v}) && STRLEN(STR({v})) {operator} {int(str(length))}")
                name = "MinLength" if parameter == SH.minLength else "MaxLength"
                yield SH[f"{name}ConstraintComponent"], test, []
        for languages in g.objects(shape, SH.languageIn):
            yield SH.LanguageInConstraintComponent, self.language_in(v, languages), []
        for values in g.objects(shape, SH["in"]):
            options = " || ".join(f"sameTerm({v}, {term(x)})" for x in self.items(values))
            yield SH.InConstraintComponent, f"({options or 'false'})", []
        if (shape, SH.path, None) not in g:  # on a property shape, hasValue counts values
            for value in g.objects(shape, SH.hasValue):
                yield SH.HasValueConstraintComponent, f"sameTerm({v}, {term(value)})", []
        for other in g.objects(shape, SH.node):
            test, reads = self.conforms(other, v)
            yield SH.NodeConstraintComponent, test, reads
        for parameter, name in ((SH["or"], "Or"), (SH["and"], "And"), (SH.xone, "Xone")):
            for members in g.objects(shape, parameter):
                tests = [self.conforms(member, v) for member in self.items(members)]
                reads = [r for _, rs in tests for r in rs]
                if name == "Xone":
                    count = " + ".join(f"IF({t}, 1, 0)" for t, _ in tests)
                    test = total(f"({count or '0'}) = 1")
                else:
                    joiner = " || " if name == "Or" else " && "
                    test = "(" + (joiner.join(t for t, _ in tests) or str(name == "And")) + ")"
                yield SH[f"{name}ConstraintComponent"], test, reads
        for other in g.objects(shape, SH["not"]):
            test, reads = self.conforms(other, v)
            yield SH.NotConstraintComponent, f"!{test}", reads

    def language_in(self, v: str, languages) -> str:
        wanted = [str(x).lower() for x in self.items(languages)]
        if "*" in wanted:
            return f'(isLiteral({v}) && lang({v}) != "")'
        options = ", ".join(term(Literal(x)) for x in wanted)
        tag = f"LCASE(lang({v}))"
        first = f'LCASE(IF(CONTAINS(lang({v}), "-"), STRBEFORE(lang({v}), "-"), lang({v})))'
        return total(
            f'isLiteral({v}) && lang({v}) != "" && ({tag} IN ({options}) || {first} IN ({options}))'
        )

    def conforms(self, shape, v: str) -> tuple[str, list[Route]]:
        """An expression true when `v` conforms to the (nested) `shape`, and what it reads."""
        if shape in self._stack:
            raise Unsupported(f"recursive shapes through {shape}")
        g = self.shapes
        if g.value(shape, SH.deactivated) == Literal(True):
            return "true", []
        self._stack.append(shape)
        try:
            unknown = unknown_parameters(g, shape, NESTED_KNOWN)
            if (shape, SH.path, None) in g:
                return self.property_conforms(shape, v)
            if unknown:
                raise Unsupported(f"{', '.join(unknown)} in a nested shape")
            tests: list[str] = []
            reads: list[Route] = []
            for _component, test, routes in self.constraints(shape, v):
                tests.append(test)
                reads.extend(routes)
            for prop in g.objects(shape, SH.property):
                test, routes = self.property_conforms(prop, v)
                tests.append(test)
                reads.extend(routes)
            return "(" + (" && ".join(tests) or "true") + ")", reads
        finally:
            self._stack.pop()

    def property_conforms(self, shape, v: str) -> tuple[str, list[Route]]:
        """A nested property shape on `v`: every value conforms, and the counts hold."""
        g = self.shapes
        unknown = unknown_parameters(g, shape, NESTED_KNOWN | {SH.minCount, SH.maxCount})
        if unknown or (shape, SH.property, None) in g:
            what = ", ".join(unknown) or str(SH.property)
            raise Unsupported(f"{what} in a nested property shape")
        path = read_path(g, g.value(shape, SH.path))
        w = self.names.fresh()
        tests: list[str] = []
        reads = [r for r in path.entries()]
        for _component, test, routes in self.constraints(shape, w):
            tests.append(f"NOT EXISTS {{ {v} {path.sparql()} {w} FILTER(!{test}) }}")
            reads.extend(Route((path,)).then(r) for r in routes)
        tests.extend(self.count_tests(shape, v, path))
        return "(" + (" && ".join(tests) or "true") + ")", reads

    def count_tests(self, shape, v: str, path: Path) -> list[str]:
        tests = []
        low = self.shapes.value(shape, SH.minCount)
        high = self.shapes.value(shape, SH.maxCount)
        a, b = self.names.fresh(), self.names.fresh()
        if low is not None and int(low) > 1 or high is not None and int(high) > 1:
            raise Unsupported("counts above one in a nested property shape")
        if low is not None and int(low) == 1:
            tests.append(f"EXISTS {{ {v} {path.sparql()} {a} }}")
        if high is not None and int(high) == 0:
            tests.append(f"NOT EXISTS {{ {v} {path.sparql()} {a} }}")
        if high is not None and int(high) == 1:
            tests.append(
                f"NOT EXISTS {{ {v} {path.sparql()} {a}, {b} FILTER(!sameTerm({a}, {b})) }}"
            )
        return tests
