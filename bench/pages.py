"""Time the linked-data pages with the Flask test client: entity pages, hubs, home, VoID,
sitemap, search, /health; p50 and p95 per page, plus what the whole-store aggregates
(store/aggregates.py) cost and what requests get while they are computed.

Usage:
  .venv/bin/python bench/pages.py --triples 100000 --runs 20   # in memory: curated + kg synth
  .venv/bin/python bench/pages.py --store var/bench/store-1m --runs 20   # an on-disk store
  ... --json bench/results/pages-1m.json                        # also write the numbers

An on-disk store is one made by `kg load` (e.g. `kg synth --triples 1000000 -o x.nq`, then
`KG_STORE=var/bench/store-1m kg load ontology shapes data x.nq`). Its aggregates folder
(`{store}.aggregates`) is removed first, so that the cold start is measured; the run then
adds one triple to the graph `graph/bench-change` (and removes it at the end) to measure
pages while every aggregate is recomputed (`--no-change` skips that).

Importable (bench/run.py): `measure(store, runs)` returns a dict of the results,
`main(argv)` runs the command line.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.aggregates import folder_for
from graph_service.store.sources import load_files, source_files
from graph_service.web.app import create_app

BASE = Config().base_iri
CHANGE_GRAPH = BASE + "graph/bench-change"
CHANGE = f'<{BASE}id/thing/bench-change> <http://www.w3.org/2000/01/rdf-schema#label> "bench"'

# (kind, path on the curated data, path of the busiest synthetic resource of that kind)
PAGES: list[tuple[str, str, str | None]] = [
    ("health", "/health", None),
    ("home", "/", None),
    ("entity: working group", "/id/body/wg-tip", "/id/body/synth-1-wg-1"),
    ("entity: meeting", "/id/meeting/wg-tip-13", "/id/meeting/synth-1-wg-1-1"),
    ("entity: session", "/id/session/cop-12", "/id/session/synth-1-cop-1"),
    ("entity: note", "/id/document/cop12-subsidiary-bodies-note", "/id/document/synth-1-note"),
    ("hub: place", "/id/place/vienna", "/id/place/synth-vienna"),
    ("hub: place, incoming page 20", "/id/place/vienna", "/id/place/synth-vienna?in_page=20"),
    ("hub: conference", "/id/body/cop", "/id/body/synth-1-cop"),
    ("entity: turtle", "/id/body/wg-tip.ttl", "/id/place/synth-vienna.ttl"),
    ("void (turtle)", "/void?format=ttl", None),
    ("void (html)", "/void?format=html", None),
    ("sitemap index", "/sitemap.xml", None),
    ("sitemap page 1", "/sitemap.xml?page=1", None),
    ("graphs", "/graph/", None),
    ("list, page 50", "/list?class=untoc:Meeting", "/list?class=untoc:Meeting&page=50"),
    ("search: common word", "/search?q=working", None),
    ("search: Russian", "/search?q=рабочая", None),
    ("search: Chinese", "/search?q=维也纳", None),
    ("search: rare", "/search?q=wg-tip", None),
    ("search: two letters, rare", "/search?q=qz", None),
    ("not found", "/id/body/wg-tipp", "/id/body/synth-1-wg-99999x"),
]
# Pages timed while every aggregate is being recomputed after a change.
DURING_CHANGE = [
    "health",
    "home",
    "entity: working group",
    "hub: place",
    "void (turtle)",
    "sitemap page 1",
    "search: Russian",
]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(get: Callable[[str], object], path: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = get(path)
    return (time.perf_counter() - started) * 1000, response.status_code  # type: ignore[attr-defined]


def page_paths(store_is_big: bool) -> list[tuple[str, str]]:
    return [(kind, (synth or path) if store_is_big else path) for kind, path, synth in PAGES]


def time_pages(client, paths: list[tuple[str, str]], runs: int) -> dict[str, dict]:
    """Each page `runs` times after a warm-up, interleaved (one round over all pages, then
    the next), so that the noise of a shared machine spreads over all of them."""
    get = client.get
    samples: dict[str, list[float]] = {kind: [] for kind, _ in paths}
    statuses: dict[str, set[int]] = {kind: set() for kind, _ in paths}
    sizes: dict[str, int] = {}
    for kind, path in paths:
        sizes[kind] = len(get(path + ("&" if "?" in path else "?") + "lang=ru").data)
    for _ in range(runs):
        for kind, path in paths:
            ms, status = timed(get, path + ("&" if "?" in path else "?") + "lang=ru")
            samples[kind].append(ms)
            statuses[kind].add(status)
    return {
        kind: {
            "path": path,
            "p50_ms": round(percentile(samples[kind], 0.5), 1),
            "p95_ms": round(percentile(samples[kind], 0.95), 1),
            "max_ms": round(max(samples[kind]), 1),
            "status": sorted(statuses[kind]),
            "kb": round(sizes[kind] / 1024),
        }
        for kind, path in paths
    }


def measure(store: Store, runs: int = 20, change: bool = True, big: bool = True) -> dict:
    """Cold start, the aggregates' cost, the pages warm, and the pages during a
    recomputation, on `store` (whose aggregates should not exist yet)."""
    config = replace(Config(), store_path=store.path)
    app = create_app(config, store=store)
    client = app.test_client()
    aggregates = app.extensions["kg"].aggregates
    results: dict = {
        "quads": len(store.oxigraph),
        "runs": runs,
        "aggregate_wait_s": config.aggregate_wait,
    }

    paths = page_paths(big)
    cold: dict[str, dict] = {}
    for kind in ("health", "void (turtle)", "sitemap index", "home", "search: Russian"):
        path = dict(paths)[kind]
        ms, status = timed(client.get, path)
        cold[kind] = {"ms": round(ms, 1), "status": status}
    results["first_requests_cold"] = cold

    started = time.perf_counter()
    aggregates.warm().join()
    aggregates.settle(3600)
    results["aggregates_wall_s"] = round(time.perf_counter() - started, 1)
    results["aggregates"] = {
        name: {"seconds": round(found.seconds, 2), "rows": found.rows}
        for name in aggregates.names
        if (found := aggregates.peek(name)) is not None
    }
    results["pages"] = time_pages(client, paths, runs)

    if change:
        store.update(f"INSERT DATA {{ GRAPH <{CHANGE_GRAPH}> {{ {CHANGE} }} }}")
        client.get("/health")  # the app sees the change: every aggregate is recomputed
        during = [(kind, path) for kind, path in paths if kind in DURING_CHANGE]
        rounds = 0
        samples: dict[str, list[float]] = {kind: [] for kind, _ in during}
        statuses: dict[str, set[int]] = {kind: set() for kind, _ in during}
        started = time.perf_counter()
        while rounds < runs or (rounds < 50 * runs and aggregates.running()):
            for kind, path in during:
                ms, status = timed(client.get, path)
                samples[kind].append(ms)
                statuses[kind].add(status)
            rounds += 1
        results["during_recomputation"] = {
            "rounds": rounds,
            "seconds": round(time.perf_counter() - started, 1),
            "pages": {
                kind: {
                    "p50_ms": round(percentile(samples[kind], 0.5), 1),
                    "p95_ms": round(percentile(samples[kind], 0.95), 1),
                    "max_ms": round(max(samples[kind]), 1),
                    "status": sorted(statuses[kind]),
                }
                for kind, _ in during
            },
        }
        aggregates.settle(3600)
        store.update(f"DROP SILENT GRAPH <{CHANGE_GRAPH}>")
        aggregates.warm().join()
        aggregates.settle(3600)
    return results


def synthetic_store(triples: int) -> Store:
    """The curated sources plus `kg synth --triples N`, bulk loaded into memory."""
    store = Store(None)
    with tempfile.TemporaryDirectory() as folder:
        synth = Path(folder) / "synthetic.nq"
        kg = str(Path(sys.executable).parent / "kg")
        subprocess.run([kg, "synth", "--triples", str(triples), "-o", str(synth)], check=True)
        files = source_files([*Config().source_dirs, synth])
        load_files(store.oxigraph, files, BASE)
    return store


def report(results: dict) -> str:
    lines = [f"{results['quads']} quads; {results['runs']} runs per page (lang=ru)", ""]
    lines.append("first requests with no aggregate computed yet:")
    for kind, row in results["first_requests_cold"].items():
        lines.append(f"  {kind:<28} {row['ms']:>9.1f} ms  {row['status']}")
    lines.append(f"aggregates computed in the background: {results['aggregates_wall_s']} s")
    for name, row in results["aggregates"].items():
        lines.append(f"  {name:<40} {row['seconds']:>8.2f} s  {row['rows']} rows")
    lines += ["", f"{'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>5}  status path"]
    for kind, row in results["pages"].items():
        lines.append(
            f"{kind:<30} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f} "
            f"{row['kb']:>5}  {row['status']} {row['path']}"
        )
    during = results.get("during_recomputation")
    if during:
        lines += [
            "",
            f"while every aggregate is recomputed after a change ({during['rounds']} rounds, "
            f"{during['seconds']} s):",
        ]
        for kind, row in during["pages"].items():
            lines.append(
                f"{kind:<30} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f}"
                f"        {row['status']}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--triples", type=int, default=100_000, help="synthetic size, in memory")
    source.add_argument("--store", type=Path, help="an on-disk store made by kg load")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-change", action="store_true", help="do not write to the store")
    parser.add_argument(
        "--keep-aggregates",
        action="store_true",
        help="keep the store's aggregates of an earlier run (no cold start: at 10M the "
        "aggregates take about half an hour)",
    )
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    if args.store is not None:
        if not Store.exists_at(args.store):
            parser.error(f"no store at {args.store}; make one with kg load")
        folder = folder_for(args.store)
        assert folder is not None
        if not args.keep_aggregates:
            shutil.rmtree(folder, ignore_errors=True)
        store = Store(args.store)
        command = f"bench/pages.py --store {args.store} --runs {args.runs}"
        command += " --keep-aggregates" * args.keep_aggregates + " --no-change" * args.no_change
    else:
        store = synthetic_store(args.triples)
        command = f"bench/pages.py --triples {args.triples} --runs {args.runs}"
    results = measure(store, args.runs, change=not args.no_change)
    results["command"] = command
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
