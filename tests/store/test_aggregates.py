"""store/aggregates.py: whole-store values computed off the request path, kept per store
revision in a database that every process sharing the store reads. Behaviour only: no
timing is asserted (a computation is made slow by making it wait for an event)."""

from __future__ import annotations

import threading

import pytest

from graph_service.store import Store
from graph_service.store import aggregates as aggregates_module
from graph_service.store.aggregates import Aggregates, NotReady, Result
from graph_service.store.store import mark_changed, read_revision

INSERT = "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> %s } }"


def open_beside_writer(path) -> Store:
    """A read-only handle next to a writer: RocksDB may be removing a file the handle is
    opening (a flush or compaction of the writer), then opening again succeeds."""
    for _ in range(20):
        try:
            return Store.read_only(path)
        except RuntimeError as error:
            if "No such file" not in str(error):
                raise
    return Store.read_only(path)


def triples(store: Store) -> Result:
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return Result(int(next(iter(rows))["n"].value))


def test_a_value_is_kept_per_revision_and_recomputed_after_a_change():
    store = Store(None)
    store.update(INSERT % "1")
    aggregates = Aggregates(store, wait=30)
    calls = []
    aggregates.define("triples", lambda s: calls.append(1) or triples(s))
    first = aggregates.get("triples")
    assert (first.value, first.current) == (1, True)
    assert aggregates.get("triples").id == first.id and len(calls) == 1  # kept
    store.update(INSERT % "2")
    second = aggregates.get("triples")
    assert (second.value, second.current, len(calls)) == (2, True, 2)


def test_a_slow_aggregate_blocks_no_other_request():
    store = Store(None)
    store.update(INSERT % "1")
    aggregates = Aggregates(store, wait=0.05)
    release = threading.Event()
    aggregates.define("slow", lambda s: release.wait(30) and Result("slow"))
    aggregates.define("fast", lambda s: Result("fast"))
    aggregates.wait = 0.05
    with pytest.raises(NotReady) as refused:
        aggregates.get("slow")  # no value yet: a bounded wait, then "not ready"
    assert refused.value.retry_after > 0
    aggregates.wait = 30
    assert aggregates.get("fast").value == "fast"  # while "slow" is still being computed
    release.set()
    assert aggregates.settle(30)
    assert aggregates.get("slow").value == "slow"


def test_the_previous_value_is_served_while_a_long_computation_runs():
    store = Store(None)
    store.update(INSERT % "1")
    aggregates = Aggregates(store, wait=30)
    release = threading.Event()
    release.set()

    def count(s: Store) -> Result:
        release.wait(30)
        return triples(s)

    aggregates.define("triples", count)
    assert aggregates.get("triples").value == 1
    aggregates.wait = -1.0  # the last computation "took longer" than requests may wait
    release.clear()
    store.update(INSERT % "2")
    stale = aggregates.get("triples")
    assert (stale.value, stale.current) == (1, False)
    release.set()
    assert aggregates.settle(30)
    assert (aggregates.get("triples").value, aggregates.get("triples").current) == (2, True)


def test_a_failed_computation_is_reported_not_retried_at_once():
    store = Store(None)
    aggregates = Aggregates(store, wait=30)
    calls = []

    def broken(_store):
        calls.append(1)
        raise RuntimeError("no such thing")

    aggregates.define("broken", broken)
    with pytest.raises(NotReady, match="no such thing"):
        aggregates.get("broken")
    with pytest.raises(NotReady):
        aggregates.get("broken")
    assert len(calls) == 1


def test_rows_by_range_and_prefix_and_unknown_names():
    store = Store(None)
    aggregates = Aggregates(store, wait=30)
    keys = [f"id/item/{n:03d}" for n in range(30)]
    aggregates.define("keys", lambda s: Result(len(keys), keys))
    found = aggregates.get("keys")
    assert found.rows == 30
    assert aggregates.rows(found, 10, 13) == keys[10:13]
    assert aggregates.rows(found, 28, 100) == keys[28:]
    assert aggregates.rows_starting(found, "id/item/01", 5) == keys[10:15]
    with pytest.raises(KeyError):
        aggregates.get("nothing")


def test_search_finds_substrings_in_every_script():
    store = Store(None)
    aggregates = Aggregates(store, wait=30)
    labels = [
        ("id/place/geneva", "Geneva\nЖенева\n日内瓦"),
        ("id/place/vienna", "Vienna\nВена\n维也纳\nفيينا"),
        ("id/place/vienne", "Vienne"),
    ]
    aggregates.define("labels", lambda s: Result(None, labels), searchable=True)
    found = aggregates.get("labels")
    assert aggregates.search(found, "ВЕН", 10) == ["id/place/vienna"]  # case-insensitive
    assert aggregates.search(found, "也纳", 10) == ["id/place/vienna"]  # two characters
    assert aggregates.search(found, "日内瓦", 10) == ["id/place/geneva"]
    assert aggregates.search(found, "فيين", 10) == ["id/place/vienna"]
    assert aggregates.search(found, "vienn", 10) == ["id/place/vienna", "id/place/vienne"]
    assert aggregates.search(found, "vienn", 1, offset=1) == ["id/place/vienne"]
    assert aggregates.search(found, 'a"b', 10) == []  # quotes are text, not syntax


