"""The benchmark's private Virtuoso: the tests' launcher (tests/peers.py, class Virtuoso)
with a buffer pool and limits sized for hundreds of thousands of triples."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from peers import Virtuoso, free_port  # noqa: E402

__all__ = ["Virtuoso", "bench_virtuoso", "free_port"]


def bench_virtuoso() -> Virtuoso:
    return Virtuoso(
        buffers=85_000,
        dirty_buffers=65_000,
        connections=16,
        max_rows=1_000_000,
        max_seconds=300,
        prefix="kg-bench-virtuoso-",
    )
