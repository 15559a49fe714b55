"""`kg coverage`: the text tables, JSON and CSV, on a small store whose gaps are known by
construction and on the curated data (expectations computed from the data by plain SPARQL)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from record_data import FIXTURE_BODIES, FIXTURE_TRIG, ID, expected_bodies

from graph_service.cli import main
from graph_service.store import Store
from graph_service.store.loading import swap_in


def on_disk(path: Path, fill) -> Path:
    store = Store(path)
    fill(store)
    store.flush()
    del store  # releases the RocksDB lock
    return path


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory) -> Path:
    return on_disk(
        tmp_path_factory.mktemp("coverage") / "store",
        lambda s: s.oxigraph.load(FIXTURE_TRIG.encode(), format=ox.RdfFormat.TRIG),
    )


@pytest.fixture(scope="module")
def curated_dir(tmp_path_factory, sources) -> Path:
    return on_disk(tmp_path_factory.mktemp("coverage") / "curated", lambda s: swap_in(s, sources))


def coverage_json(store_dir: Path, capsys, *extra: str) -> dict:
    assert main(["--store", str(store_dir), "coverage", "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_gives_the_gaps_of_the_fixture(fixture_dir, capsys):
    data = coverage_json(fixture_dir, capsys)
    found = {
        b["body"]: (
            b["known"],
            b["highest_number"],
            b["missing_numbers"],
            len(b["unnumbered_dated"]),
            len(b["undated"]),
        )
        for b in data["bodies"]
    }
    assert found == {
        body: (k, h, list(m), u, d) for body, (k, h, m, u, d) in FIXTURE_BODIES.items()
    }
    assert ID + "body/ga" not in found  # a body outside the Conference's system
    wg_a = next(b for b in data["bodies"] if b["body"] == ID + "body/wg-a")
    assert wg_a["missing"] == "1, 3-4"
    assert wg_a["unnumbered_dated"] == [ID + "meeting/wg-a-2003-07-01"]
    assert wg_a["undated"] == [ID + "meeting/wg-a-5"]
    assert data["subsidiary"] == {"bodies": 2, "known": 4, "dated": 3}
    joint = next(m for m in wg_a["meetings"] if m["iri"] == ID + "meeting/wg-a-2003-07-01")
    assert joint["joint_with"] == [ID + "meeting/wg-b-1"]


def test_json_gives_each_session_with_instruments_dates_and_report(fixture_dir, capsys):
    sessions = {s["ordinal"]: s for s in coverage_json(fixture_dir, capsys)["sessions"]}
    assert sorted(sessions) == [1, 2, 3, 4]
    assert sessions[3]["known"] is False and sessions[3]["session"] is None
    assert [i["identifier"] for i in sessions[1]["instruments"]] == ["1/1", "1/3"]
    assert sessions[1]["instrument_numbers_missing"] == {"decision": [2]}
    assert sessions[1]["dates"] == "known" and sessions[1]["report_symbols"] == []
    # The start date a source decision does not prefer is set aside, the preferred one kept.
    assert (sessions[2]["start"], sessions[2]["end"], sessions[2]["dates"]) == (
        "2002-04-01",
        None,
        "start only",
    )
    assert [(x["property"], x["value"]) for x in sessions[2]["set_aside"]] == [
        ("schema:startDate", "2002-04-09")
    ]
    assert sessions[4]["report_symbols"] == ["T/COP/2004/9"]


def test_labels_in_the_language_asked(fixture_dir, capsys):
    data = coverage_json(fixture_dir, capsys, "--lang", "ru")
    labels = {b["body"]: b["label"] for b in data["bodies"]}
    assert labels[ID + "body/wg-b"] == "Группа Б"
    data = coverage_json(fixture_dir, capsys, "--lang", "zh")
    labels = {b["body"]: b["label"] for b in data["bodies"]}
    assert labels[ID + "body/wg-b"] == "Group B"  # no Chinese label: English


def test_table_lists_every_body_and_session(fixture_dir, capsys):
    assert main(["--store", str(fixture_dir), "coverage"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    group_a = next(line for line in lines if line.startswith("Group A "))
    assert group_a.split() == [
        *("Group", "A", "meetings", "3", "2", "5", "1,", "3-4", "1", "0", "1")
    ]
    # Meetings of the Conference's subsidiary bodies: Group A's three and Group B's one.
    assert "All 2 subsidiary bodies: 4 meetings known, 3 of them dated" in out
    assert "3    not in the graph" in out
    assert "(set aside: 2002-04-09)" in out
    assert "T/COP/2004/9" in out
    assert "decisions 1/1 1/3" in out  # each kind named: decisions and resolutions share numbers


def test_csv_tables(fixture_dir, capsys):
    assert main(["--store", str(fixture_dir), "coverage", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_body = {r["body"]: r for r in rows}
    assert by_body[ID + "body/wg-a"]["missing"] == "1, 3-4"
    assert (by_body[ID + "body/wg-a"]["known"], by_body[ID + "body/wg-a"]["dated"]) == ("3", "2")
    assert by_body[ID + "body/cop"]["kind"] == "sessions"
    argv = ["--store", str(fixture_dir), "coverage", "--format", "csv", "--table", "sessions"]
    assert main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["ordinal"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["decision_numbers_missing"] == "2"
    assert rows[2]["dates"] == "not in the graph"


def test_curated_data_agrees_with_plain_sparql(curated_dir, sources, capsys):
    data = coverage_json(curated_dir, capsys)
    store = Store.open_for_reading(curated_dir)
    expected = expected_bodies(store)
    del store
    assert {b["body"] for b in data["bodies"]} == set(expected)
    for body in data["bodies"]:
        want = expected[body["body"]]
        assert body["known"] == want["known"], body["body"]
        if body["kind"] == "meetings":  # sessions: a source decision may set a date aside
            assert body["dated"] == want["dated"], body["body"]
        assert body["highest_number"] == want["highest"], body["body"]
        assert body["missing_numbers"] == want["missing"], body["body"]
        unnumbered = body["unnumbered_dated"] + body["unnumbered_undated"]
        assert sorted(unnumbered) == want["unnumbered"], body["body"]
    # Every number below the highest is either known or listed as missing.
    for body in data["bodies"]:
        numbers = {m["ordinal"] for m in body["meetings"] if m["ordinal"] is not None}
        highest = body["highest_number"] or 0
        assert numbers | set(body["missing_numbers"]) == set(range(1, highest + 1))


def test_curated_sessions_keep_only_retained_dates(curated_dir, capsys):
    """A session date that a source decision rejects is never reported as the session's."""
    data = coverage_json(curated_dir, capsys)
    for session in data["sessions"]:
        for item in session["set_aside"]:
            field = "start" if item["property"] == "schema:startDate" else "end"
            assert session[field] != item["value"], session["session"]


def test_missing_store_is_an_error(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "none"), "coverage"]) == 1
    assert "no store" in capsys.readouterr().err
