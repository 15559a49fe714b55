"""Search of the label index (store/aggregates.py) at the size of a big store, apart from
the rest of the pages: the label texts of a store's computed index are copied into a fresh
index, then needles of one to five characters are timed (p50 and max of 5), with the old
way to look for one or two characters (a scan) beside them.

    .venv/bin/python bench/search_index.py --aggregates var/bench/store-10m.aggregates

The store's aggregates must exist (`bench/pages.py --store ...` computes them). Nothing here
asserts a timing.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from graph_service.store import Store
from graph_service.store.aggregates import Aggregates, Result

NEEDLES = ["qz", "xq", "eu", "z", "ж", "1", "wg", "ви", "synth"]


def label_texts(folder: Path) -> list[tuple[str, str]]:
    source = sqlite3.connect(f"file:{folder / 'aggregates.sqlite'}?mode=ro", uri=True)
    (ident,) = source.execute(
        "SELECT id FROM aggregate WHERE name = 'labels' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    table = f"aggregate_text_{int(ident)}"
    return [
        (f"r{rowid:08d}", text.strip())
        for rowid, text in source.execute(f"SELECT rowid, text FROM {table} ORDER BY rowid")
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aggregates", type=Path, required=True, help="a store's folder")
    args = parser.parse_args(argv)
    rows = label_texts(args.aggregates)
    aggregates = Aggregates(Store(None), wait=3600)
    start = time.perf_counter()
    aggregates.define("labels", lambda store: Result(None, rows), searchable=True)
    found = aggregates.get("labels")
    print(f"{len(rows)} rows; index built in {time.perf_counter() - start:.1f} s")
    for needle in NEEDLES:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            hits = aggregates.search(found, needle, 21)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{needle!r}: {len(hits)} hits, p50 {times[2]:.1f} ms, max {times[-1]:.1f} ms")
    with aggregates._connection() as connection:
        table = f"aggregate_text_{found.id}"
        for needle in ("qz", "1"):
            start = time.perf_counter()
            connection.execute(
                f"SELECT r.key FROM {table} t JOIN aggregate_row r ON r.aggregate = ? "
                "AND r.seq = t.rowid WHERE instr(t.text, ?) > 0 ORDER BY t.rowid LIMIT 21",
                (found.id, needle),
            ).fetchall()
            ms = (time.perf_counter() - start) * 1000
            print(f"the scan of before for {needle!r}: {ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
