"""What a SPARQL constraint reads, seen from its focus node `$this`.

The triple patterns of the query (in EXISTS and NOT EXISTS too) form a graph whose nodes are
variables; a focus node's results can only change when a triple it can reach through those
patterns changes. `query_reach` gives, for every pattern, the route from `$this` to the node
the pattern is entered from (`Route`, a SPARQL property path); incremental validation then
asks the store which nodes reach a changed node along one of these routes.

Filters read no triples and are left out, so the routes over-approximate. Anything this
cannot bound (a subquery, GRAPH, SERVICE, a pattern not connected to `$this`, a variable
predicate that also names nodes) gives None: any change may matter to any focus node.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef, Variable
from rdflib import paths as rdf_paths
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

from graph_service.store.shacl.paths import Path, Route

THIS = Variable("this")
MAX_ROUTES = 200
OPAQUE = {"Graph", "ServiceGraphPattern", "SelectQuery", "ConstructQuery", "DescribeQuery"}


class Unbounded(Exception):
    pass


class Patterns:
    def __init__(self):
        self.triples: list[tuple] = []
        self.binds: dict[
            Variable | BNode, set
        ] = {}  # variable -> constants BIND gives it (None: other)

    def walk(self, node, root: bool = False) -> None:
        if isinstance(node, CompValue):
            name = node.name
            if not root and (name in OPAQUE or name == "Project"):
                raise Unbounded(name)
            if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                graph = node["graph"]
                if graph.name == "GroupGraphPatternSub":
                    graph = translateGroupGraphPattern(graph)
                self.walk(graph)
                return
            if name == "BGP":
                self.triples.extend(tuple(t) for t in node["triples"])
            if name == "Extend":
                expression = node["expr"]
                constant = expression if isinstance(expression, URIRef | Literal) else None
                self.binds.setdefault(node["var"], set()).add(constant)
            for key, value in node.items():
                if key != "_vars":
                    self.walk(value, root=root and name == "SelectQuery" and key == "p")
        elif isinstance(node, list | tuple):
            for item in node:
                self.walk(item)


def to_path(predicate, patterns: Patterns, nodes: set) -> Path:
    if isinstance(predicate, URIRef):
        return Path("pred", iri=str(predicate))
    if isinstance(predicate, Variable | BNode):
        if predicate in nodes:
            raise Unbounded(f"{predicate} names a node and a predicate")
        constants = patterns.binds.get(predicate)
        if constants and None not in constants and all(isinstance(c, URIRef) for c in constants):
            options = tuple(Path("pred", iri=str(c)) for c in sorted(constants))
            return options[0] if len(options) == 1 else Path("alt", parts=options)
        return Path("any")
    if isinstance(predicate, rdf_paths.InvPath):
        return to_path(predicate.arg, patterns, nodes).inverse()
    if isinstance(predicate, rdf_paths.SequencePath | rdf_paths.AlternativePath):
        kind = "seq" if isinstance(predicate, rdf_paths.SequencePath) else "alt"
        return Path(kind, parts=tuple(to_path(a, patterns, nodes) for a in predicate.args))
    if isinstance(predicate, rdf_paths.MulPath):
        kind = {"*": "star", "+": "plus", "?": "opt"}[predicate.mod]
        return Path(kind, parts=(to_path(predicate.path, patterns, nodes),))
    return Path("any")  # a negated property set


def is_node_variable(term) -> bool:
    return isinstance(term, Variable | BNode)


def query_reach(text: str) -> tuple[Route, ...] | None:
    """The routes from `$this` to every node a pattern of the query is entered from; None
    when the query's reads cannot be bounded that way."""
    try:
        algebra = prepareQuery(text).algebra
        patterns = Patterns()
        patterns.walk(algebra, root=True)
        nodes = {t for s, _, o in patterns.triples for t in (s, o) if is_node_variable(t)}
        edges = [(s, to_path(p, patterns, nodes), o) for s, p, o in patterns.triples]
    except Unbounded:
        return None
    except Exception:  # rdflib cannot read what Oxigraph can: do not guess
        return None
    routes: set[Route] = set()
    used: set[int] = set()

    def visit(node, route: Route, path_edges: frozenset[int]) -> None:
        for i, (s, path, o) in enumerate(edges):
            if i in path_edges:
                continue
            if s == node:
                step, after = path, o
            elif o == node:
                step, after = path.inverse(), s
            else:
                continue
            used.add(i)
            routes.update(route.then(entry) for entry in step.entries())
            if len(routes) > MAX_ROUTES:
                raise Unbounded("too many routes")
            if is_node_variable(after) and after != node:
                visit(after, route.then(Route((step,))), path_edges | {i})

    try:
        visit(THIS, Route(), frozenset())
    except Unbounded:
        return None
    if len(used) < len(edges):
        return None  # a pattern not connected to $this reads data of every focus node
    return tuple(sorted(routes, key=lambda r: r.sparql()))
