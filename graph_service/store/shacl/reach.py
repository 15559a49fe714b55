"""What a SPARQL constraint reads, seen from its focus node `$this`.

The triple patterns of the query (in EXISTS and NOT EXISTS too) form a graph whose nodes are
variables; a focus node's results can only change when a triple it can reach through those
patterns changes. `query_reach` gives, for every pattern, the route from `$this` to the node
the pattern is entered from (`Route`, a SPARQL property path); incremental validation then
asks the store which nodes reach a changed node along one of these routes.

`BIND(expression AS ?node)` with one variable in the expression is a step of its own
("computed"): the nodes it leads to are found by evaluating the expression in the store.
A route also says which changes matter where it ends (`Route.change`): a pattern read only
inside a top-level FILTER NOT EXISTS can only make new results when triples are removed, one
read only outside negation when triples are added.

Filters read no triples and are left out, so the routes over-approximate. Anything this
cannot bound (a subquery, GRAPH, SERVICE, a pattern not connected to `$this`, a variable
predicate that also names nodes) gives None: any change may matter to any focus node.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path as FilePath

from rdflib import BNode, Literal, URIRef, Variable
from rdflib import paths as rdf_paths
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

from graph_service.store.shacl import reach_cache
from graph_service.store.shacl.lexical import closing, strip_literals
from graph_service.store.shacl.paths import Path, Route

HERE = FilePath(__file__).parent
CODE = b"".join((HERE / name).read_bytes() for name in ("reach.py", "paths.py", "reach_cache.py"))
THIS = Variable("this")
MAX_ROUTES = 200
OPAQUE = {"Graph", "ServiceGraphPattern", "SelectQuery", "ConstructQuery", "DescribeQuery"}
# Operators under which more triples can only give more solutions (their expressions aside)
MONOTONE = {"SelectQuery", "Project", "BGP", "Join", "Union", "Extend", "ToMultiSet"}
MONOTONE |= {"Distinct", "Reduced", "OrderBy", "values"}
STRUCTURAL = MONOTONE | {"Filter", "LeftJoin", "Minus"}  # the others: see `walk`
BOTH = "+-"
FLIP = {"+": "-", "-": "+", BOTH: BOTH}
BIND = re.compile(r"\bBIND\s*\(", re.IGNORECASE)
AS = re.compile(r"\s+AS\s+[?$](\w+)\s*$", re.IGNORECASE | re.DOTALL)
PROLOG = re.compile(r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)<[^>]*>\s*)*", re.IGNORECASE)


class Unbounded(Exception):
    pass


class Patterns:
    def __init__(self):
        self.triples: list[tuple] = []  # (subject, predicate, object, change that matters)
        self.binds: dict[
            Variable | BNode, set
        ] = {}  # variable -> constants BIND gives it (None: other)
        self.computed: dict[Variable, Variable] = {}  # BIND's variable -> the one it reads

    def walk(self, node, root: bool = False, change: str = "+") -> None:
        if isinstance(node, CompValue):
            name = node.name
            if not root and (name in OPAQUE or name == "Project"):
                raise Unbounded(name)
            if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):  # inside an expression
                self.walk_group(node, BOTH)
                return
            if name == "BGP":
                self.triples.extend((*t, change) for t in node["triples"])
            if name == "Extend":
                self.extend(node)
            inner = change if name in STRUCTURAL else BOTH
            for key, value in node.items():
                if key == "_vars":
                    continue
                nested = root and name == "SelectQuery" and key == "p"
                if name == "Filter" and key == "expr":
                    self.walk_filter(value, change)
                elif key == "expr" or name not in STRUCTURAL:
                    self.walk(value, nested, BOTH)
                elif name in ("LeftJoin", "Minus") and key == "p2":
                    self.walk(value, nested, BOTH)  # fewer triples there: more solutions
                else:
                    self.walk(value, nested, inner)
        elif isinstance(node, list | tuple):
            for item in node:
                self.walk(item, change=change)

    def walk_filter(self, expression, change: str) -> None:
        """The conjuncts of a FILTER: (NOT) EXISTS keeps (turns around) the change that
        matters; inside any other expression, both do."""
        for part in conjuncts(expression):
            if isinstance(part, CompValue) and part.name == "Builtin_NOTEXISTS":
                self.walk_group(part, FLIP[change])
            elif isinstance(part, CompValue) and part.name == "Builtin_EXISTS":
                self.walk_group(part, change)
            else:
                self.walk(part, change=BOTH)

    def walk_group(self, exists: CompValue, change: str) -> None:
        # rdflib keeps the translated pattern as an attribute, and the item `graph` is then
        # the parsed group without its FILTERs (a nested NOT EXISTS would be lost)
        graph = exists.__dict__.get("graph", exists["graph"])
        if graph.name == "GroupGraphPatternSub":
            graph = translateGroupGraphPattern(graph)
        self.walk(graph, change=change)

    def extend(self, node: CompValue) -> None:
        expression, variable = node["expr"], node["var"]
        constant = expression if isinstance(expression, URIRef | Literal) else None
        self.binds.setdefault(variable, set()).add(constant)
        if isinstance(expression, Variable):
            self.computed[variable] = expression
        elif isinstance(expression, CompValue):
            read = expression.get("_vars") or set()
            if len(read) == 1:
                self.computed[variable] = next(iter(read))


def conjuncts(expression) -> list:
    if isinstance(expression, CompValue) and expression.name == "ConditionalAndExpression":
        return [p for e in [expression["expr"], *expression["other"]] for p in conjuncts(e)]
    return [expression]


def bind_expressions(text: str) -> dict[str, str]:
    """The expression of every `BIND(expression AS ?variable)` of a query, by variable."""
    found: dict[str, str] = {}
    plain = strip_literals(text)
    for match in BIND.finditer(plain):
        end = closing(text, match.end() - 1)
        inside = text[match.end() : end] if end > 0 else ""
        named = AS.search(inside)
        if named:
            found[named.group(1)] = inside[: named.start()].strip()
    return found


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


def computed_edges(text: str, patterns: Patterns, nodes: set) -> list[tuple]:
    """An edge from the variable a BIND reads to the one it binds, where both name nodes."""
    expressions = bind_expressions(text)
    prolog = PROLOG.match(text)
    edges = []
    for out, read in patterns.computed.items():
        if out in nodes and read in nodes and str(out) in expressions:
            step = Path(
                "computed",
                expression=expressions[str(out)],
                variable=str(read),
                prolog=prolog.group(0).strip() if prolog else "",
            )
            edges.append((read, step, out, BOTH))
    return edges


def query_reach(text: str) -> tuple[Route, ...] | None:
    """The routes from `$this` to every node a pattern of the query is entered from; None
    when the query's reads cannot be bounded that way. Kept on disk: parsing the queries
    with rdflib is most of the time it takes to compile the shapes (a second in every new
    process that validates)."""
    key = cache_key(text)
    cached = reach_cache.read(key)
    if cached is not None:
        return cached.routes
    routes = compute_reach(text)
    reach_cache.write(key, routes)
    return routes


def cache_key(text: str) -> str:
    """The query's routes as this version of the code computes them."""
    return hashlib.sha256(CODE + text.encode()).hexdigest()


