"""Benchmark: loading and SHACL validation, as ratios against `oxigraph load` in the same run.

    .venv/bin/python bench/validation.py --triples 100000
    .venv/bin/python bench/validation.py --triples 1000000 --pyshacl-triples 0

On the same files (ontology/, shapes/, data/ and a synthetic graph of --triples triples):
1. `oxigraph load` (the Oxigraph CLI from PyPI, `pip install oxigraph`) into a fresh folder;
2. `kg load` (in process: `load_on_disk`) into a fresh on-disk store: parse, full validation,
   write, swap, each timed;
3. full validation of the loaded store (`kg validate` with no new files: the store copied
   into memory and every check run), and the checks alone;
4. incremental validation: `kg load` of a new 10k-triple source into that store;
5. an authorised SPARQL Update of a few triples (`apply_update` on the on-disk store), one
   that conforms and one that is refused;
6. pySHACL (the reference) on --pyshacl-triples triples, and its time per triple.
A Markdown table goes to stdout and bench/results/validation-N.{md,json}. Nothing here
asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from graph_service import formats
from graph_service.config import PROJECT_ROOT, Config
from graph_service.store import Store
from graph_service.store.guarded_update import apply_update
from graph_service.store.loading import (
    ValidationFailed,
    check_on_disk,
    load_on_disk,
    validate_graphs,
)
from graph_service.store.sources import read_sources
from graph_service.synth import SynthParams, bodies_for_triples, serialize

BENCH = Path(__file__).resolve().parent
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
BASE = "https://w3id.org/untoc/"


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def synthetic(path: Path, triples: int, key: str = "") -> int:
    """A synthetic graph of about `triples` triples, N-Quads; `key` renames its IRIs, symbols
    and graph so that it can be loaded beside another one."""
    bodies = bodies_for_triples(BASE, triples, 5)
    data, count = serialize(BASE, SynthParams(bodies=bodies), formats.NQUADS)
    if key:
        text = data.decode()
        text = text.replace("synth-", f"synth{key}-").replace(
            "/document/syn", f"/document/syn{key}"
        )
        text = text.replace("SYN", f"SYN{key.upper()}").replace(
            "graph/synthetic", f"graph/synthetic-{key}"
        )
        data = text.encode()
    path.write_bytes(data)
    return count


def oxigraph_load(files: list[Path], work: Path) -> float:
    location = work / "oxigraph-cli"
    command = [str(OXIGRAPH), "load", "--location", str(location)]
    for file in files:
        command += ["--file", str(file)]
    seconds, done = timed(lambda: subprocess.run(command, capture_output=True, text=True))
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    shutil.rmtree(location)
    return seconds


def small_update(ordinal: int) -> str:
    """Six triples: a meeting of the TIP working group; number 13 exists already."""
    meeting = f"{BASE}id/meeting/bench-extra-{ordinal}"
    source = f"{BASE}id/document/cop12-subsidiary-bodies-note#para-3"
    return f"""INSERT DATA {{ GRAPH <{BASE}graph/bench-update> {{
        <{meeting}> a <{BASE}ontology#Meeting> ;
            <http://www.w3.org/2000/01/rdf-schema#label> "m"@en, "m"@ru ;
            <{BASE}ontology#meetingOf> <{BASE}id/body/wg-tip> ;
            <{BASE}ontology#ordinal> {ordinal} ;
            <http://purl.org/dc/terms/source> <{source}>
    }} }}"""


def updates(store_path: Path, config: Config) -> tuple[float, float | None]:
    """Seconds of a conforming update and of a refused one, on the on-disk store."""
    store = Store(store_path)
    applied, _ = timed(lambda: apply_update(store, small_update(901), config))
    start = time.perf_counter()
    try:
        apply_update(store, small_update(13), config)
        return applied, None
    except ValidationFailed:
        return applied, time.perf_counter() - start


def run(args) -> dict:
    config = Config()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-validation-", dir=args.work))
    results: dict = {"triples_requested": args.triples, "when": datetime.now(UTC).isoformat()}
    try:
        data = work / "synthetic.nq"
        seconds, quads = timed(lambda: synthetic(data, args.triples))
        results["synth"] = {"quads": quads, "seconds": seconds}
        source = work / "source-10k.nq"
        results["source_quads"] = synthetic(source, args.source_triples, key="b")
        files = sorted(p for d in config.source_dirs for p in d.rglob("*") if p.is_file()) + [data]
        print(f"synthetic graph: {quads} quads", file=sys.stderr)

        results["oxigraph_load"] = oxigraph_load(files, work)
        print(f"oxigraph load: {results['oxigraph_load']:.2f} s", file=sys.stderr)

        store_path = work / "store"
        seconds, loaded = timed(lambda: load_on_disk(store_path, files, config))
        results["kg_load"] = {"seconds": seconds, "triples": loaded.triples, **loaded.timings}
        print(f"kg load: {seconds:.2f} s {loaded.timings}", file=sys.stderr)

        seconds, _ = timed(lambda: check_on_disk(store_path, [], config))
        results["full_validation"] = seconds
        print(f"full validation (kg validate): {seconds:.2f} s", file=sys.stderr)

        seconds, loaded = timed(lambda: load_on_disk(store_path, [source], config))
        results["incremental_10k"] = {
            "seconds": seconds,
            "incremental": loaded.incremental,
            **loaded.timings,
        }
        print(f"incremental load of the source: {seconds:.2f} s {loaded.timings}", file=sys.stderr)

        results["update_ok"], results["update_refused"] = updates(store_path, config)
        print(
            f"updates: {results['update_ok']:.3f} s, {results['update_refused']}", file=sys.stderr
        )

        if args.pyshacl_triples:
            small = work / "pyshacl.nq"
            synthetic(small, args.pyshacl_triples)
            graphs = read_sources([*config.source_dirs, small], BASE).graphs
            size = sum(len(t) for t in graphs.values())
            seconds, report = timed(lambda: validate_graphs(graphs, config, engine="pyshacl"))
            compiled, other = timed(lambda: validate_graphs(graphs, config))
            results["pyshacl"] = {
                "triples": size,
                "seconds": seconds,
                "compiled_seconds": compiled,
                "same": report.conforms == other.conforms,
            }
            print(f"pySHACL on {size} triples: {seconds:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def table(r: dict) -> str:
    ox = r["oxigraph_load"]
    load = r["kg_load"]
    inc = r["incremental_10k"]

    def row(name, seconds, target=""):
        ratio = f"{seconds / ox:.2f}" if seconds is not None else "-"
        value = f"{seconds:.2f}" if seconds is not None else "-"
        return f"| {name} | {value} | {ratio} | {target} |"

    lines = [
        f"Command: `.venv/bin/python bench/validation.py --triples {r['triples_requested']}`; "
        f"{r['when']}; {os.cpu_count()} CPUs; Python {platform.python_version()}.",
        "",
        f"Synthetic graph: {r['synth']['quads']} quads (plus ontology/, shapes/, data/); "
        f"{load['triples']} triples loaded; a new source of {r['source_quads']} triples.",
        "",
        "| step | seconds | ratio to oxigraph load | target |",
        "|---|---|---|---|",
        row("`oxigraph load` (CLI), same files", ox),
        row("`kg load` with full validation, fresh store", load["seconds"], "<= 2x oxigraph load"),
        row("  of which parse (bulk load in memory)", load.get("parse")),
        row("  of which validation (compiled shapes, in memory)", load.get("validate")),
        row(
            "  of which waiting for the bulk load to disk (run by another process during the "
            "validation) and the swap",
            load.get("write", 0) + load.get("swap", 0),
        ),
        row("full validation of the store (`kg validate`)", r["full_validation"], "< 120 s at 1M"),
        row(
            f"`kg load` of the new source ({'incremental' if inc['incremental'] else 'full'})",
            inc["seconds"],
            "< 5 s",
        ),
        row("  of which validation", inc.get("validate")),
        row("authorised update of 6 triples, applied", r["update_ok"], "well under 1 s"),
        row("authorised update of 6 triples, refused", r["update_refused"]),
    ]
    if "pyshacl" in r:
        p = r["pyshacl"]
        per = p["seconds"] / p["triples"] * 1000
        lines += [
            "",
            f"pySHACL (the reference) on {p['triples']} triples: {p['seconds']:.1f} s "
            f"({per:.2f} ms per triple); the compiled shapes on the same graph: "
            f"{p['compiled_seconds']:.2f} s; same conforms flag: {p['same']}.",
        ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render", type=Path, help="print the table of a saved JSON result")
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--source-triples", type=int, default=10_000)
    parser.add_argument("--pyshacl-triples", type=int, default=10_000, help="0: skip pySHACL")
    parser.add_argument("--work", help="folder for the stores (default: the system's temp)")
    args = parser.parse_args(argv)
    if args.render:
        print(table(json.loads(args.render.read_text())))
        return 0
    if not OXIGRAPH.exists():
        print("the Oxigraph CLI is missing: .venv/bin/pip install oxigraph", file=sys.stderr)
        return 2
    results = run(args)
    report = table(results)
    print(report)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / f"validation-{args.triples}.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / f"validation-{args.triples}.md").write_text(report)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_ROOT))
    sys.exit(main())
