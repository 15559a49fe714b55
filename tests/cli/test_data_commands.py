"""`kg load`, `kg validate`, `kg query`, `kg export` through the real entry point, against a
store in a temporary folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BASE, SOURCE_NOTE, subjects_with
from support import BROKEN_TURTLE, COUNT_REPORTS, CYRILLIC_AGENDA, reports_in, tree_hashes

from graph_service.cli import main
from graph_service.config import PROJECT_ROOT, Config
from graph_service.store.sources import read_sources

KG = Path(sys.executable).parent / "kg"
UNTOC_ESTABLISHED_BY = "https://w3id.org/untoc/ontology#establishedBy"
WG_QUERY = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
SELECT DISTINCT ?wg ?instrument WHERE { ?wg a untoc:WorkingGroup ; untoc:establishedBy ?instrument }
ORDER BY ?wg"""
CONSTRUCT = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
CONSTRUCT { ?wg untoc:establishedBy ?i } WHERE { ?wg untoc:establishedBy ?i }"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["--store", str(path), "load"]) == 0
    return path


@pytest.fixture()
def bad_dir(tmp_path) -> Path:
    (tmp_path / "broken.ttl").write_text(BROKEN_TURTLE, encoding="utf-8")
    (tmp_path / "cyrillic.ttl").write_text(CYRILLIC_AGENDA, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def established(loaded_store) -> int:
    """How many working groups have an establishing instrument (WG_QUERY's rows, CONSTRUCT's
    triples), by a pattern lookup in the curated data."""
    return len(subjects_with(loaded_store, UNTOC_ESTABLISHED_BY))


def kg(store: Path, *args: str) -> list[str]:
    return ["--store", str(store), *args]


def test_query_prints_a_table_by_default(store_dir, established, capsys):
    assert main(kg(store_dir, "query", WG_QUERY)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["wg", "|", "instrument"]
    assert "https://w3id.org/untoc/id/body/wg-tip" in "\n".join(lines)
    assert lines[-1] == f"({established} rows)"


def test_query_from_an_rq_file_in_every_result_format(
    store_dir, established, tmp_path, capsysbinary
):
    query_file = tmp_path / "wgs.rq"
    query_file.write_text(WG_QUERY, encoding="utf-8")
    assert main(kg(store_dir, "query", str(query_file), "--format", "json")) == 0
    body = json.loads(capsysbinary.readouterr().out)
    assert body["head"]["vars"] == ["wg", "instrument"]
    assert len(body["results"]["bindings"]) == established
    assert main(kg(store_dir, "query", str(query_file), "--format", "csv")) == 0
    assert capsysbinary.readouterr().out.splitlines()[0] == b"wg,instrument"
    assert main(kg(store_dir, "query", str(query_file), "--format", "tsv")) == 0
    assert capsysbinary.readouterr().out.splitlines()[0] == b"?wg\t?instrument"
    assert main(kg(store_dir, "query", str(query_file), "--format", "xml")) == 0
    assert b"<sparql" in capsysbinary.readouterr().out


def test_construct_gives_turtle_by_default_and_other_rdf_formats(
    store_dir, established, capsysbinary
):
    assert main(kg(store_dir, "query", CONSTRUCT)) == 0
    turtle = capsysbinary.readouterr().out
    assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == established
    for fmt, rdf_format in [
        ("ntriples", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("rdfxml", ox.RdfFormat.RDF_XML),
    ]:
        assert main(kg(store_dir, "query", CONSTRUCT, "--format", fmt)) == 0
        assert len(list(ox.parse(capsysbinary.readouterr().out, format=rdf_format))) == established


def test_ask_prints_true_or_false(store_dir, capsys):
    assert (
        main(kg(store_dir, "query", "ASK { ?s a <https://w3id.org/untoc/ontology#Meeting> }")) == 0
    )
    assert capsys.readouterr().out == "true\n"


def test_query_errors_are_readable(store_dir, tmp_path, capsys):
    assert main(kg(store_dir, "query", "SELECT ?s WHERE { ?s ")) == 1
    assert "kg query: error: malformed query: " in capsys.readouterr().err
    assert main(kg(store_dir, "query", CONSTRUCT, "--format", "csv")) == 2
    assert "does not fit a CONSTRUCT" in capsys.readouterr().err
    assert main(kg(store_dir, "query", str(tmp_path / "missing.rq"))) == 1
    assert "cannot read" in capsys.readouterr().err
    assert main(kg(tmp_path / "no-store", "query", "ASK {}")) == 1
    assert "run `kg load` first" in capsys.readouterr().err


def test_query_obeys_the_federation_allow_list(store_dir, capsys):
    from peers import Canary

    canary = Canary().start()
    try:
        query = f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}"
        assert main(kg(store_dir, "query", query)) == 1
        assert canary.hits == []
    finally:
        canary.stop()
    assert "allow-list" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(store_dir, capsys):
    with pytest.raises(SystemExit) as caught:
        main(kg(store_dir, "query", "ASK {}", "--format", "yaml"))
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    "fmt, rdf_format",
    [
        ("trig", ox.RdfFormat.TRIG),
        ("nquads", ox.RdfFormat.N_QUADS),
        ("jsonld", ox.RdfFormat.JSON_LD),
        ("turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_export_round_trips(store_dir, tmp_path, capsys, fmt, rdf_format):
    out = tmp_path / f"export.{fmt}"
    assert main(kg(store_dir, "export", "--format", fmt, "-o", str(out))) == 0
    assert "written to" in capsys.readouterr().out
    quads = list(ox.parse(path=str(out), format=rdf_format))
    store = ox.Store.read_only(str(store_dir))
    if fmt == "turtle":  # the union of the graphs, as triples
        assert {q.triple for q in quads} == {q.triple for q in store}
    else:
        assert set(quads) == set(store)


def test_export_one_graph_to_stdout(store_dir, capsysbinary):
    graph = "https://w3id.org/untoc/graph/cop12-subsidiary-bodies-note"
    assert main(kg(store_dir, "export", "--format", "nquads", "--graph", graph)) == 0
    quads = list(ox.parse(capsysbinary.readouterr().out, format=ox.RdfFormat.N_QUADS))
    store = ox.Store.read_only(str(store_dir))
    expected = {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
    assert quads and {q.triple for q in quads} == expected
    assert main(kg(store_dir, "export", "--graph", "https://example.org/none")) == 1


@pytest.mark.parametrize(
    "fmt, rdf_format",
    [("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
     ("jsonld", ox.RdfFormat.JSON_LD)],
)  # fmt: skip
def test_export_of_one_graph_in_a_quad_format_keeps_its_name(
    store_dir, tmp_path, capsys, fmt, rdf_format
):
    """So that `kg load` of the file replaces that graph instead of adding one named after
    the file."""
    graph = ox.NamedNode("https://w3id.org/untoc/graph/cop12-subsidiary-bodies-note")
    out = tmp_path / f"saved.{fmt}"
    assert main(kg(store_dir, "export", "--format", fmt, "--graph", graph.value,
                   "-o", str(out))) == 0  # fmt: skip
    quads = set(ox.parse(path=str(out), format=rdf_format))
    store = ox.Store.read_only(str(store_dir))
    assert quads and quads == set(store.quads_for_pattern(None, None, None, graph))


def test_validate_reports_without_loading(store_dir, bad_dir, capsys):
    before = tree_hashes(store_dir)
    assert main(kg(store_dir, "validate")) == 0
    assert capsys.readouterr().out.startswith("Conforms")
    assert main(kg(store_dir, "validate", str(bad_dir / "cyrillic.ttl"))) == 1
    out = capsys.readouterr().out
    assert out.startswith("Violation: <https://w3id.org/untoc/id/document/ctoc-cop-2024-1-ru>")
    assert "(UN document symbol)" in out and "СТОС/СОР/2024/1" in out
    assert main(kg(store_dir, "validate", str(bad_dir / "broken.ttl"))) == 1
    assert f"{bad_dir / 'broken.ttl'}:3:" in capsys.readouterr().err
    assert tree_hashes(store_dir) == before


def test_failed_kg_load_leaves_the_store_byte_for_byte_unchanged(tmp_path, bad_dir):
    """The real console script, as a user runs it."""
    store = tmp_path / "store"
    env_cwd = {"cwd": PROJECT_ROOT, "capture_output": True, "text": True, "timeout": 120}
    loaded = subprocess.run([str(KG), "--store", str(store), "load"], **env_cwd)
    assert loaded.returncode == 0, loaded.stderr
    assert "validated and loaded" in loaded.stdout
    before = tree_hashes(store)

    broken = subprocess.run(
        [
            str(KG),
            "--store",
            str(store),
            "load",
            "ontology",
            "shapes",
            "data",
            str(bad_dir / "broken.ttl"),
        ],
        **env_cwd,
    )
    assert broken.returncode == 1
    assert f"{bad_dir / 'broken.ttl'}:3:" in broken.stderr
    assert "nothing loaded" in broken.stderr
    assert tree_hashes(store) == before

    violating = subprocess.run(
        [str(KG), "--store", str(store), "load", str(bad_dir / "cyrillic.ttl")], **env_cwd
    )
    assert violating.returncode == 1
    assert (
        "Violation: <https://w3id.org/untoc/id/document/ctoc-cop-2024-1-ru> (UN document symbol)"
        in (violating.stderr)
    )
    assert tree_hashes(store) == before

    count = subprocess.run(
        [
            str(KG),
            "--store",
            str(store),
            "query",
            "--format",
            "csv",
            COUNT_REPORTS,
        ],
        **env_cwd,
    )
    assert count.returncode == 0
    curated = reports_in(read_sources(Config().source_dirs, BASE).graphs)
    assert count.stdout.splitlines() == ["n", str(curated)]
    assert tree_hashes(store) == before


def test_load_into_a_store_in_use_says_so(store_dir, tmp_path):
    """While `kg serve` holds the store, `kg load` and `kg ingest --load` say why they
    cannot write (RocksDB's own message is about a LOCK file), with no traceback."""
    store = tmp_path / "store"
    shutil.copytree(store_dir, store)
    holder = ox.Store(str(store))  # a writer, as `kg serve` is
    run = {"cwd": PROJECT_ROOT, "capture_output": True, "text": True, "timeout": 120}
    for command in (["load"], ["ingest", str(SOURCE_NOTE), "--load"]):
        done = subprocess.run([str(KG), "--store", str(store), *command], **run)
        assert done.returncode == 1
        assert "in use by another process (a running `kg serve`?)" in done.stderr
        assert "Traceback" not in done.stderr
    del holder


def test_a_reader_that_stops_early_gets_no_traceback(store_dir):
    """`kg ingest ... --diff --verbose | head -1`: the pipe closes under the printing."""
    command = [str(KG), "--store", str(store_dir), "ingest", str(SOURCE_NOTE), "--diff",
               "--verbose"]  # fmt: skip
    with subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as kg_ingest:  # fmt: skip
        assert kg_ingest.stdout.readline().startswith(b"kg ingest:")
        kg_ingest.stdout.close()
        stderr = kg_ingest.stderr.read().decode()
        assert kg_ingest.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "Broken pipe" not in stderr
