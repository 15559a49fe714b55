"""Benchmark of the production path: `kg serve` on its on-disk store against the Oxigraph
server and Virtuoso over the same data, in one run, as ratios.

    .venv/bin/python bench/production.py --triples 100000 1000000

For each size, on the same machine and in the same run:
1. `kg synth` data (bench/validation.py's `synthetic`) with ontology/, shapes/ and data/,
   loaded by `kg load` (parse, full SHACL validation, write, swap) into a fresh on-disk
   store; that store exported as N-Quads and the export loaded by `oxigraph load` and by
   Virtuoso's bulk loader, so that every engine holds the same quads. Load times, peak
   memory of the load and store sizes on disk are recorded.
2. Servers: `kg serve --processes P` (gunicorn, the writer process, the followers; the
   production limits: the default query time limit, row limit, query workers and per-client
   limits; `KG_TRUSTED_PROXIES=127.0.0.1` with one `X-Forwarded-For` address per client,
   as behind a reverse proxy), `oxigraph serve-read-only --union-default-graph`, and
   `virtuoso-t` (bench/virtuoso_peer.py).
   Before it is measured, `kg serve` computes its whole-store aggregates (VoID statistics,
   sitemap, label index), which it starts on a store it has not seen: the benchmark waits
   until its pages that need them answer 200 (`--no-settle`: measure meanwhile).
3. Latency: each query of bench/queries/ over HTTP (JSON results), one client, after a
   warm-up: the median of --runs runs; the geometric mean of the ratios to each peer.
4. Throughput: the query mix (every query in turn, each client starting at another one) and
   the point lookup alone, for --seconds seconds at each of --clients concurrent keep-alive
   clients (spread over up to four client processes, so that the clients' Python is not
   the limit); requests per second, p50, p95 and refusals (429/503). The engines take turns
   at each level, so that a change in the machine's background load touches all of them.
5. Memory: the peak proportional set size (PSS, shared pages counted once) of each server's
   process tree while it is measured, and of each load, sampled every 0.2 s.
The load average is recorded at each step: the machine may be shared. A Markdown report goes
to stdout and bench/results/production-N.{md,json}. Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from validation import OXIGRAPH, synthetic
from virtuoso_peer import Virtuoso, bench_virtuoso, free_port

from graph_service.config import PROJECT_ROOT, Config

BENCH = Path(__file__).resolve().parent
KG = Path(sys.executable).parent / "kg"
QUERIES = {p.stem: p.read_text() for p in sorted((BENCH / "queries").glob("*.rq"))}
JSON_RESULTS = "application/sparql-results+json"
MIXES = {"mix": list(QUERIES), "point": ["point_lookup"]}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, int]:
    """Seconds, and the peak PSS of the command's process tree (bytes, sampled; not
    getrusage's maxrss, which for a forked child starts at the parent's size)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    with MemorySampler(process.pid) as memory:
        process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} exited with {process.returncode}")
    return time.perf_counter() - start, memory.peak


# -- memory ------------------------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += tree(child)
    return found


def pss(pid: int) -> int:
    """Bytes of the process's proportional set size (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemorySampler:
    """The peak PSS of a process tree, sampled in a thread while `running`."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> int:
        now = sum(pss(p) for p in tree(self.pid))
        self.peak = max(self.peak, now)
        return now

    def __enter__(self) -> MemorySampler:
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(0.2):
                self.sample()

        self.sample()
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


# -- servers -----------------------------------------------------------------------------------


@dataclass
class Engine:
    name: str
    port: int
    path: str
    pid: int
    process: subprocess.Popen | None = None
    memory: MemorySampler = field(init=False)

    def __post_init__(self) -> None:
        self.memory = MemorySampler(self.pid)


def wait_for(port: int, path: str, process: subprocess.Popen | None, what: str) -> None:
    for _ in range(1200):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            request("127.0.0.1", port, path, "ASK {}")
            return
        except (OSError, RuntimeError):
            time.sleep(0.25)
    raise RuntimeError(f"{what} did not answer on port {port}")


