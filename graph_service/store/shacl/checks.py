"""A compiled constraint: the SPARQL SELECT that finds its violations, and what a person
and the report need to know about it."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef

from graph_service.store.shacl.paths import Path, Route

FOCUS = "%%FOCUS%%"
TARGETS = "%%TARGETS%%"


# `%%SUBCLASSES <C>%%`: the class and its subclasses in the data (rdfs:subClassOf*), as a
# comma-separated list of IRIs, filled in when the check runs (`engine.Classes`): a lookup
# of `?x rdf:type ?t` with `?t` in that list is much cheaper than the path
# `?x rdf:type/rdfs:subClassOf* <C>` evaluated for every value.
def subclasses(iri_term: str) -> str:
    """The class and its subclasses, separated by commas (for IN)."""
    return f"%%SUBCLASSES {iri_term}%%"


def subclass_values(iri_term: str) -> str:
    """The class and its subclasses, separated by spaces (for VALUES)."""
    return f"%%SUBCLASS_VALUES {iri_term}%%"


@dataclass(frozen=True)
class Check:
    """One compiled constraint of one shape."""

    owner: URIRef | BNode  # the shape with the targets (itself, or the one with sh:property)
    shape: URIRef | BNode  # sh:sourceShape
    component: URIRef  # sh:sourceConstraintComponent
    query: str  # SELECT ?this [?value] ... with the FOCUS and TARGETS markers
    path: Path | None  # sh:resultPath, unless the row binds ?path
    path_node: URIRef | BNode | None  # the same, as the shapes graph has it
    severity: URIRef
    messages: tuple[Literal, ...]
    # Routes from a focus node to the nodes whose triples the check reads; None: any
    # change may matter to any focus node, so the check runs over every focus node.
    reach: tuple[Route, ...] | None
    node_shape: bool = False  # a SPARQL row without ?value reports the focus node
    constraint: URIRef | BNode | None = None  # sh:sourceConstraint (SHACL-SPARQL)
    substitute: bool = False  # messages take {?var} values from the row
    # Several value constraints checked by one query: (flag variable, component), the
    # constraint being violated where the boolean ?flag is true.
    parts: tuple[tuple[str, URIRef], ...] = ()

    def components(self, row: dict) -> list[URIRef]:
        """The constraints a result row violates."""
        if not self.parts:
            return [self.component]
        return [
            component
            for flag, component in self.parts
            if row.get(flag) is not None and row[flag].value == "true"
        ]

    def render(self, targets: str) -> str:
        """The query over every focus node of the targets."""
        return self.query.replace(TARGETS, targets).replace(FOCUS, "")

    def render_focused(self, nodes: str) -> str:
        """The query over the focus nodes `nodes` (terms separated by spaces), without the
        targets. The VALUES block is wrapped in a subquery: Oxigraph then joins it first,
        where a bare VALUES block made it plan some queries as if the focus nodes were
        unknown (0.25 s instead of 12 ms at 1M triples)."""
        focus = f"{{ SELECT ?this WHERE {{ VALUES ?this {{ {nodes} }} }} }}"
        return self.query.replace(TARGETS, "").replace(FOCUS, focus)
