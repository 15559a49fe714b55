"""Benchmark: SHACL validators on the same data and shapes (the options of
docs/decisions/0007-scalable-validation.md).

    .venv/bin/python bench/validation_peers.py --triples 100000 \
        --peer-python /path/to/venv/bin/python

Every engine reads the same two N-Triples files (the data with the ontology, and the shapes)
and validates everything; the time includes parsing. Engines:
- `compiled-memory`: our shapes compiled to SPARQL (store/shacl/) on an in-memory Oxigraph;
- `compiled-rocksdb`: the same on an on-disk Oxigraph store;
- `pyshacl`: pySHACL (the reference; only up to --pyshacl-max triples, it takes ~2-4 ms each);
- `pyshacl-turbo`, `pyrudof`: from PyPI, run by --peer-python (a venv where they are installed:
  `pip install pyshacl-turbo pyrudof`), skipped when missing;
- `jena`: Apache Jena's `shacl validate` (Debian libapache-jena-java, Java).
Each engine also validates the 27 failing fixtures of tests/shapes/ and the base world; the
`agrees` column counts those where its conforms flag and number of results equal pySHACL's.
Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pyoxigraph as ox
from validation import synthetic

from graph_service.config import PROJECT_ROOT, Config
from graph_service.store.sources import read_sources
from graph_service.vocabulary import shapes_graph_iri

FIXTURES = PROJECT_ROOT / "tests" / "shapes"
JAVA = Path("/usr/share/java")
JENA_JARS = [
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-iri", "jena-shacl",
    "jena-dboe-base", "jena-tdb", "commons-cli", "commons-codec", "commons-compress",
    "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava",
    "httpclient", "httpcore", "jackson-core", "jackson-databind", "jackson-annotations",
    "jsonld-java", "jakarta.json-api", "protobuf", "thrift", "titanium-json-ld",
    "slf4j-api", "slf4j-nop",
]  # fmt: skip
WORKERS = {
    "pyshacl": """
import json, sys, time
from rdflib import Graph
import pyshacl
start = time.perf_counter()
data = Graph().parse(sys.argv[1], format="nt")
shapes = Graph().parse(sys.argv[2], format="nt")
conforms, report, _ = pyshacl.validate(
    data, shacl_graph=shapes, advanced=True, inference="none"
)
from rdflib.namespace import SH, RDF
results = len(set(report.subjects(RDF.type, SH.ValidationResult)))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "conforms": bool(conforms), "results": results}))
""",
    "pyshacl-turbo": """
import json, sys, time
from rdflib import Graph
from rdflib.namespace import SH, RDF
import pyshacl_turbo
start = time.perf_counter()
data = Graph().parse(sys.argv[1], format="nt")
shapes = Graph().parse(sys.argv[2], format="nt")
conforms, report, _ = pyshacl_turbo.validate(
    data, shacl_graph=shapes, advanced=True, inference="none"
)
results = len(set(report.subjects(RDF.type, SH.ValidationResult)))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "conforms": bool(conforms), "results": results}))
""",
    "pyrudof": """
