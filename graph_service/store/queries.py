"""Named queries: the service's own SPARQL lives in graph_service/queries/{group}/{name}.rq,
loaded by name (`pages/labels`) and cached.

One binding style, which any SPARQL engine understands: `$name` in the text is replaced by
a term in N-Triples syntax (an IRI is checked by pyoxigraph's NamedNode, a literal escaped
by its Literal), by a space-separated list of terms for a `VALUES ?x { $name }` block, or
by a plain integer (a LIMIT inside a subquery). `limit` and `offset` are appended as
integers; None binds `UNDEF` (in a `VALUES` row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from graph_service.store.store import Store

QUERY_DIR = Path(__file__).resolve().parents[1] / "queries"
_PLACEHOLDER = re.compile(r"\$(\w+)")

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Binding = Term | Iterable[Term] | int | None


class UnboundPlaceholder(KeyError):
    """A named query used without a value for one of its `$placeholders`."""


@cache
def text(name: str) -> str:
    """The text of `queries/{name}.rq`."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def _term_text(value: Binding) -> str:
    if value is None:
        return "UNDEF"
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return str(value)
    if isinstance(value, int):
        if isinstance(value, bool):
            raise TypeError("a boolean is no integer placeholder value")
        return str(int(value))
    return " ".join(str(term) for term in value)


def bind(sparql: str, bindings: Mapping[str, Binding]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in bindings:
            raise UnboundPlaceholder(f"no value for ${name}")
        return _term_text(bindings[name])

    return _PLACEHOLDER.sub(replace, sparql)


def prepare(name: str, *, limit: int | None = None, offset: int = 0, **bindings: Binding) -> str:
    """The named query with its placeholders bound, ready to run on any engine."""
    sparql = bind(text(name), bindings)
    if limit is not None:
        sparql += f"\nLIMIT {int(limit)} OFFSET {max(0, int(offset))}"
    return sparql


def run(store: Store, name: str, **kwargs):
    """Run a named query over the union of all graphs."""
    sparql = prepare(name, **kwargs)
    return store.reading(lambda: store.query(sparql))


def rows(store: Store, name: str, **kwargs) -> list[dict[str, Term | None]]:
    """Solutions as dicts of variable name -> term (None when unbound)."""

    def read() -> list[dict[str, Term | None]]:
        solutions = run(store, name, **kwargs)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names} for s in solutions]

    return store.reading(read)
