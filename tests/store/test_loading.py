"""Loading is all or nothing: parse, validate, then swap in; a failure changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE
from support import BROKEN_TURTLE, COUNT_REPORTS, CYRILLIC_AGENDA, reports_in, tree_hashes

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.loading import ValidationFailed, load, load_on_disk
from graph_service.store.sources import SourceError, read_sources

NOTE_GRAPH = f"{BASE}graph/cop12-subsidiary-bodies-note"


CURATED_REPORTS = reports_in(read_sources(Config().source_dirs, BASE).graphs)


def report_count(store: Store) -> int:
    return int(next(iter(store.query(COUNT_REPORTS)))["n"].value)


@pytest.fixture()
def bad_files(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "candidate"
    folder.mkdir()
    broken = folder / "broken.ttl"
    broken.write_text(BROKEN_TURTLE, encoding="utf-8")
    cyrillic = folder / "cyrillic.ttl"
    cyrillic.write_text(CYRILLIC_AGENDA, encoding="utf-8")
    return {"broken": broken, "cyrillic": cyrillic}


def test_load_fills_an_empty_store():
    store = Store(None)
    sources = load(store, Config().source_dirs, Config())
    assert set(store.named_graphs()) == set(sources.graphs)
    assert f"{BASE}graph/ontology" in sources.graphs
    assert f"{BASE}graph/shapes" in sources.graphs
    assert report_count(store) == CURATED_REPORTS


def test_syntax_error_names_file_line_and_column(bad_files):
    with pytest.raises(SourceError) as caught:
        read_sources([bad_files["broken"]], BASE)
    assert str(caught.value).startswith(f"{bad_files['broken']}:3:")


def test_failed_loads_leave_the_memory_store_unchanged(bad_files):
    config = Config()
    store = Store(None)
    load(store, config.source_dirs, config)
    before = store.export()
    with pytest.raises(SourceError):
        load(store, [*config.source_dirs, bad_files["broken"]], config)
    with pytest.raises(ValidationFailed) as caught:
        load(store, [bad_files["cyrillic"]], config)
    (violation,) = caught.value.report.violations
    assert violation.focus_node == "<https://w3id.org/untoc/id/document/ctoc-cop-2024-1-ru>"
    assert violation.shape == "<https://w3id.org/untoc/shapes#DocumentSymbolPatternShape>"
    assert "СТОС" in violation.value
    assert store.export() == before


def test_a_partial_load_is_validated_with_the_graphs_already_loaded(tmp_path):
    """Replacing one graph alone: the ontology and other graphs come from the store."""
    config = Config()
    store = Store(None)
    load(store, config.source_dirs, config)
    note = next(p for p in Path("data").glob("*.trig") if p.stem in NOTE_GRAPH)
    copy = tmp_path / note.name
    copy.write_text(note.read_text(encoding="utf-8"), encoding="utf-8")
    sources = load(store, [copy], config)
    assert list(sources.graphs) == [NOTE_GRAPH]
    assert report_count(store) == CURATED_REPORTS


def test_failed_load_leaves_the_disk_store_byte_for_byte_unchanged(tmp_path, bad_files):
    config = Config()
    path = tmp_path / "store"
    load_on_disk(path, config.source_dirs, config)
    before = tree_hashes(path)
    assert before

    with pytest.raises(SourceError):
        load_on_disk(path, [*config.source_dirs, bad_files["broken"]], config)
    assert tree_hashes(path) == before

    with pytest.raises(ValidationFailed):
        load_on_disk(path, [bad_files["cyrillic"]], config)
    assert tree_hashes(path) == before

    store = Store.read_only(path)
    assert report_count(store) == CURATED_REPORTS
    assert tree_hashes(path) == before


RESTATED_ORDINAL = """@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/untoc/graph/restated> {
  <https://w3id.org/untoc/id/session/cop-7> untoc:ordinal "7"^^xsd:positiveInteger .
}
"""


def test_a_new_graph_may_restate_a_stored_ordinal_in_the_contract_datatype(tmp_path):
    """The store holds ordinals as xsd:integer (decisions/0003); the same value written
    xsd:positiveInteger in another graph is the same fact, not a second ordinal."""
    config = Config()
    store = Store(None)
    load(store, config.source_dirs, config)
    restated = tmp_path / "restated.trig"
    restated.write_text(RESTATED_ORDINAL, encoding="utf-8")
    load(store, [restated], config)
    assert f"{BASE}graph/restated" in store.named_graphs()
    other = tmp_path / "other.trig"
    other.write_text(
        RESTATED_ORDINAL.replace('"7"', '"8"').replace("restated", "other"), encoding="utf-8"
    )
    with pytest.raises(ValidationFailed, match="ordinal"):
        load(store, [other], config)


NEW_MEETING = """@prefix untoc: <https://w3id.org/untoc/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
<https://w3id.org/untoc/graph/extra> {
  <https://w3id.org/untoc/id/meeting/wg-tip-extra> a untoc:Meeting ;
    rdfs:label "an extra meeting"@en , "дополнительное совещание"@ru ;
    untoc:meetingOf <https://w3id.org/untoc/id/body/wg-tip> ;
    untoc:ordinal "ORDINAL"^^xsd:positiveInteger ;
    dcterms:source <https://w3id.org/untoc/id/document/cop12-subsidiary-bodies-note#para-3> .
}
"""


def staging_folders(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.")]


def test_a_small_load_into_a_disk_store_is_validated_incrementally(tmp_path):
    config = Config()
    path = tmp_path / "store"
    assert not load_on_disk(path, config.source_dirs, config).incremental
    extra = tmp_path / "extra.trig"
    extra.write_text(NEW_MEETING.replace("ORDINAL", "99"), encoding="utf-8")
    loaded = load_on_disk(path, [extra], config)
    assert loaded.incremental and loaded.graphs == {f"{BASE}graph/extra": 6}
    store = Store.read_only(path)
    assert f"{BASE}graph/extra" in store.named_graphs()
    assert report_count(store) == CURATED_REPORTS
    assert not staging_folders(path)


def test_incremental_validation_reports_the_stored_node_a_new_one_clashes_with(tmp_path):
    """A new meeting numbered like a stored one: both are reported, the stored one reached
    from the new triples through their body (OneEventPerOrdinalShape)."""
    config = Config()
    path = tmp_path / "store"
    load_on_disk(path, config.source_dirs, config)
    before = tree_hashes(path)
    extra = tmp_path / "extra.trig"
    extra.write_text(NEW_MEETING.replace("ORDINAL", "13"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_on_disk(path, [extra], config)
    focus = {v.focus_node for v in caught.value.report.violations}
    assert focus == {f"<{BASE}id/meeting/wg-tip-extra>", f"<{BASE}id/meeting/wg-tip-13>"}
    assert tree_hashes(path) == before
    assert not staging_folders(path)


def test_a_load_changing_the_shapes_is_validated_in_full(tmp_path):
    config = Config()
    path = tmp_path / "store"
    load_on_disk(path, config.source_dirs, config)
    loaded = load_on_disk(path, [config.shapes_dir], config)
    assert not loaded.incremental
    assert report_count(Store.read_only(path)) == CURATED_REPORTS


def test_a_failed_first_load_leaves_no_store_and_no_staging_folder(tmp_path, bad_files):
    """A fresh store is bulk loaded by another process while the files validate; a
    violation stops that process and removes its folder."""
    config = Config()
    path = tmp_path / "store"
    with pytest.raises(ValidationFailed):
        load_on_disk(path, [*config.source_dirs, bad_files["cyrillic"]], config)
    with pytest.raises(SourceError):
        load_on_disk(path, [*config.source_dirs, bad_files["broken"]], config)
    assert not path.exists()
    assert not staging_folders(path)
    loaded = load_on_disk(path, config.source_dirs, config)
    assert loaded.timings.keys() >= {"parse", "validate", "write", "swap"}
    assert report_count(Store.read_only(path)) == CURATED_REPORTS
