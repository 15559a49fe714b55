"""Facts of one type, as tuples, queried from one named graph (queries/*.rq)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph_service.ingest.diff import canonical
from graph_service.store import Store

QUERIES = Path(__file__).parent / "queries"
FACT_TYPES = ["meetings", "reports", "instruments", "provisions", "citations"]


def facts(store: Store, graph: str, fact_type: str) -> set[tuple[str, ...]]:
    query = (QUERIES / f"{fact_type}.rq").read_text()
    rows = store.query(query, default_graphs=[graph])
    return {tuple(str(row[v]) for v in rows.variables) for row in rows}


def store_of(triples, graph: str) -> Store:
    store = Store(None)
    store.replace_graphs({graph: [canonical(t) for t in triples]})
    return store


def recall_precision(expected: set, found: set) -> tuple[float, float]:
    hits = len(expected & found)
    return hits / len(expected), hits / len(found) if found else 0.0


__all__ = ["FACT_TYPES", "facts", "ox", "recall_precision", "store_of"]
