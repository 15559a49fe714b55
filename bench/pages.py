"""Time every kind of linked-data page with the Flask test client, on the curated data and
on the curated data plus a synthetic graph (`kg synth`), both in memory.

Usage: .venv/bin/python bench/pages.py [--triples 100000] [--runs 5]
Prints one row per page: the median time in milliseconds on each store, and the page size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.store.sources import read_sources
from graph_service.web.app import create_app

# Curated pages; for the synthetic store the busiest synthetic resource of the same kind is
# timed as well (the place every meeting is held at, the conference with every body...).
PAGES = [
    ("home", "/", "/"),
    ("cop", "/id/body/cop", "/id/body/synth-1-cop"),
    ("working group", "/id/body/wg-tip", "/id/body/synth-1-wg-1"),
    ("treaty", "/id/treaty/untoc", "/id/treaty/synth-1"),
    ("session", "/id/session/cop-12", "/id/session/synth-1-cop-1"),
    ("decision", "/id/decision/cop-4-4", None),
    ("resolution", "/id/resolution/cop-7-1", None),
    ("provision", "/id/resolution/cop-7-1/provision/makes-permanent-wg-tip", None),
    ("meeting", "/id/meeting/wg-tip-13", "/id/meeting/synth-1-wg-1-1"),
    ("report", "/id/document/ctoc-cop-wg.4-2023-5", None),
    ("note", "/id/document/cop12-subsidiary-bodies-note", "/id/document/synth-1-note"),
    ("place", "/id/place/vienna", "/id/place/synth-vienna"),
    ("concept", "/id/provision-type/establishes", None),
    ("ontology", "/ontology", None),
    ("graph", "/graph/cop12-subsidiary-bodies-note", "/graph/synthetic"),
    ("graph, page 20", None, "/graph/synthetic?page=20"),
    ("graphs", "/graph/", None),
    ("list", "/list?class=untoc:Meeting", None),
    ("list, page 50", None, "/list?class=untoc:Meeting&page=50"),
    ("search", "/search?q=vienna", "/search?q=working"),
    ("not found", "/id/body/wg-tipp", "/id/body/synth-1-wg-99999x"),
    ("turtle", "/id/body/wg-tip.ttl", "/id/place/synth-vienna.ttl"),
]


def make_client(files: list[Path]):
    config = Config(store_path=None)
    store = Store(None)
    swap_in(store, read_sources([*config.source_dirs, *files], config.base_iri))
    return create_app(config, store=store).test_client(), store


def time_page(client, path: str, runs: int) -> tuple[float, int, int]:
    client.get(path)  # warm-up: query parsing, template compilation
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path + ("&" if "?" in path else "?") + "lang=ru")
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, response.status_code, len(response.data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        synth = Path(folder) / "synthetic.nq"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "kg"),
                "synth",
                "--triples",
                str(args.triples),
                "-o",
                str(synth),
            ],
            check=True,
        )
        curated, small = make_client([])
        big, large = make_client([synth])
    print(
        f"curated: {len(small.oxigraph)} quads; with synthetic graph: {len(large.oxigraph)} quads"
    )
    print(f"{'page':<16} {'curated ms':>10} {'synthetic ms':>12} {'KB':>6}  synthetic path")
    for name, path, synth_path in PAGES:
        row = f"{name:<16} "
        row += f"{time_page(curated, path, args.runs)[0]:>10.1f} " if path else f"{'':>10} "
        if synth_path or path:
            ms, status, size = time_page(big, synth_path or path, args.runs)
            row += f"{ms:>12.1f} {size / 1024:>6.0f}  {synth_path or path} ({status})"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
