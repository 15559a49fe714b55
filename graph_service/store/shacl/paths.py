"""SHACL property paths as SPARQL property paths, and what a path reads.

A path is kept as a small tree (`Path`) so that it can be written as SPARQL and turned around
(`inverse`), and so that `entries` can say from which nodes the triples it follows are read:
the focus node itself for `p`, and also the node after `p1` for `p1/p2`. Incremental
validation uses these to find the focus nodes a changed triple can matter to
(`engine.affected`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH


class Unsupported(Exception):
    """A shape uses something the compiler does not know; pySHACL validates it instead."""


@dataclass(frozen=True)
class Path:
    kind: str  # "pred", "inv", "seq", "alt", "star", "plus", "opt", "any", "computed"
    iri: str = ""
    parts: tuple[Path, ...] = ()
    # "computed": a node a query computes from the node before (BIND(expression AS ?out)
    # with `variable` the one variable of the expression, `prolog` its PREFIX lines)
    expression: str = ""
    variable: str = ""
    prolog: str = ""

    def sparql(self) -> str:
        if self.kind == "pred":
            return f"<{self.iri}>"
        if self.kind == "any":  # any predicate (a variable predicate in a query)
            return "!(<urn:x-untoc:no-predicate>)"
        if self.kind == "computed":
            raise ValueError("a computed node is not a property path")
        if self.kind == "inv":
            return f"^({self.parts[0].sparql()})"
        if self.kind in ("seq", "alt"):
            joiner = "/" if self.kind == "seq" else "|"
            return "(" + joiner.join(p.sparql() for p in self.parts) + ")"
        suffix = {"star": "*", "plus": "+", "opt": "?"}[self.kind]
        return f"({self.parts[0].sparql()}){suffix}"

    def inverse(self) -> Path:
        if self.kind == "computed":
            raise ValueError("a computed node cannot be walked back to what it is computed from")
        if self.kind in ("pred", "any"):
            return Path("inv", parts=(self,))
        if self.kind == "inv":
            return self.parts[0]
        if self.kind == "seq":
            return Path("seq", parts=tuple(p.inverse() for p in reversed(self.parts)))
        return Path(self.kind, parts=tuple(p.inverse() for p in self.parts))

    def entries(self) -> list[Route]:
        """Routes from the start of the path to every node from which it reads a triple."""
        if self.kind in ("pred", "any"):
            return [Route(side="s", predicate=self.iri)]
        if self.kind == "computed":  # BIND reads no triple
            return []
        if self.kind == "inv":  # `inverse` keeps "inv" around one predicate
            return [Route(side="o", predicate=self.parts[0].iri)]
        if self.kind == "seq":
            routes: list[Route] = []
            prefix = Route()
            for part in self.parts:
                routes.extend(prefix.then(r) for r in part.entries())
                prefix = prefix.then(Route((part,)))
            return routes
        if self.kind == "alt":
            return [r for part in self.parts for r in part.entries()]
        # star, plus, opt: any number of steps of the inner path, then one more of it
        loop = Route((Path("star", parts=self.parts),))
        return [loop.then(r) for r in self.parts[0].entries()]


@dataclass(frozen=True)
class Route:
    """A sequence of paths from a focus node (the empty route: the focus node itself), and
    how the node it leads to is read: as the subject of triples ("s"), as their object
    ("o"), or either ("so"). A changed triple matters through a route only if its node at
    the route's end is on that side: the objects of new `untoc:provisionType` triples do not
    bring in every provision of that type through the route of `sh:class`, which reads
    the types of the values (the values as subjects).

    `change` says which changed triples matter at the route's end: added ones ("+": the
    pattern read there can only make new results from more triples), removed ones ("-": a
    pattern read only inside FILTER NOT EXISTS), or both ("+-"); `predicate`, the predicate
    of the triples read there ("": any)."""

    steps: tuple[Path, ...] = ()
    side: str = "so"
    change: str = "+-"
    predicate: str = ""

    def then(self, other: Route) -> Route:
        return Route(self.steps + other.steps, other.side, other.change, other.predicate)

    def key(self) -> str:
        """A readable text that tells routes apart (for sorting them)."""
        steps = (
            f"BIND({s.expression} FROM ?{s.variable})" if s.kind == "computed" else s.sparql()
            for s in self.steps
        )
        return "/".join(steps) + f" {self.side}{self.change} <{self.predicate}>"


def read_path(shapes: Graph, node) -> Path:
    """A SHACL path node (an IRI, or a blank node with sh:inversePath, a list, ...)."""
    if isinstance(node, URIRef):
        return Path("pred", iri=str(node))
    if not isinstance(node, BNode):
        raise Unsupported(f"a path that is not an IRI or blank node: {node!r}")
    if (node, SH.inversePath, None) in shapes:
        return read_path(shapes, shapes.value(node, SH.inversePath)).inverse()
    if (node, SH.alternativePath, None) in shapes:
        options = list(Collection(shapes, shapes.value(node, SH.alternativePath)))  # type: ignore[arg-type]
        return Path("alt", parts=tuple(read_path(shapes, item) for item in options))
    for predicate, kind in (
        (SH.zeroOrMorePath, "star"),
        (SH.oneOrMorePath, "plus"),
        (SH.zeroOrOnePath, "opt"),
    ):
        inner = shapes.value(node, predicate)
        if inner is not None:
            return Path(kind, parts=(read_path(shapes, inner),))
    first = shapes.value(node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first"))
    if first is not None:
        steps = list(Collection(shapes, node))
        if len(steps) == 1:
            return read_path(shapes, steps[0])
        return Path("seq", parts=tuple(read_path(shapes, step) for step in steps))
    raise Unsupported(f"an unknown kind of path: {node}")
