"""Benchmark: the same queries on the two remote engines the app runs on, the Oxigraph
server and Virtuoso, over the SPARQL Protocol, at the same data (curated + `kg synth`).

    .venv/bin/python bench/remote_engines.py --triples 1000000

The queries are bench/queries/*.rq and the competency questions (tests/competency/*.rq).
Each runs once to warm up, then --runs times on each engine, interleaved; the report gives
the medians, the ratio Oxigraph / Virtuoso, and the queries Virtuoso answers at least ten
times faster. Loopback only; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from virtuoso_peer import bench_virtuoso

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from peers import OxigraphServer  # noqa: E402

from graph_service.config import PROJECT_ROOT, Config  # noqa: E402
from graph_service.store import Store  # noqa: E402
from graph_service.store.loading import swap_in  # noqa: E402
from graph_service.store.sources import read_sources  # noqa: E402
from graph_service.synth import synthetic_graph_iri  # noqa: E402

BENCH = Path(__file__).resolve().parent
QUERY_FILES = sorted((BENCH / "queries").glob("*.rq")) + sorted(
    (PROJECT_ROOT / "tests" / "competency").glob("*.rq")
)
JSON_RESULTS = "application/sparql-results+json"


def post(url: str, query: str, timeout: float) -> tuple[float, int | str]:
    """Seconds and the number of result bytes (or the error) of one query."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": JSON_RESULTS})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except (urllib.error.URLError, OSError) as error:
        return time.perf_counter() - start, f"error: {error}"
    return time.perf_counter() - start, rows(body)


def rows(body: bytes) -> int:
    answer = json.loads(body)
    return len(answer["results"]["bindings"]) if "results" in answer else 1


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--output", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="kg-bench-remote-"))
    synthetic = work / "synthetic.nq"
    curated = work / "curated.nq"
    subprocess.run(
        [sys.executable, "-m", "graph_service", "synth", "--triples", str(args.triples)]
        + ["-o", str(synthetic)],
        check=True,
        cwd=PROJECT_ROOT,
    )
    base = Config().base_iri
    store = Store(None)
    swap_in(store, read_sources(Config().source_dirs, base))
    curated.write_bytes(store.export())
    log(f"data: {args.triples} synthetic + {store.stats()['triples']} curated triples")

    oxigraph = OxigraphServer([curated, synthetic], union_default_graph=True).start()
    virtuoso = bench_virtuoso().start()
    try:
        virtuoso.bulk_load(synthetic, synthetic_graph_iri(base))
        virtuoso.bulk_load(curated, f"{base}graph/curated")
        engines = {"oxigraph": oxigraph.url, "virtuoso": virtuoso.url}
        results: dict = {
            "command": "bench/remote_engines.py " + " ".join(argv or sys.argv[1:]),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            "queries": {},
        }
        for path in QUERY_FILES:
            query = path.read_text(encoding="utf-8")
            row: dict = {name: {"times": []} for name in engines}
            for name, url in engines.items():
                _, row[name]["rows"] = post(url, query, args.timeout)  # warm-up
            for _ in range(args.runs):
                for name, url in engines.items():
                    seconds, _ = post(url, query, args.timeout)
                    row[name]["times"].append(seconds)
            for name in engines:
                row[name]["median"] = statistics.median(row[name]["times"])
            row["ratio"] = row["oxigraph"]["median"] / max(row["virtuoso"]["median"], 1e-6)
            results["queries"][f"{path.parent.name}/{path.stem}"] = row
            log(
                f"{path.parent.name}/{path.stem}: oxigraph {1000 * row['oxigraph']['median']:.1f}"
                f" ms, virtuoso {1000 * row['virtuoso']['median']:.1f} ms,"
                f" ratio {row['ratio']:.2f}"
            )
    finally:
        oxigraph.stop()
        virtuoso.stop()
        shutil.rmtree(work, ignore_errors=True)
    args.output.mkdir(parents=True, exist_ok=True)
    stem = f"remote-engines-{args.triples}"
    (args.output / f"{stem}.json").write_text(json.dumps(results, indent=2))
    report = markdown(results)
    (args.output / f"{stem}.md").write_text(report)
    print(report)
    return 0


def comparable(row: dict) -> bool:
    """Both engines answered, with as many rows: the timing compares like with like."""
    first, second = row["oxigraph"]["rows"], row["virtuoso"]["rows"]
    return isinstance(first, int) and isinstance(second, int) and first == second


def markdown(results: dict) -> str:
    queries = results["queries"]
    ratios = [row["ratio"] for row in queries.values() if comparable(row)]
    mean = math.exp(sum(math.log(max(r, 1e-9)) for r in ratios) / len(ratios))
    lines = [
        f"# Oxigraph server and Virtuoso, same queries ({results['date']})",
        "",
        f"`{results['command']}`; median of the timed runs, over HTTP (loopback). A query"
        " where an engine failed or the row counts differ is marked and left out of the"
        " summary.",
        "",
        "| query | rows (Oxigraph / Virtuoso) | Oxigraph (ms) | Virtuoso (ms) |"
        " Oxigraph / Virtuoso |",
        "|---|---|---|---|---|",
    ]
    for name, row in sorted(queries.items(), key=lambda item: -item[1]["ratio"]):
        mark = "" if comparable(row) else " (not comparable)"
        answered = f"{row['oxigraph']['rows']} / {row['virtuoso']['rows']}"
        lines.append(
            f"| {name}{mark} | {answered} | {1000 * row['oxigraph']['median']:.1f} | "
            f"{1000 * row['virtuoso']['median']:.1f} | {row['ratio']:.2f} |"
        )
    faster = [name for name, row in queries.items() if comparable(row) and row["ratio"] >= 10]
    lines += [
        "",
        f"Geometric mean of the ratios: {mean:.2f} over {len(ratios)} comparable queries of"
        f" {len(queries)}; Virtuoso at least ten times faster on {len(faster)}:"
        f" {', '.join(sorted(faster)) or 'none'}.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