def compute_reach(text: str) -> tuple[Route, ...] | None:
    try:
        algebra = prepareQuery(text).algebra
        patterns = Patterns()
        patterns.walk(algebra, root=True)
        nodes = {t for s, _, o, _ in patterns.triples for t in (s, o) if is_node_variable(t)}
        edges = [(s, to_path(p, patterns, nodes), o, c) for s, p, o, c in patterns.triples]
        edges += computed_edges(text, patterns, nodes)
    except Unbounded:
        return None
    except Exception:  # rdflib cannot read what Oxigraph can: do not guess
        return None
    routes: dict[tuple, set[str]] = {}  # (steps, side, predicate) -> the changes that matter
    used: set[int] = set()

    # Routes are simple paths over the variables: a variable met again is the node it was
    # the first time, so going on from it would only repeat routes.
    def visit(node, route: Route, path_edges: frozenset[int], seen: frozenset) -> None:
        for i, (s, path, o, change) in enumerate(edges):
            if i in path_edges:
                continue
            if s == node:
                step, after = path, o
            elif o == node:
                if path.kind == "computed":
                    if s in seen:
                        continue
                    raise Unbounded("a BIND walked back")
                step, after = path.inverse(), s
            else:
                continue
            if step.kind == "computed" and (not route.steps or route.steps[-1].kind == "computed"):
                raise Unbounded("a BIND of the focus node or of a BIND")  # see Run.reach
            used.add(i)
            for entry in step.entries():
                end = route.then(entry)
                routes.setdefault((end.steps, end.side, end.predicate), set()).update(change)
            if len(routes) > MAX_ROUTES:
                raise Unbounded("too many routes")
            if is_node_variable(after) and after not in seen:
                visit(after, route.then(Route((step,))), path_edges | {i}, seen | {after})

    try:
        visit(THIS, Route(), frozenset(), frozenset({THIS}))
    except Unbounded:
        return None
    if len(used) < len(edges):
        return None  # a pattern not connected to $this reads data of every focus node
    found = (Route(s, side, "".join(sorted(c)), p) for (s, side, p), c in routes.items())
    return tuple(sorted(found, key=lambda r: r.key()))
