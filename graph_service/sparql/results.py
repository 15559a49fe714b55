"""A query's answer collected under the row limit: a boolean, solutions or triples, and
whether more rows were left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

FORMS = ("boolean", "solutions", "graph")


@dataclass
class Collected:
    form: str  # one of FORMS
    boolean: bool | None = None
    variables: list[str] = field(default_factory=list)
    items: list = field(default_factory=list)  # rows (tuples of terms) or triples
    truncated: bool = False  # the query had more than `max_rows` rows or triples


def form_of(results) -> str:
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    return "solutions" if isinstance(results, ox.QuerySolutions) else "graph"


def collect(
    results, max_rows: int, cancelled: Callable[[], bool] = lambda: False
) -> Collected | None:
    """At most `max_rows` rows or triples of pyoxigraph query results, noting whether there
    were more; None once `cancelled()`."""
    form = form_of(results)
    if form == "boolean":
        return Collected("boolean", boolean=bool(results))
    collected = Collected(form)
    if form == "solutions":
        collected.variables = [v.value for v in results.variables]
    items = collected.items
    for item in results:
        if cancelled():
            return None
        if len(items) == max_rows:
            collected.truncated = True
            break
        items.append(tuple(item) if form == "solutions" else item)
    return collected
