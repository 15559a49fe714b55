"""Read-only handles and compaction: a handle opened before the writer compacted the store
reads the new files, instead of collecting an error per lookup until memory runs out
(Store.stale; docs/decisions/0012)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox

from graph_service.store import Store
from graph_service.store.staging import Background, sst_files

QUERY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?t ?p ?o } GROUP BY ?p ORDER BY ?p"


def many_overlapping_files(path: Path, batches: int = 20) -> None:
    """A store as the bulk loader leaves it: batches of files whose keys overlap."""
    store = ox.Store(str(path))
    for batch in range(batches):
        quads = [
            ox.Quad(
                ox.NamedNode(f"http://x/s{i * 37 + batch}"),
                ox.NamedNode(f"http://x/p{i % 5}"),
                ox.Literal(f"v{i} {batch}"),
                ox.NamedNode(f"http://x/g{batch % 3}"),
            )
            for i in range(2000)
        ]
        store.bulk_extend(quads)
    store.flush()


# In a process of its own, with little memory: without the reopen, the query needs a file
# the compaction deleted, and its memory grows until the limit stops it.
READER = textwrap.dedent(
    """
    import resource, subprocess, sys
    resource.setrlimit(resource.RLIMIT_DATA, (400 * 2**20, 400 * 2**20))
    from graph_service.store import Store
    path, query = sys.argv[1], sys.argv[2]
    store = Store.read_only(path)
    compact = "import pyoxigraph as ox; ox.Store(sys.argv[1]).optimize()"
    subprocess.run([sys.executable, "-c", "import sys; " + compact, path], check=True)
    assert store.stale(), "the compaction changed the folder"
    rows = store.reading(lambda: list(store.query(query)))
    assert not store.stale()
    print(";".join(f"{r['p'].value}={r['n'].value}" for r in rows))
    """
)


def answer(store: ox.Store) -> str:
    rows = store.query(QUERY, use_default_graph_as_union=True)
    return ";".join(f"{r['p'].value}={r['n'].value}" for r in rows)


def test_a_handle_opened_before_a_compaction_reads_the_new_files(tmp_path):
    path = tmp_path / "store"
    many_overlapping_files(path)
    before = sst_files(path)
    done = subprocess.run(
        [sys.executable, "-c", READER, str(path), QUERY],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert before - sst_files(path), "the compaction deleted files the old handle knew"
    assert done.stdout.strip() == answer(ox.Store.read_only(str(path)))
    assert done.stdout.count("=") == 5


def test_a_follower_reopens_when_the_folder_changes_and_not_otherwise(tmp_path):
    path = tmp_path / "store"
    many_overlapping_files(path, batches=2)
    reader = Store.read_only(path)
    handle = reader.oxigraph
    assert not reader.stale() and not reader.reopen_if_stale()
    assert reader.oxigraph is handle
    writer = ox.Store(str(path))
    writer.add(ox.Quad(ox.NamedNode("http://x/new"), ox.NamedNode("http://x/p0"), ox.Literal("n")))
    writer.flush()  # a new file in the folder
    del writer
    assert reader.stale()
    assert reader.catch_up()  # no change counter: the folder alone says it changed
    assert reader.oxigraph is not handle and not reader.stale()
    assert len(reader.oxigraph) == 2 * 2000 + 1


def test_a_bulk_loaded_store_is_compacted_before_it_is_served(tmp_path):
    sources = []
    for batch in range(12):  # a bulk load per file: files of overlapping keys
        source = tmp_path / f"data-{batch}.nq"
        source.write_text(
            "".join(
                f'<http://x/s{i * 13 + batch}> <http://x/p{i % 7}> "v{i}" <http://x/g{i % 4}> .\n'
                for i in range(3000)
            )
        )
        sources.append(source)
    staging = Background(sources, "https://w3id.org/untoc/", tmp_path / "store").wait()
    path = staging.path
    assert path is not None
    files = sst_files(path)
    staging.close()
    writer = ox.Store(str(path))
    writer.optimize()  # nothing left to do: no file comes or goes
    del writer
    assert sst_files(path) == files
