"""`kg ingest` end to end on an on-disk store: --diff, --out, --load, conflicts, bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import BASE, SOURCE_NOTE

from graph_service.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
ENGLISH_NOTE = FIXTURES / "cop12-subsidiary-bodies-note.en.md"
GRAPH = f"{BASE}graph/cop12-subsidiary-bodies-note"


@pytest.fixture(scope="module")
def curated_store(tmp_path_factory) -> Path:
    """Loaded by a separate `kg load` process, so that no writer is left open in this one."""
    path = tmp_path_factory.mktemp("kg") / "store"
    command = [sys.executable, "-m", "graph_service", "--store", str(path), "load"]
    subprocess.run(command, check=True, capture_output=True)
    return path


@pytest.fixture()
def store(curated_store, tmp_path) -> Path:
    """A private copy of the loaded store, for tests that write."""
    copy = tmp_path / "store"
    shutil.copytree(curated_store, copy)
    return copy


def dump(path: Path) -> set:
    return set(ox.Store.read_only(str(path)))


def variant(tmp_path: Path, source: Path, name: str, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_of_the_source_note_has_nothing_missing_or_conflicting(curated_store, capsys):
    code, out, _ = run(capsys, "--store", curated_store, "ingest", SOURCE_NOTE, "--diff")
    assert code == 0
    assert "0 conflicting, 0 missing" in out
    assert " 0 matching" not in out


def test_out_writes_the_candidate_graph(curated_store, tmp_path, capsys):
    out_file = tmp_path / "candidate.trig"
    code, _, _ = run(capsys, "--store", curated_store, "ingest", SOURCE_NOTE, "--out", out_file)
    assert code == 0
    quads = list(ox.parse(path=str(out_file), format=ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in quads} == {GRAPH}
    symbols = {q.object.value for q in quads if q.predicate.value.endswith("documentSymbol")}
    assert "CTOC/COP/WG.3/2023/4" in symbols


def test_a_conflict_is_reported_and_not_loaded_without_force(store, tmp_path, capsys):
    changed = variant(
        tmp_path, SOURCE_NOTE, "cop12-subsidiary-bodies-note.ru.md",
        "тринадцатое совещание 2 и 3 октября 2023", "тринадцатое совещание 2 и 4 октября 2023",
    )  # fmt: skip
    before = dump(store)
    code, out, err = run(capsys, "--store", store, "ingest", changed, "--diff", "--load")
    assert code == 3
    assert "2 conflicting" in out and "2023-10-03" in out and "2023-10-04" in out
    assert "conflicting" in err and dump(store) == before
    code, _, _ = run(capsys, "--store", store, "ingest", changed, "--load", "--force")
    assert code == 0
    end = ox.NamedNode("https://schema.org/endDate")
    meeting = ox.NamedNode(f"{BASE}id/meeting/wg-tip-13")
    ends = {q.object.value for q in ox.Store.read_only(str(store)).quads_for_pattern(
        meeting, end, None, None)}  # fmt: skip
    assert ends == {"2023-10-04"}


def test_loading_the_same_note_again_changes_nothing_it_extracts(store, capsys):
    code, _, _ = run(capsys, "--store", store, "ingest", SOURCE_NOTE, "--load")
    assert code == 0
    code, out, _ = run(capsys, "--store", store, "ingest", SOURCE_NOTE, "--diff")
    assert "0 new" in out and "0 conflicting, 0 missing" in out


def test_a_new_working_group_gets_a_new_key_and_the_shapes_say_what_it_lacks(
    curated_store, tmp_path, capsys
):
    """A body the store does not know is proposed as id/body/wg-asset-recovery; the English
    note gives it no Russian label, so the shapes refuse to write it until a curator adds one.
    That the note does not say which instrument established the group is not refused: it is a
    gap the competency question working-groups-without-establishing-instrument lists
    (docs/decisions/0041-other-subsidiary-bodies.md)."""
    path = FIXTURES / "unknown-body.en.md"
    out_file = tmp_path / "candidate.trig"
    code, _, err = run(capsys, "--store", curated_store, "ingest", path, "--out", out_file)
    assert code == 1  # bad input, as for every command (docs/cli.md, exit codes)
    assert "id/body/wg-asset-recovery> (Russian label)" in err
    assert "id/meeting/wg-asset-recovery-1> (Russian label)" in err
    assert "establishing instrument" not in err
    assert not out_file.exists()


def test_a_new_note_about_known_bodies_loads_as_docs_ingesting_says(store, tmp_path, capsys):
    """docs/ingesting.md, "Adding a new document": a later note on known working groups
    needs no curator: the note gets generated labels, and restating the ordinal of a
    session the store knows (7, of resolution 7/1) is no second ordinal."""
    path = FIXTURES / "cop13-subsidiary-bodies-note.en.md"
    code, out, err = run(capsys, "--store", store, "ingest", path, "--load")
    assert (code, err) == (0, "")
    assert "graph/cop13-subsidiary-bodies-note" in out
    loaded = ox.Store.read_only(str(store))
    note = ox.NamedNode(f"{BASE}id/document/cop13-subsidiary-bodies-note")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    labels = {q.object.value for q in loaded.quads_for_pattern(note, label, None, None)}
    assert labels == {
        "note by the Secretariat to the thirteenth session of the Conference of the Parties",
        "записка Секретариата к тринадцатой сессии Конференции участников",
    }
    report_of = ox.NamedNode("https://w3id.org/untoc/ontology#reportOf")
    report = ox.NamedNode(f"{BASE}id/document/ctoc-cop-wg.4-2026-5")
    meetings = {q.object.value for q in loaded.quads_for_pattern(report, report_of, None, None)}
    assert meetings == {f"{BASE}id/meeting/wg-tip-16"}


MALFORMED = [
    # (file to change, old, new, what the report must say)
    (SOURCE_NOTE, "тринадцатое совещание 2 и 3 октября 2023 года",
     "тринадцатое совещание в октябре", "paragraph 3: no dates for the тринадцатое meeting"),
    (SOURCE_NOTE, "провела свое десятое совещание 5 и 6",
     "провела свое десятье совещание 5 и 6", "paragraph 6: meeting ordinal in an unknown form"),
    (SOURCE_NOTE, "СТОС/СОР/WG.3/2023/4", "СΤОС/СОР/WG.3/2023/4", "GREEK CAPITAL LETTER TAU"),
    (ENGLISH_NOTE, "its fifteenth meeting on 5 and 6 June 2024",
     "its fifteenth meeting in June", "paragraph 12: no dates for the fifteenth meeting"),
    (ENGLISH_NOTE, "its eleventh meeting on 3 and 4 April",
     "its eleventhh meeting on 3 and 4 April", "meeting ordinal in an unknown form: 'eleventhh'"),
    (ENGLISH_NOTE, "(CTOC/COP/WG.2/2023/4 and ",
     "(CTOC/COP/WG.2/2023/4 and CTOC/COP/WG.2/2022/1 and ",
     "paragraph 15: 3 report symbols but 2 meetings"),
    (ENGLISH_NOTE, "Twelfth session", "Twelvth session", "session ordinal in an unknown form"),
]  # fmt: skip


@pytest.mark.parametrize(("source", "old", "new", "message"), MALFORMED)
def test_malformed_input_is_reported_and_nothing_is_written(
    store, tmp_path, capsys, source, old, new, message
):
    bad = variant(tmp_path, source, source.name, old, new)
    out_file = tmp_path / "candidate.trig"
    before = dump(store)
    code, _, err = run(capsys, "--store", store, "ingest", bad, "--out", out_file, "--load")
    assert code == 1
    assert message in err
    assert new.split(" ")[0] in err or "text:" in err  # the paragraph's text is shown
    assert not out_file.exists()
    assert dump(store) == before


def test_a_file_without_numbered_paragraphs_is_refused(tmp_path, curated_store, capsys):
    empty = tmp_path / "empty.en.md"
    empty.write_text("Just a title\n\nand some text\n", encoding="utf-8")
    code, _, err = run(capsys, "--store", curated_store, "ingest", empty)
    assert code == 1 and "no numbered paragraphs" in err


def test_a_missing_file_is_named(curated_store, tmp_path, capsys):
    code, _, err = run(capsys, "--store", curated_store, "ingest", tmp_path / "none.ru.md")
    assert code == 1
    assert err == f"kg ingest: error: {tmp_path / 'none.ru.md'}: no such file\n"
