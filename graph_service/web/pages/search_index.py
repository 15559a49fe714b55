"""Search over labels, symbols and identifiers in every language, through an index.

The index is a whole-store aggregate (store/aggregates.py): one row per resource, in IRI
order, with all its label-like values (`queries/pages/label_index.rq`), under an FTS5
trigram index that finds any substring of three characters or more, case-insensitive, in
any script (Cyrillic, Arabic, Chinese...); one or two characters are looked for through the
index's trigrams that contain them (store/aggregates.py). It is rebuilt off the request
path after every change; until it first exists, search on a small store scans its labels
with `pages/search.rq`, and on a large one answers 503 with Retry-After (`scan_is_small`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from graph_service.store import Store, queries
from graph_service.store.aggregates import Aggregates, NotReady, Result
from graph_service.web.pages import descriptions as d

AGGREGATE = "labels"
SEPARATOR = "\n"  # between the values of one resource: a query never holds one
SCAN_LABELS = 50_000  # past this many labels, search waits for its index (scan_is_small)


def index_rows(store: Store) -> Iterator[tuple[str, str]]:
    """(IRI, its label-like values joined), one per resource, in IRI order."""
    current: str | None = None
    values: list[str] = []
    for row in queries.run(store, "pages/label_index"):
        iri = row["r"].value
        if iri != current:
            if current is not None:
                yield current, SEPARATOR.join(values)
            current, values = iri, []
        values.append(row["label"].value)
    if current is not None:
        yield current, SEPARATOR.join(values)


def define(aggregates: Aggregates) -> None:
    aggregates.define(AGGREGATE, lambda store: Result(None, index_rows(store)), searchable=True)


def search(aggregates: Aggregates, store: Store, text: str, limit: int, offset: int) -> list[str]:
    """IRIs of resources with a label, symbol or identifier containing `text`, in IRI
    order."""
    text = " ".join(text.split())  # no separator, no tab: what a label could hold
    try:
        found = aggregates.get(AGGREGATE)
    except NotReady:
        if not scan_is_small(store):
            raise  # 503 with Retry-After: a scan of every label would take a minute at 10M
        rows = d.rows(store, "search", q=ox.Literal(text), limit=limit, offset=offset)
        return [r["r"].value for r in rows]
    return aggregates.search(found, text, limit, offset)


def scan_is_small(store: Store) -> bool:
    """Whether the store has at most SCAN_LABELS label-like values, so that search can scan
    them while the index is built (about 2 s at 100k triples; 54 s at 10M). Counted once
    per state of the store, and only so far as it decides."""

    def small() -> bool:
        return len(d.rows(store, "label_sample", limit=SCAN_LABELS + 1)) <= SCAN_LABELS

    return bool(store.cache.get("search-scan-is-small", small))


def starting_with(aggregates: Aggregates, prefix: str, limit: int) -> list[str] | None:
    """Labelled resources whose IRI starts with `prefix`; None while there is no index."""
    try:
        found = aggregates.get(AGGREGATE)
    except NotReady:
        return None
    return aggregates.rows_starting(found, prefix, limit)
