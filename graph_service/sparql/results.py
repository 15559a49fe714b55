"""A query's answer, collected under the row limit: a boolean, solutions or triples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.sparql.errors import ResultTooLarge


@dataclass
class QueryResult:
    form: str  # "boolean", "solutions" or "graph"
    boolean: bool | None = None
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)


def drain(
    results, max_rows: int, cancelled: Callable[[], bool] = lambda: False
) -> QueryResult | None:
    """Collect pyoxigraph query results into a QueryResult; None once `cancelled()`."""
    if isinstance(results, ox.QueryBoolean):
        return QueryResult("boolean", boolean=bool(results))
    items: list
    if isinstance(results, ox.QuerySolutions):
        result = QueryResult("solutions", variables=[v.value for v in results.variables])
        items, noun = result.rows, "rows"
    else:
        result = QueryResult("graph")
        items, noun = result.triples, "triples"
    for item in results:
        if cancelled():
            return None
        items.append(tuple(item) if noun == "rows" else item)  # type: ignore[arg-type]
        if len(items) > max_rows:
            raise ResultTooLarge(
                f"the result has more than {max_rows} {noun}, the limit of this "
                "endpoint; page through it with LIMIT and OFFSET"
            )
    return result