import json, sys, time
import pyrudof
start = time.perf_counter()
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
rudof.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
rudof.read_shacl(sys.argv[2], format=pyrudof.ShaclFormat.NTriples)
report = rudof.validate_shacl()
conforms = report.conforms() if callable(report.conforms) else report.conforms
found = report.violations() if callable(report.violations) else report.violations
results = found if isinstance(found, int) else len(list(found))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "conforms": bool(conforms), "results": results}))
""",
}


def compiled(data: Path, shapes_file: Path, on_disk: bool) -> dict:
    from rdflib import Graph

    from graph_service.store.shacl import Validator, View

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        store = ox.Store(folder) if on_disk else ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        validator = Validator(Graph().parse(str(shapes_file), format="nt"))
        report = validator.validate(View(store))
        del store
    return {
        "seconds": time.perf_counter() - start,
        "conforms": report.conforms,
        "results": len(report.violations),
    }


@functools.cache
def jena_resources() -> Path:
    """Xerces' message bundles where Debian's Jena looks for them (see
    tests/web/test_jena_client.py), in a folder removed when the benchmark ends."""
    resources = Path(tempfile.mkdtemp(prefix="jena-resources-"))
    atexit.register(shutil.rmtree, resources, True)
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = resources / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return resources


def jena(data: Path, shapes: Path) -> dict:
    # Jena 4.5 (Debian) refuses a SPARQL constraint with two sh:message values (English and
    # Russian): it validates the shapes without the Russian messages.
    english = shapes.with_name("shapes-en.nt")
    english.write_text(
        "".join(line for line in open(shapes, encoding="utf-8") if '"@ru' not in line),
        encoding="utf-8",
    )
    shapes = english
    resources = jena_resources()
    classpath = ":".join([str(resources)] + [str(JAVA / f"{j}.jar") for j in JENA_JARS])
    command = ["java", "-Xmx8g", "-cp", classpath, "shacl.shacl", "validate",
               "--shapes", str(shapes), "--data", str(data), "--text"]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        return {"error": done.stderr.strip().splitlines()[-1:] or done.returncode}
    text = done.stdout
    return {
        "seconds": seconds,
        "conforms": text.startswith("Conforms"),
        "results": text.count("Node="),
    }


def engine(name: str, data: Path, shapes: Path, python: str | None, timeout: float) -> dict:
    if name.startswith("compiled"):
        return compiled(data, shapes, on_disk=name.endswith("rocksdb"))
    if name == "jena":
        return jena(data, shapes)
    command = [python or sys.executable, "-c", WORKERS[name], str(data), str(shapes)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:160]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_nt(triples, path: Path) -> None:
    store = ox.Store()  # canonical literals and one copy of each triple, as our store
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    store.dump(output=str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def prepare(work: Path, triples: int) -> tuple[Path, Path, list[Path]]:
    config = Config()
    base = config.base_iri
    synth = work / "synthetic.nq"
    synthetic(synth, triples)
    graphs = read_sources([*config.source_dirs, synth], base).graphs
    shapes = work / "shapes.nt"
    write_nt(graphs.pop(shapes_graph_iri(base)), shapes)
    data = work / "data.nt"
    write_nt((t for ts in graphs.values() for t in ts), data)
    ontology = read_sources([config.source_dirs[0]], base).graphs
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    from test_shapes import fixture_data, read_triples

    fixtures = []
    for fixture in ["base.trig", *sorted(p.name for p in FIXTURES.glob("*.fail.trig"))]:
        triples_ = (
            read_triples(FIXTURES / fixture)[0] if fixture == "base.trig" else fixture_data(fixture)
        )
        path = work / f"{fixture}.nt"
        write_nt([*triples_, *(t for ts in ontology.values() for t in ts)], path)
        fixtures.append(path)
    return data, shapes, fixtures


def focus_subgraph(data: Path, work: Path, source_triples: int) -> tuple[Path, int]:
    """The incremental case for pySHACL: a new source of `source_triples` triples added to
    the data; the subgraph it can affect, taken as every triple of the source's nodes and
    of their neighbours (one step either way), with the ontology. Returns the subgraph (an
    N-Triples file) and its size."""
    source = work / "source.nq"
    synthetic(source, source_triples, key="b")
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
    nodes = {
        term
        for quad in ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS)
        for term in (quad.subject, quad.object)
        if not isinstance(term, ox.Literal)
    }
    around = set(nodes)
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for node in nodes:  # not through rdf:type: a class would bring in all its instances
        around |= {
            q.object for q in store.quads_for_pattern(node, None, None, None) if q.predicate != kind
        }
        around |= {
            q.subject
            for q in store.quads_for_pattern(None, None, node, None)
            if q.predicate != kind
        }
    triples = {
        q.triple
        for node in around
        if not isinstance(node, ox.Literal)
        for q in store.quads_for_pattern(node, None, None, None)
    }
    config = Config()
    ontology = read_sources([config.source_dirs[0]], config.base_iri).graphs
    triples |= {t for ts in ontology.values() for t in ts}
    path = work / "subgraph.nt"
    write_nt(triples, path)
    return path, len(triples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--peer-python", help="a Python with pyshacl-turbo and pyrudof")
    parser.add_argument("--pyshacl-max", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--source-triples", type=int, default=10_000, help="for pySHACL on a focus subgraph"
    )
    parser.add_argument(
        "--engines", default="compiled-memory,compiled-rocksdb,pyshacl,pyshacl-turbo,pyrudof,jena"
    )
    args = parser.parse_args(argv)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-peers-") as folder:
        data, shapes, fixtures = prepare(Path(folder), args.triples)
        size = sum(1 for _ in open(data, encoding="utf-8"))
        reference = [engine("pyshacl", f, shapes, None, args.timeout) for f in fixtures]
        for name in args.engines.split(","):
            python = args.peer_python if name in ("pyshacl-turbo", "pyrudof") else None
            if name == "pyshacl" and size > args.pyshacl_max:
                run = {"error": f"skipped above {args.pyshacl_max} triples"}
            else:
                run = engine(name, data, shapes, python, args.timeout)
            checks = [engine(name, f, shapes, python, args.timeout) for f in fixtures]
            agrees = sum(
                1
                for mine, ref in zip(checks, reference, strict=True)
                if "error" not in mine
                and (mine.get("conforms"), mine.get("results")) == (ref["conforms"], ref["results"])
            )
            results[name] = {**run, "agrees": agrees, "fixtures": len(fixtures)}
            print(name, results[name], file=sys.stderr)
        if args.source_triples:
            subgraph, size_ = focus_subgraph(data, Path(folder), args.source_triples)
            run = engine("pyshacl", subgraph, shapes, None, args.timeout)
            results["pyshacl-subgraph"] = {**run, "agrees": None, "fixtures": None, "size": size_}
            print("pyshacl-subgraph", results["pyshacl-subgraph"], file=sys.stderr)
    print(f"| engine | seconds ({size} triples) | conforms | results | agrees with pySHACL |")
    # pyshacl-subgraph: pySHACL on the subgraph a new source of --source-triples can affect
    # (its "seconds" are for that subgraph, of "size" triples); it is pySHACL itself.
    print("|---|---|---|---|---|")
    for name, r in results.items():
        seconds = f"{r['seconds']:.2f}" if "seconds" in r else r.get("error", "-")
        agrees = f"{r['agrees']}/{r['fixtures']}" if r["agrees"] is not None else "-"
        print(f"| {name} | {seconds} | {r.get('conforms', '-')} | {r.get('results', '-')} | "
              f"{agrees} |")  # fmt: skip
    out = Path(__file__).parent / "results" / f"validation-peers-{args.triples}.json"
    out.write_text(json.dumps({"triples": size, "engines": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