# Pages that answer 503 until their whole-store aggregate exists (store/aggregates.py).
AGGREGATE_PAGES = ("/void", "/sitemap.xml?page=1", "/search?q=synth", "/")


def settle_aggregates(engine: Engine, process: subprocess.Popen, limit: float = 3600) -> float:
    """Wait until `kg serve` has computed its whole-store aggregates, which it starts in
    the background on a store it has not seen (10 minutes of work at 10M): measured
    meanwhile, it would spend the cores and memory on them. The seconds waited."""
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        if process.poll() is not None:
            raise RuntimeError(f"kg serve exited with {process.returncode}")
        statuses = []
        for path in AGGREGATE_PAGES:
            conn = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=60)
            conn.request("GET", path, headers={"X-Forwarded-For": "10.2.0.1"})
            response = conn.getresponse()
            response.read()
            conn.close()
            statuses.append(response.status)
        if all(status == 200 for status in statuses):
            return time.perf_counter() - began
        time.sleep(5)
    raise RuntimeError(f"kg serve's aggregates were not ready after {limit:.0f} s")


def start_ours(store: Path, processes: int) -> tuple[Engine, subprocess.Popen]:
    port = free_port()
    env = {
        **os.environ,
        "KG_STORE": str(store),
        "KG_TRUSTED_PROXIES": "127.0.0.1",  # each bench client is a client of its own
    }
    command = [str(KG), "serve", "--port", str(port), "--processes", str(processes)]
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    wait_for(port, "/sparql", process, "kg serve")
    return Engine("ours", port, "/sparql", process.pid, process), process


def start_oxigraph(location: Path) -> tuple[Engine, subprocess.Popen]:
    port = free_port()
    command = [str(OXIGRAPH), "serve-read-only", "--location", str(location)]
    # No --timeout-s: with it, Oxigraph 0.5.13 runs each query in a thread of its own, and
    # past a few concurrent clients it answers "Resource temporarily unavailable (os error
    # 11)" with a 500, or drops the connection (measured while writing this benchmark).
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    log_file = (location.parent / "oxigraph-server.log").open("wb")
    process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    wait_for(port, "/query", process, "oxigraph serve-read-only")
    return Engine("oxigraph", port, "/query", process.pid, process), process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- HTTP clients ------------------------------------------------------------------------------


