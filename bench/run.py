"""Benchmark: our Oxigraph store and /sparql endpoint against peers measured in the same run.

    .venv/bin/python bench/run.py --triples 400000

1. `kg synth` writes a synthetic graph of about --triples triples (N-Quads).
2. It is loaded into (a) our Store through the production path (read_sources + swap_in),
   (b) rdflib's in-memory Dataset, (c) a private Virtuoso (bulk loader), if installed.
3. The queries in bench/queries/ run in process on (a) and (b), and over HTTP on our
   /sparql (waitress, separate process) and on Virtuoso's /sparql.
4. Throughput: --clients concurrent keep-alive clients send --requests requests in all of
   the point-lookup query to each HTTP endpoint (loopback only).
Results are reported as times and as ratios against the peers; a JSON copy goes to
bench/results/. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from production import request as http_select
from rdflib import Dataset
from virtuoso_peer import Virtuoso, bench_virtuoso, free_port

from graph_service.config import PROJECT_ROOT, Config
from graph_service.store import Store
from graph_service.store.loading import swap_in
from graph_service.store.sources import read_sources
from graph_service.synth import synthetic_graph_iri

BENCH = Path(__file__).resolve().parent
QUERIES = {p.stem: p.read_text() for p in sorted((BENCH / "queries").glob("*.rq"))}
JSON_RESULTS = "application/sparql-results+json"


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def repeat(fn, runs: int, slow: float = 10.0) -> tuple[float, int, int]:
    """(median seconds, rows, runs): one warm-up, then `runs` timed runs (one if slow)."""
    warmup, rows = timed(fn)
    if warmup > slow:
        return warmup, rows, 1
    times = []
    for _ in range(runs):
        elapsed, rows = timed(fn)
        times.append(elapsed)
    return statistics.median(times), rows, runs


# -- HTTP --------------------------------------------------------------------------------------


def throughput(host: str, port: int, path: str, query: str | None, clients: int, total: int):
    """Requests per second and latency percentiles for `clients` keep-alive clients."""
    per_client = max(1, total // clients)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    target = f"{path}?{urllib.parse.urlencode({'query': query})}" if query else path

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=120)
        mine = []
        barrier.wait()
        try:
            for _ in range(per_client):
                start = time.perf_counter()
                conn.request("GET", target, headers={"Accept": JSON_RESULTS})
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - start)
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}")
        except Exception as error:  # noqa: BLE001 (reported, the run goes on)
            with lock:
                errors.append(str(error))
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else None,
    }


def start_our_server(path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BENCH / "serve_store.py"), str(path), str(port), "8"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise RuntimeError(f"our server did not start: {line!r}")
    return process, port


# -- the run -----------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=400_000)
    parser.add_argument("--meetings-per-body", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=2000, help="HTTP requests in all")
    parser.add_argument("--no-virtuoso", action="store_true", help="skip the Virtuoso peer")
    parser.add_argument("--no-rdflib", action="store_true", help="skip the rdflib peer")
    parser.add_argument("--output", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    data = work / "synthetic.nq"
    results: dict = {
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": _cpus(),
        },
        "load": {},
        "queries": {},
        "http_queries": {},
        "throughput": {},
    }

    seconds, _ = timed(
        lambda: subprocess.run(
            [
                sys.executable,
                "-m",
                "graph_service",
                "synth",
                "--triples",
                str(args.triples),
                "--meetings-per-body",
                str(args.meetings_per_body),
                "--seed",
                str(args.seed),
                "-o",
                str(data),
            ],
            check=True,
            cwd=PROJECT_ROOT,
        )
    )
    quads = sum(1 for _ in data.open("rb"))
    results["synth"] = {"seconds": seconds, "quads": quads, "bytes": data.stat().st_size}
    log(f"kg synth: {quads} quads in {seconds:.1f} s")

    base = Config().base_iri
    store = Store(None)
    seconds, _ = timed(lambda: swap_in(store, read_sources([data], base)))
    results["load"]["oxigraph"] = seconds
    log(f"load oxigraph (read_sources + swap_in): {seconds:.2f} s")

    engines = {"oxigraph": lambda q: len(list(store.query(q)))}
    if not args.no_rdflib:
        dataset = Dataset(default_union=True)
        seconds, _ = timed(lambda: dataset.parse(data, format="nquads"))
        results["load"]["rdflib"] = seconds
        log(f"load rdflib Dataset (memory): {seconds:.2f} s")
        engines["rdflib"] = lambda q: len(list(dataset.query(q)))

    virtuoso = None
    if not args.no_virtuoso and Virtuoso.available():
        virtuoso = bench_virtuoso().start()
        seconds, _ = timed(lambda: virtuoso.bulk_load(data, synthetic_graph_iri(base)))
        results["load"]["virtuoso"] = seconds
        log(f"load virtuoso (bulk loader + checkpoint): {seconds:.2f} s")

    server, port = start_our_server(data)
    try:
        for name, query in QUERIES.items():
            row = {}
            for engine, run in engines.items():
                row[engine] = dict(
                    zip(
                        ("seconds", "rows", "runs"),
                        repeat(lambda run=run, q=query: run(q), args.runs),
                        strict=True,
                    )
                )
            results["queries"][name] = row
            log(f"in process {name}: " + _line(row))

            http_row = {
                "ours": dict(
                    zip(
                        ("seconds", "rows", "runs"),
                        repeat(
                            lambda q=query: http_select("127.0.0.1", port, "/sparql", q), args.runs
                        ),
                        strict=True,
                    )
                )
            }
            if virtuoso:
                http_row["virtuoso"] = dict(
                    zip(
                        ("seconds", "rows", "runs"),
                        repeat(
                            lambda q=query: len(
                                json.loads(virtuoso.select(q, timeout=300))["results"]["bindings"]
                            ),
                            args.runs,
                        ),
                        strict=True,
                    )
                )
            results["http_queries"][name] = http_row
            log(f"over HTTP {name}: " + _line(http_row))

        point = QUERIES["point_lookup"]
        results["throughput"]["ours_robots_txt"] = throughput(
            "127.0.0.1", port, "/robots.txt", None, args.clients, args.requests
        )
        results["throughput"]["ours_sparql"] = throughput(
            "127.0.0.1", port, "/sparql", point, args.clients, args.requests
        )
        if virtuoso:
            results["throughput"]["virtuoso_sparql"] = throughput(
                "127.0.0.1", virtuoso.http_port, "/sparql", point, args.clients, args.requests
            )
        for name, t in results["throughput"].items():
            log(
                f"throughput {name}: {t['rps']:.0f} req/s, p50 {t['p50_ms']:.1f} ms, "
                f"p95 {t['p95_ms']:.1f} ms, {t['errors']} errors"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if virtuoso:
            virtuoso.stop()

    args.output.mkdir(parents=True, exist_ok=True)
    stem = f"results-{args.triples}"
    (args.output / f"{stem}.json").write_text(json.dumps(results, indent=2))
    report = markdown(results)
    (args.output / f"{stem}.md").write_text(report)
    print(report)
    return 0


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _line(row: dict) -> str:
    return ", ".join(f"{k} {v['seconds'] * 1000:.1f} ms ({v['rows']} rows)" for k, v in row.items())


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ratio(numerator: float | None, denominator: float | None) -> str:
    if not numerator or not denominator:
        return "n/a"
    return f"{numerator / denominator:.2f}"


def ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def markdown(r: dict) -> str:
    load = r["load"]
    lines = [
        f"Command: `.venv/bin/python {r['command']}`; {r['date']}; "
        f"{r['machine']['cpus']} CPUs; Python {r['machine']['python']}.",
        "",
        f"Synthetic graph: {r['synth']['quads']} quads, {r['synth']['bytes'] / 1e6:.1f} MB "
        f"of N-Quads, generated in {r['synth']['seconds']:.1f} s.",
        "",
        "| load | seconds | ratio peer / ours |",
        "|---|---|---|",
    ]
    for engine, seconds in load.items():
        lines.append(f"| {engine} | {seconds:.2f} | {ratio(seconds, load['oxigraph'])} |")
    lines += [
        "",
        "In process (ms, median; ratio = peer time / our time, > 1 means we are faster):",
        "",
        "| query | rows | oxigraph | rdflib | rdflib / oxigraph |",
        "|---|---|---|---|---|",
    ]
    for name, row in r["queries"].items():
        ox_ms = row["oxigraph"]["seconds"] * 1000
        rd = row.get("rdflib")
        rd_ms = rd["seconds"] * 1000 if rd else None
        rows = row["oxigraph"]["rows"]
        check = "" if not rd or rd["rows"] == rows else f" (rdflib: {rd['rows']})"
        lines.append(
            f"| {name} | {rows}{check} | {ms(ox_ms)} | {ms(rd_ms)} | {ratio(rd_ms, ox_ms)} |"
        )
    lines += [
        "",
        "Over HTTP, one client (ms, median, JSON results):",
        "",
        "| query | our /sparql | Virtuoso /sparql | Virtuoso / ours |",
        "|---|---|---|---|",
    ]
    for name, row in r["http_queries"].items():
        ours = row["ours"]["seconds"] * 1000
        virt = row.get("virtuoso")
        virt_ms = virt["seconds"] * 1000 if virt else None
        check = (
            ""
            if not virt or virt["rows"] == row["ours"]["rows"]
            else f" (rows: ours {row['ours']['rows']}, Virtuoso {virt['rows']})"
        )
        lines.append(f"| {name}{check} | {ms(ours)} | {ms(virt_ms)} | {ratio(virt_ms, ours)} |")
    t = r["throughput"]
    lines += [
        "",
        "Throughput, point lookup, concurrent keep-alive clients on loopback:",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in t.items():
        lines.append(
            f"| {name} | {v['requests']} | {v['rps']:.0f} | {v['p50_ms']:.1f} | "
            f"{v['p95_ms']:.1f} | {v['errors']} |"
        )
    if "virtuoso_sparql" in t:
        lines.append("")
        lines.append(
            f"Throughput ratio ours / Virtuoso: "
            f"{ratio(t['ours_sparql']['rps'], t['virtuoso_sparql']['rps'])}; "
            f"our /sparql / our static /robots.txt: "
            f"{ratio(t['ours_sparql']['rps'], t['ours_robots_txt']['rps'])}."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
