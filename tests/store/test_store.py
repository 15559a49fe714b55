"""The Store: the one place that knows RocksDB, exports with the prefix table."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import BASE

from graph_service import formats
from graph_service.store import Store, StoreMissing

NOTE = f"{BASE}graph/cop12-subsidiary-bodies-note"


def test_turtle_and_trig_exports_declare_the_prefixes(loaded_store):
    turtle = loaded_store.export(formats.TURTLE).decode()
    trig = loaded_store.export(formats.TRIG).decode()
    for text in (turtle, trig):
        assert "@prefix untoc: <https://w3id.org/untoc/ontology#> ." in text
        assert "untoc:WorkingGroup" in text
    assert f"<{NOTE}> {{" in trig or "GRAPH" in trig


def test_a_graph_in_a_dataset_format_keeps_its_name(loaded_store):
    quads = list(ox.parse(loaded_store.export(formats.NQUADS, NOTE), format=ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name.value for q in quads} == {NOTE}
    triples = loaded_store.export(formats.NTRIPLES, NOTE)
    assert len(list(ox.parse(triples, format=ox.RdfFormat.N_TRIPLES))) == len(quads)


def test_the_union_in_a_triple_format_has_each_triple_once():
    store = Store(None)
    triple = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o"))
    store.replace_graphs({"http://x/g1": [triple], "http://x/g2": [triple]})
    assert store.export(formats.NTRIPLES).decode().count("http://x/s") == 1


def test_a_missing_store_is_named(tmp_path):
    assert not Store.exists_at(tmp_path / "none")
    with pytest.raises(StoreMissing, match="run `kg load` first"):
        Store.open_for_reading(tmp_path / "none")
    assert not (tmp_path / "none").exists()  # looking made no folder


def test_state_changes_with_every_write_and_stats_follow():
    store = Store(None)
    before, counted = store.state, store.stats()["triples"]
    store.update("INSERT DATA { GRAPH <http://x/g> { <http://x/s> <http://x/p> 1 } }")
    assert store.state != before
    assert store.stats()["triples"] == counted + 1