def request(host: str, port: int, path: str, query: str, conn=None, client: str = "") -> int:
    """One SELECT/ASK over HTTP GET; the number of result rows (1 for ASK)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=600)
    headers = {"Accept": JSON_RESULTS}
    if client:
        headers["X-Forwarded-For"] = client
    conn.request("GET", f"{path}?{urllib.parse.urlencode({'query': query})}", headers=headers)
    response = conn.getresponse()
    body = response.read()
    if own:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
    answer = json.loads(body)
    return len(answer["results"]["bindings"]) if "results" in answer else 1


def _client_process(job: tuple) -> list[tuple[str, float, int]]:
    """In a client process: `threads` keep-alive clients send the mix until the deadline."""
    port, path, names, threads, first, start_at, deadline = job
    done: list[tuple[str, float, int]] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        address = f"10.0.{index // 250}.{index % 250 + 1}"
        headers = {"Accept": JSON_RESULTS, "X-Forwarded-For": address}
        mine = []
        turn = index
        while time.time() < start_at:
            time.sleep(0.001)
        while time.time() < deadline:
            name = names[turn % len(names)]
            turn += 1
            target = f"{path}?{urllib.parse.urlencode({'query': QUERIES[name]})}"
            began = time.perf_counter()
            try:
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
                time.sleep(0.01)  # a server that is gone is not hammered
            mine.append((name, time.perf_counter() - began, status))
        conn.close()
        with lock:
            done.extend(mine)

    workers = [threading.Thread(target=client, args=(first + i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return done


def throughput(engine: Engine, names: list[str], clients: int, seconds: float) -> dict:
    processes = min(clients, 4)
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    start_at = time.time() + 1.0
    deadline = start_at + seconds
    jobs, first = [], 0
    for share in shares:
        jobs.append((engine.port, engine.path, names, share, first, start_at, deadline))
        first += share
    load_before = load_average()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(_client_process, jobs)
    elapsed = max(seconds, time.time() - start_at)
    done = [item for part in parts for item in part]
    ok = sorted(latency for _, latency, status in done if status == 200)
    refused = sum(1 for _, _, status in done if status in (429, 503))
    failed = sum(1 for _, _, status in done if status not in (200, 429, 503))

    def percentile(share: float) -> float | None:
        return 1000 * ok[min(len(ok) - 1, int(len(ok) * share))] if ok else None

    return {
        "clients": clients,
        "seconds": elapsed,
        "answered": len(ok),
        "rps": len(ok) / elapsed,
        "p50_ms": percentile(0.5),
        "p95_ms": percentile(0.95),
        "refused": refused,
        "failed": failed,
        "load_average": [load_before, load_average()],
    }


def latencies(engine: Engine, runs: int) -> dict:
    """Per query: one client, warm-up, then the median of `runs` runs (one if slow)."""
    result = {}
    conn = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=600)
    for name, query in QUERIES.items():

        def once(q=query) -> int:
            return request("127.0.0.1", engine.port, engine.path, q, conn, client="10.1.0.1")

        try:
            warmup, rows = timed(once)
            times = [warmup] if warmup > 5 else [timed(once)[0] for _ in range(runs)]
        except (RuntimeError, OSError) as error:  # refused (a limit) or failed: recorded
            result[name] = {"ms": None, "rows": None, "error": str(error)[:200]}
            conn.close()  # the next request opens it again
            continue
        result[name] = {"ms": 1000 * statistics.median(times), "rows": rows}
    conn.close()
    return result


# -- one size ----------------------------------------------------------------------------------


def measure_size(triples: int, args, work: Path) -> dict:
    config = Config()
    here = work / str(triples)
    here.mkdir()
    r: dict = {"triples_requested": triples, "load_average": {"start": load_average()}}
    data = here / "synthetic.nq"
    seconds, quads = timed(lambda: synthetic(data, triples))
    r["synth"] = {"quads": quads, "seconds": seconds}
    log(f"{triples}: synthetic graph of {quads} quads in {seconds:.1f} s")

    store = here / "store"
    sources = [str(d) for d in config.source_dirs] + [str(data)]
    env = {**os.environ, "KG_STORE": str(store)}
    if args.unvalidated_load:  # the same quads, written by `oxigraph load`: no validation
        curated = here / "curated"
        curated_env = {**os.environ, "KG_STORE": str(curated)}
        subprocess.run([str(KG), "load"], env=curated_env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [str(KG), "export", "--format", "nquads", "-o", str(here / "curated.nq")],
            env=curated_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        command = [str(OXIGRAPH), "load", "--location", str(store)]
        command += ["--file", str(here / "curated.nq"), "--file", str(data)]
        seconds, peak = run_measured(command)
        subprocess.run([str(OXIGRAPH), "optimize", "--location", str(store)], check=True)
        r["load"] = {"ours": {"seconds": None, "peak_rss": None, "unvalidated": seconds}}
        log(f"our store written by oxigraph load (not validated): {seconds:.1f} s")
    else:
        seconds, peak = run_measured([str(KG), "load", *sources], env)
        r["load"] = {"ours": {"seconds": seconds, "peak_rss": peak}}
        log(f"kg load (validated): {seconds:.1f} s, peak {peak / 2**20:.0f} MB")

    export = here / "all.nq"
    subprocess.run(
        [str(KG), "export", "--format", "nquads", "-o", str(export)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    r["quads"] = sum(1 for _ in export.open("rb"))

    oxdb = here / "oxigraph"
    seconds, peak = run_measured(
        [str(OXIGRAPH), "load", "--location", str(oxdb), "--file", str(export)]
    )
    r["load"]["oxigraph"] = {"seconds": seconds, "peak_rss": peak}
    log(f"oxigraph load: {seconds:.1f} s, peak {peak / 2**20:.0f} MB")
    # `kg load` compacts what it bulk loaded before it serves it (Staging.compact); the
    # Oxigraph CLI advises the same before a read-heavy workload: both serve compacted stores.
    seconds, _ = run_measured([str(OXIGRAPH), "optimize", "--location", str(oxdb)])
    r["load"]["oxigraph"]["optimize_seconds"] = seconds
    log(f"oxigraph optimize: {seconds:.1f} s")

    virtuoso = None
    if not args.no_virtuoso and Virtuoso.available():
        virtuoso = bench_virtuoso().start()
        seconds, _ = timed(lambda: virtuoso.bulk_load(export, f"{config.base_iri}graph/bench"))
        r["load"]["virtuoso"] = {"seconds": seconds, "peak_rss": None}
        log(f"virtuoso bulk load: {seconds:.1f} s")

    r["store_bytes"] = {"ours": folder_bytes(store), "oxigraph": folder_bytes(oxdb)}
    if virtuoso is not None:
        r["store_bytes"]["virtuoso"] = sum(
            p.stat().st_size for p in virtuoso.dir.glob("*.db") if p.is_file()
        )

    processes = []
    try:
        ours, process = start_ours(store, args.processes)
        processes.append(process)
        if not args.no_settle:
            r["aggregates_settled_s"] = seconds_waited = settle_aggregates(ours, process)
            log(f"kg serve's aggregates computed: {seconds_waited:.1f} s")
        oxigraph, process = start_oxigraph(oxdb)
        processes.append(process)
        engines = [ours, oxigraph]
        if virtuoso is not None:
            assert virtuoso.process is not None
            engines.append(Engine("virtuoso", virtuoso.http_port, "/sparql", virtuoso.process.pid))
        for count in args.compare_processes:  # ours again, on a copy, with other processes
            copy = here / f"store-{count}"
            shutil.copytree(store, copy)
            other, process = start_ours(copy, count)
            processes.append(process)
            if not args.no_settle:
                settle_aggregates(other, process)
            other.name = f"ours-{count}p"
            r["store_bytes"][other.name] = r["store_bytes"]["ours"]
            engines.append(other)
        r["latency"], r["throughput"], r["memory"] = {}, {}, {}
        for engine in engines:
            with engine.memory:
                r["latency"][engine.name] = found = latencies(engine, args.runs)
            log(
                f"latency {engine.name}: "
                + ", ".join(f"{n} {milliseconds(v)} ms" for n, v in found.items())
            )
        for mix, names in MIXES.items():
            for clients in args.clients:
                for engine in engines:
                    with engine.memory:
                        t = throughput(engine, names, clients, args.seconds)
                    if engine.process is not None and engine.process.poll() is not None:
                        raise RuntimeError(f"{engine.name} exited: {engine.process.returncode}")
                    r["throughput"].setdefault(mix, {}).setdefault(str(clients), {})[
                        engine.name
                    ] = t
                    log(
                        f"{mix} x{clients} {engine.name}: {t['rps']:.0f} q/s, "
                        f"p50 {t['p50_ms'] or 0:.1f} ms, p95 {t['p95_ms'] or 0:.1f} ms, "
                        f"refused {t['refused']}, failed {t['failed']}, "
                        f"load {t['load_average']}"
                    )
        for engine in engines:
            r["memory"][engine.name] = {"peak_pss": engine.memory.peak}
            r["memory"][engine.name]["processes"] = len(tree(engine.pid))
    finally:
        for process in processes:
            stop(process)
        if virtuoso is not None:
            virtuoso.stop()
    r["load_average"]["end"] = load_average()
    shutil.rmtree(here, ignore_errors=True)
    return r


# -- the report --------------------------------------------------------------------------------


def table_head(first: list[str], engines: list[str]) -> list[str]:
    """The header of a table with a column per engine, then ours against each peer."""
    columns = first + engines + [f"ours / {e}" for e in engines[1:]]
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def milliseconds(row: dict) -> str:
    if row["ms"] is None:
        return "refused: " + row["error"].split(": ", 1)[-1][:60].replace("|", "/")
    return f"{row['ms']:.1f}"


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "n/a"


def mb(value: float | None) -> str:
    return f"{value / 2**20:.0f}" if value else "n/a"


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def p50_ratio(r: dict, peer: str) -> float | None:
    if peer not in r["latency"]:
        return None
    ours, theirs = r["latency"]["ours"], r["latency"][peer]
    return geomean(  # over the queries both answered
        [ours[q]["ms"] / theirs[q]["ms"] for q in ours if ours[q]["ms"] and theirs[q]["ms"]]
    )


def size_report(r: dict) -> list[str]:
    engines = list(r["latency"])
    lines = [
        f"### {r['quads']:,} quads",
        "",
        f"Load average (1 min) at the start {r['load_average']['start']}, at the end "
        f"{r['load_average']['end']}.",
        "",
        "| | " + " | ".join(engines) + " |",
        "|---|" + "---|" * len(engines),
        "| load (s) | "
        + " | ".join(seconds(r["load"][e]["seconds"]) for e in engines if e in r["load"])
        + " |",
        "| load, peak PSS (MB) | "
        + " | ".join(mb(r["load"][e]["peak_rss"]) for e in engines if e in r["load"])
        + " |",
        "| store on disk (MB) | " + " | ".join(mb(r["store_bytes"][e]) for e in engines) + " |",
        "| server memory, peak PSS (MB) | "
        + " | ".join(mb(r["memory"][e]["peak_pss"]) for e in engines)
        + " |",
        "| server processes | "
        + " | ".join(str(r["memory"][e]["processes"]) for e in engines)
        + " |",
        "",
        (
            "Our load is `kg load` (parse, full validation, write, compaction, swap); the "
            "peers load our store's N-Quads export (no validation). The Oxigraph server's "
            "store is then compacted by `oxigraph optimize` before it serves "
            f"({seconds(r['load']['oxigraph'].get('optimize_seconds'))} s more). "
            + (
                "Our server was measured after it had computed its whole-store aggregates "
                f"({seconds(r['aggregates_settled_s'])} s after it started)."
                if "aggregates_settled_s" in r
                else "Our server was measured while it computed its whole-store aggregates."
            )
            if "unvalidated" not in r["load"]["ours"]
            else "Our store was written by `oxigraph load` from the same files, without "
            f"validation ({r['load']['ours']['unvalidated']:.1f} s; `--unvalidated-load`); "
            "the peers load its N-Quads export."
        ),
        "",
        "Latency, one client, ms (median):",
        "",
        *table_head(["query", "rows"], engines),
    ]
    for query, mine in r["latency"]["ours"].items():
        rows = {r["latency"][e][query]["rows"] for e in engines}
        shown = (
            str(mine["rows"])
            if len(rows) == 1
            else "/".join(str(r["latency"][e][query]["rows"]) for e in engines)
        )
        lines.append(
            f"| {query} | {shown} | "
            + " | ".join(milliseconds(r["latency"][e][query]) for e in engines)
            + " | "
            + " | ".join(ratio(mine["ms"], r["latency"][e][query]["ms"]) for e in engines[1:])
            + " |"
        )
    lines.append(
        "| geometric mean of the ratios | "
        + " | " * (len(engines) + 1)
        + " | ".join(f"{p50_ratio(r, e):.2f}" if p50_ratio(r, e) else "n/a" for e in engines[1:])
        + " |"
    )
    for mix, levels in r["throughput"].items():
        what = "the query mix" if mix == "mix" else "the point lookup"
        lines += [
            "",
            f"Throughput, {what} (answers per second; p50 / p95 ms; refused):",
            "",
            *table_head(["clients"], engines),
        ]
        for clients, by_engine in levels.items():
            cells = []
            for e in engines:
                t = by_engine[e]
                refused = f", {t['refused']} refused" if t["refused"] else ""
                failed = f", {t['failed']} failed" if t["failed"] else ""
                p50, p95 = t["p50_ms"] or 0, t["p95_ms"] or 0
                cells.append(f"{t['rps']:.0f} ({p50:.0f} / {p95:.0f}{refused}{failed})")
            lines.append(
                f"| {clients} | "
                + " | ".join(cells)
                + " | "
                + " | ".join(
                    ratio(by_engine["ours"]["rps"], by_engine[e]["rps"]) for e in engines[1:]
                )
                + " |"
            )
    return lines


def seconds(value: float | None) -> str:
    return f"{value:.1f}" if value else "n/a"


def growth(sizes: list[dict]) -> list[str]:
    most = max(int(c) for c in sizes[0]["throughput"]["mix"])
    lines = [
        "### Growth",
        "",
        "| quads | p50 ours / oxigraph (geo. mean) | p50 ours / virtuoso | mix q/s at "
        f"{most} clients, ours / oxigraph / virtuoso | point q/s at {most} clients, "
        "ours / oxigraph / virtuoso | "
        "server memory MB, ours / oxigraph / virtuoso | store MB, ours / oxigraph / virtuoso | "
        "load s, ours / oxigraph / virtuoso |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def triple(values: dict, fmt) -> str:
        return " / ".join(fmt(values.get(e)) for e in ("ours", "oxigraph", "virtuoso"))

    for r in sizes:
        top = str(max(int(c) for c in r["throughput"]["mix"]))

        def rps(mix: str, r=r, top=top) -> dict:
            return {e: t["rps"] for e, t in r["throughput"][mix][top].items()}

        ox = p50_ratio(r, "oxigraph")
        vi = p50_ratio(r, "virtuoso")
        lines.append(
            f"| {r['quads']:,} | {ox:.2f} | {f'{vi:.2f}' if vi else 'n/a'} | "
            f"{triple(rps('mix'), lambda v: f'{v:.0f}' if v else 'n/a')} | "
            f"{triple(rps('point'), lambda v: f'{v:.0f}' if v else 'n/a')} | "
            f"{triple({e: m['peak_pss'] for e, m in r['memory'].items()}, mb)} | "
            f"{triple(r['store_bytes'], mb)} | "
            f"{triple({e: v['seconds'] for e, v in r['load'].items()}, seconds)} |"
        )
    return lines


def markdown(results: dict) -> str:
    lines = [
        f"Command: `.venv/bin/python {results['command']}`; {results['date']}; "
        f"{results['machine']['cpus']} CPUs; Python {results['machine']['python']}; "
        f"`kg serve --processes {results['processes']}`; {results['seconds']} s per "
        "throughput step.",
        "",
    ]
    for r in results["sizes"]:
        lines += size_report(r) + [""]
    lines += growth(results["sizes"])
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=10.0, help="per throughput step")
    parser.add_argument("--runs", type=int, default=5, help="latency runs per query (median)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-virtuoso", action="store_true")
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="measure kg serve while it still computes its whole-store aggregates",
    )
    parser.add_argument(
        "--unvalidated-load",
        action="store_true",
        help="write our store with `oxigraph load` (the same quads, no validation): for "
        "measuring the serving when `kg load` at this size takes too long",
    )
    parser.add_argument(
        "--compare-processes",
        type=int,
        nargs="*",
        default=[],
        help="also measure kg serve with these numbers of processes (on a copy of the store)",
    )
    parser.add_argument("--work", help="folder for the stores (default: the system's temp)")
    parser.add_argument("--render", type=Path, help="print the report of a saved JSON result")
    parser.add_argument("--output", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    if args.render:
        print(markdown(json.loads(args.render.read_text())), end="")
        return 0

    results: dict = {
        "command": "bench/production.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "processes": args.processes,
        "seconds": args.seconds,
        "sizes": [],
    }
    work = Path(tempfile.mkdtemp(prefix="kg-bench-production-", dir=args.work))
    args.output.mkdir(parents=True, exist_ok=True)
    stem = "production-" + "-".join(str(t) for t in args.triples)
    try:
        for triples in args.triples:
            results["sizes"].append(measure_size(triples, args, work))
            (args.output / f"{stem}.json").write_text(json.dumps(results, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = markdown(results)
    (args.output / f"{stem}.md").write_text(report)
    print(report, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
