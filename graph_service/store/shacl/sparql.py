"""SHACL-SPARQL constraints (sh:sparql with sh:select) run once for all focus nodes: the
shape's targets are joined into the query's WHERE clause instead of pre-binding `$this`
once per focus node, which is what pySHACL does (and why it re-parses the query each time).
"""

from __future__ import annotations

import re

from rdflib import Graph
from rdflib.namespace import SH

from graph_service.store.shacl.checks import FOCUS, TARGETS, Check
from graph_service.store.shacl.lexical import closing, skip_token, strip_literals
from graph_service.store.shacl.paths import Unsupported
from graph_service.store.shacl.reach import query_reach

THIS = re.compile(r"[?$]this\b")
SELECT = re.compile(r"\bSELECT\s+((?:DISTINCT|REDUCED)\s+)?", re.IGNORECASE)


def prefix_block(shapes: Graph, constraint) -> str:
    lines = []
    for prefixes in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(prefixes, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines))  # the same text in every process (routes are cached by it)


def sparql_check(shapes: Graph, constraint, base: dict) -> Check:
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise Unsupported("an sh:sparql constraint without sh:select")
    text = str(select)
    for variable in ("$shapesGraph", "$currentShape"):
        if variable in text:
            raise Unsupported(f"{variable} in an sh:sparql constraint")
    path = base["path"]
    if "$PATH" in text:
        if path is None:
            raise Unsupported("$PATH in the SPARQL constraint of a node shape")
        text = text.replace("$PATH", path.sparql())
    text = prefix_block(shapes, constraint) + "\n" + text
    start = group_start(text)
    select_at = SELECT.search(text, 0, start)
    if select_at is None:
        raise Unsupported("an sh:select that is not a SELECT query")
    projection = text[select_at.end() : start]
    if not projection.strip().startswith("*") and not THIS.search(projection):
        text = text[: select_at.end()] + "$this " + text[select_at.end() :]
        start += len("$this ")
    body = anti_joins(text[start:])
    query = text[:start] + "{" + f" {FOCUS} {TARGETS} " + body[1:]
    messages = tuple(shapes.objects(constraint, SH.message)) + base["messages"]
    return Check(
        component=SH.SPARQLConstraintComponent,
        query=query,
        reach=query_reach(text),
        constraint=constraint,
        substitute=True,
        **{**base, "messages": messages},
    )


NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)
NOT_PLAIN = re.compile(
    r"\b(FILTER|OPTIONAL|BIND|VALUES|MINUS|GRAPH|SERVICE|UNION|SELECT|EXISTS)\b|[{}]", re.IGNORECASE
)


def anti_joins(group: str) -> str:
    """`FILTER NOT EXISTS { P }` as `MINUS { P }` where the two mean the same: P is triple
    patterns only, it mentions $this, and the filter is in the outermost group, where
    every solution binds $this (the targets are joined there). Oxigraph evaluates MINUS
    as one anti-join, but plans NOT EXISTS without the bound variables of the row, which
    made ShortcutHasProvisionShape quadratic (20 s at 1M triples instead of 0.1 s)."""
    out, i, depth = [], 0, 0
    while i < len(group):
        skip = skip_token(group, i)
        if skip > i:
            out.append(group[i:skip])
            i = skip
            continue
        c = group[i]
        match = NOT_EXISTS.match(group, i) if depth == 1 else None
        if match:
            end = group_end(group, match.end() - 1)
            inner = group[match.end() : end]
            plain = not NOT_PLAIN.search(strip_literals(inner))
            if plain and THIS.search(inner):  # restricted to the focus nodes too
                out.append("MINUS { " + FOCUS + " " + inner + "}")
                i = end + 1
                continue
        depth += 1 if c == "{" else -1 if c == "}" else 0
        out.append(c)
        i += 1
    return "".join(out)


def group_end(text: str, start: int) -> int:
    """The position of the `}` closing the `{` at `start`."""
    end = closing(text, start)
    if end < 0:
        raise Unsupported("unbalanced braces in an sh:select")
    return end


def group_start(text: str) -> int:
    """The position of the first `{` outside comments, strings and IRIs: the WHERE clause
    of a SELECT query."""
    i, n = 0, len(text)
    while i < n:
        skip = skip_token(text, i)
        if skip > i:
            i = skip
            continue
        if text[i] == "{":
            return i
        i += 1
    raise Unsupported("an sh:select without a WHERE clause")
