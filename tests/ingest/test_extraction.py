"""The Russian source note reproduces the curated facts; the English fixture gives the same.

Recall and precision are measured on what `extract` reads from the text alone: no store, no
curated data (only the built-in names of the working groups), and before `kg ingest` carries
the curators' other facts over into the candidate (candidate.prepare)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE, SOURCE_NOTE
from ingest_facts import FACT_TYPES, facts, recall_precision, store_of

from graph_service.ingest import extract
from graph_service.ingest.diff import NOT_EXTRACTED
from graph_service.ingest.reference import builtin

ENGLISH_NOTE = Path(__file__).parent / "fixtures" / "cop12-subsidiary-bodies-note.en.md"
GRAPH = f"{BASE}graph/cop12-subsidiary-bodies-note"


@pytest.fixture(scope="module")
def reference():
    return builtin()


@pytest.fixture(scope="module")
def russian(reference):
    return extract(SOURCE_NOTE, "ru", BASE, reference)


@pytest.fixture(scope="module")
def english(reference):
    return extract(ENGLISH_NOTE, "en", BASE, reference)


def test_key_and_graph_come_from_the_file_name(russian, english):
    assert russian.graph.value == GRAPH
    assert english.graph.value == GRAPH
    assert russian.document.value == f"{BASE}id/document/cop12-subsidiary-bodies-note"


@pytest.mark.parametrize("fact_type", FACT_TYPES)
def test_russian_note_reproduces_the_curated_facts(loaded_store, russian, fact_type):
    curated = facts(loaded_store, GRAPH, fact_type)
    found = facts(store_of(russian.triples, GRAPH), GRAPH, fact_type)
    assert curated, f"the curated graph has no {fact_type}"
    recall, precision = recall_precision(curated, found)
    assert (recall, precision) == (1.0, 1.0), (
        f"{fact_type}: missing {sorted(curated - found)}, extra {sorted(found - curated)}"
    )


@pytest.mark.parametrize("fact_type", FACT_TYPES)
def test_english_version_gives_the_same_facts(russian, english, fact_type):
    from_russian = facts(store_of(russian.triples, GRAPH), GRAPH, fact_type)
    from_english = facts(store_of(english.triples, GRAPH), GRAPH, fact_type)
    assert from_russian and from_english == from_russian


def test_every_fact_about_a_meeting_cites_its_paragraph(russian):
    meeting = f"{BASE}id/meeting/wg-ic-14"
    sources = {
        t.object.value
        for t in russian.triples
        if t.subject.value == meeting and t.predicate.value.endswith("/source")
    }
    doc = f"{BASE}id/document/cop12-subsidiary-bodies-note"
    assert sources == {f"{doc}#para-12", f"{doc}#section-4"}


def test_parts_keep_the_printed_text(russian):
    para12 = f"{BASE}id/document/cop12-subsidiary-bodies-note#para-12"
    (text,) = [
        t.object
        for t in russian.triples
        if t.subject.value == para12 and t.predicate.value.endswith("#value")
    ]
    assert text.language == "ru"
    assert "СТОС/СОР/WG.3/2023/4" in text.value  # look-alike letters left as printed


def test_symbols_are_latin_in_the_graph(russian):
    symbols = [t.object.value for t in russian.triples if t.predicate.value.endswith("Symbol")]
    assert symbols and all(s.isascii() for s in symbols)
    assert "CTOC/COP/WG.7/2023/5" in symbols  # was a Markdown link, [СТОС/COP/WG.7/2023/5](#)


def test_header_facts(russian, english):
    for extraction in (russian, english):
        by_predicate = {
            t.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: t.object.value
            for t in extraction.triples
            if t.subject == extraction.document
        }
        assert by_predicate["issued"] == "2024-07-04"
        assert by_predicate["originalLanguage"].endswith("/en")
        assert by_predicate["submittedTo"] == f"{BASE}id/session/cop-12"
    session = f"{BASE}id/session/cop-12"
    dates = {
        t.predicate.value.rsplit("/", 1)[-1]: t.object.value
        for t in english.triples
        if t.subject.value == session and "Date" in t.predicate.value
    }
    assert dates == {"startDate": "2024-10-14", "endDate": "2024-10-18"}


def test_nothing_curated_is_in_the_extraction(russian, english):
    """Alternative names, official names, descriptions, comments and external links are the
    curators'; the extraction itself has none of them (labels it generates are its own)."""
    curated_only = {p for p in NOT_EXTRACTED if not p.value.endswith("#label")}
    for extraction in (russian, english):
        assert not [t for t in extraction.triples if t.predicate in curated_only]


def test_quoted_instrument_titles(russian, english):
    decision = f"{BASE}id/decision/cop-4-4"
    titles = {
        (t.object.value, t.object.language)
        for extraction in (russian, english)
        for t in extraction.triples
        if t.subject.value == decision and t.predicate.value.endswith("/title")
    }
    assert titles == {("Торговля людьми", "ru"), ("Trafficking in human beings", "en")}


def test_header_text_ends_with_the_kind_of_document(russian, english):
    kinds = ((russian, "Записка Секретариата"), (english, "Note by the Secretariat"))
    for extraction, kind in kinds:
        header = f"{extraction.document.value}#header"
        (text,) = [
            t.object.value
            for t in extraction.triples
            if t.subject.value == header and t.predicate.value.endswith("#value")
        ]
        assert text.splitlines()[-1] == kind