def test_one_or_two_characters_are_found_through_the_trigrams_that_hold_them(monkeypatch):
    """A needle too short for the trigram index is looked up among the index's trigrams
    (every place it occurs in one), so a rare pair does not scan every row; a text of one
    or two characters is found too; a common needle is found by the scan."""
    store = Store(None)
    aggregates = Aggregates(store, wait=30)
    labels = [(f"id/item/{n:04d}", f"item {n:04d}") for n in range(2000)]
    labels += [("id/symbol/eu", "EU"), ("id/word/quartz", "Quartz\nКварц"), ("id/x/z", "z")]
    aggregates.define("labels", lambda s: Result(None, labels), searchable=True)
    found = aggregates.get("labels")
    scans = []
    monkeypatch.setattr(aggregates_module, "SHORT_NEEDLE_TERMS", 400)
    with aggregates._connection() as connection:  # this thread's, used by every search
        connection.set_trace_callback(scans.append)
    assert aggregates.search(found, "eu", 10) == ["id/symbol/eu"]
    assert aggregates.search(found, "QZ", 10) == []
    assert aggregates.search(found, "tz", 10) == ["id/word/quartz"]
    assert aggregates.search(found, "ва", 10) == ["id/word/quartz"]
    assert aggregates.search(found, "z", 10) == ["id/word/quartz", "id/x/z"]
    assert not any("instr(text" in sql for sql in scans)
    assert aggregates.search(found, "it", 3) == ["id/item/0000", "id/item/0001", "id/item/0002"]
    monkeypatch.setattr(aggregates_module, "SHORT_NEEDLE_TERMS", 2)  # "1" is in many
    assert aggregates.search(found, "1", 2) == ["id/item/0001", "id/item/0010"]
    assert any("instr(text" in sql for sql in scans)


def test_processes_sharing_a_store_share_its_aggregates(tmp_path):
    """Two handles on one on-disk store (as two serving processes would have): what one
    computed, the other reads, for the same revision; a change makes both recompute."""
    path = tmp_path / "store"
    writer = Store(path)
    writer.update(INSERT % "1")
    writer.flush()
    calls = []

    def define(aggregates: Aggregates) -> Aggregates:
        aggregates.define("triples", lambda s: calls.append(1) or triples(s))
        return aggregates

    first = define(Aggregates(writer, wait=30))
    assert first.get("triples").value == 1
    reader = open_beside_writer(path)
    assert reader.revision == writer.revision
    second = define(Aggregates(reader, wait=30))
    assert second.get("triples").value == 1 and len(calls) == 1
    assert (path.parent / "store.aggregates").is_dir()
    writer.update(INSERT % "2")
    writer.flush()
    assert first.get("triples").value == 2 and len(calls) == 2


def test_the_revision_lasts_across_reopening_and_changes_with_writes(tmp_path):
    path = tmp_path / "store"
    store = Store(path)
    opened = store.revision
    assert read_revision(path) == opened
    store.update(INSERT % "1")
    changed = store.revision
    assert changed != opened and read_revision(path) == changed
    del store
    assert Store.read_only(path).revision == changed  # a restart keeps it
    assert mark_changed(path) != changed  # what `kg load` does after its swap
    assert Store(None).revision != Store(None).revision


def test_rows_read_slowly_from_the_store_hold_no_other_aggregate_back(tmp_path):
    """The rows of one aggregate are read before its write transaction opens: another
    aggregate's value is saved while the first still reads (before, it waited past the
    database's timeout and failed with 'database is locked')."""
    store = Store(None)
    store.update(INSERT % "1")
    aggregates = Aggregates(store, wait=30, folder=tmp_path)
    release = threading.Event()

    def slow_rows():
        yield "first"
        release.wait(120)
        yield "second"

    aggregates.define("slow", lambda s: Result("slow", slow_rows()))
    aggregates.define("fast", lambda s: Result("fast", ["a", "b"]))
    aggregates.wait = 0.05
    with pytest.raises(NotReady):
        aggregates.get("slow")
    aggregates.wait = 20
    fast = aggregates.get("fast")  # saved while "slow" is still reading its rows
    assert (fast.value, fast.rows, release.is_set()) == ("fast", 2, False)
    release.set()
    assert aggregates.settle(30)
    slow = aggregates.get("slow")
    assert aggregates.rows(slow, 0, 10) == ["first", "second"]


def test_the_heap_an_aggregate_took_is_given_back_after_it(monkeypatch):
    """glibc keeps freed memory in its arenas; after each computation the process asks it to
    give it back (at 1M triples: 715 MB of serving processes once the aggregates were
    computed, 449 MB with it). Failed computations too. It runs once the waiting requests
    are released, so it is awaited here."""
    released = threading.Semaphore(0)
    monkeypatch.setattr(aggregates_module, "release_freed_memory", released.release)
    store = Store(None)
    store.update(INSERT % "1")
    aggregates = Aggregates(store, wait=30)
    aggregates.define("triples", triples)
    aggregates.define("broken", lambda s: 1 / 0)
    assert aggregates.get("triples").value == 1
    assert released.acquire(timeout=30)
    with pytest.raises(NotReady):
        aggregates.get("broken")
    assert released.acquire(timeout=30)
    assert not released.acquire(blocking=False)  # once per computation
