"""Competency questions: each tests/competency/NAME.rq, run against the loaded sources, must
give exactly the answer written by hand (from reading the source note) in NAME.srj.

Results are compared as multisets of rows, or as lists when the query has ORDER BY, and
literals exactly: ordinals are xsd:integer in the expected results, as the store returns them
(the sources write xsd:positiveInteger; docs/decisions/0003-ordinal-datatype.md).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph_service.store import Store
from graph_service.store.loading import swap_in

COMPETENCY = Path(__file__).parent / "competency"
QUERIES = sorted(COMPETENCY.glob("*.rq"))
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
TITLE = re.compile(r"^# title: \S.*$")
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
EXPECTED_NONE = "(expected: none)"


def literal_key(value: str, lang: str, datatype: str) -> tuple:
    if lang:
        return ("literal", value, lang.lower(), "")
    return ("literal", value, "", datatype)


def expected_term(term: dict | None) -> tuple | None:
    """A SPARQL JSON results term as a comparable tuple."""
    if term is None:
        return None
    if term["type"] == "uri":
        return ("uri", term["value"])
    if term["type"] == "bnode":
        return ("bnode",)
    return literal_key(term["value"], term.get("xml:lang", ""), term.get("datatype", XSD_STRING))


def actual_term(term) -> tuple | None:
    """A pyoxigraph term as the same comparable tuple."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    return literal_key(term.value, term.language or "", term.datatype.value)


def run(store: Store, query: str) -> tuple[list[str], list[tuple]]:
    solutions = store.query(query)
    variables = [v.value for v in solutions.variables]
    rows = [tuple(actual_term(solution[v]) for v in variables) for solution in solutions]
    return variables, rows


def expected_results(rq: Path) -> tuple[list[str], list[tuple]]:
    data = json.loads(rq.with_suffix(".srj").read_text(encoding="utf-8"))
    variables = data["head"]["vars"]
    rows = [
        tuple(expected_term(binding.get(v)) for v in variables)
        for binding in data["results"]["bindings"]
    ]
    return variables, rows


def title(rq: Path) -> str:
    return rq.read_text(encoding="utf-8").splitlines()[0]


def test_every_question_has_expected_results():
    assert len(QUERIES) >= 12
    expected = {p.stem for p in COMPETENCY.glob("*.srj")}
    assert {q.stem for q in QUERIES} == expected


@pytest.mark.parametrize("rq", QUERIES, ids=lambda p: p.stem)
def test_query_has_a_title(rq: Path):
    assert TITLE.match(title(rq)), f"{rq.name}: first line must be '# title: ...'"


@pytest.mark.parametrize("rq", QUERIES, ids=lambda p: p.stem)
def test_competency_question(rq: Path, loaded_store: Store):
    query = rq.read_text(encoding="utf-8")
    expected_vars, expected_rows = expected_results(rq)
    variables, rows = run(loaded_store, query)
    assert variables == expected_vars
    if ORDER_BY.search(query):
        assert rows == expected_rows
    else:
        assert Counter(rows) == Counter(expected_rows)


# The questions expected to find nothing must still find something when it is there:
# plant one offending entity per question in an otherwise identical store.
BAD = "https://w3id.org/untoc/id/"
PLANTED = {
    "report-symbol-year-differs": (
        f'<{BAD}document/planted> untoc:documentSymbol "CTOC/COP/WG.4/2022/5" ;'
        f" untoc:reportOf <{BAD}meeting/wg-tip-13> .",
        f"{BAD}document/planted",
    ),
    "ontology-terms-without-label-or-definition": (
        "untoc:PlantedClass <http://www.w3.org/2000/01/rdf-schema#isDefinedBy>"
        " <https://w3id.org/untoc/ontology> .",
        "https://w3id.org/untoc/ontology#PlantedClass",
    ),
    "symbols-not-latin": (
        f"<{BAD}document/planted-cyrillic> untoc:documentSymbol"
        ' "\u0421\u0422\u041e\u0421/COP/2024/1" .',
        f"{BAD}document/planted-cyrillic",
    ),
}


@pytest.fixture(scope="module")
def planted_store(sources) -> Store:
    store = Store(None)
    swap_in(store, sources)
    triples = "\n".join(triple for triple, _ in PLANTED.values())
    store.update(
        "PREFIX untoc: <https://w3id.org/untoc/ontology#>\n"
        f"INSERT DATA {{ GRAPH <https://w3id.org/untoc/graph/planted> {{ {triples} }} }}"
    )
    return store


def test_expected_none_questions_are_all_checked():
    expected_none = {q.stem for q in QUERIES if EXPECTED_NONE in title(q)}
    assert expected_none == set(PLANTED)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_expected_none_question_finds_a_planted_error(name: str, planted_store: Store):
    query = (COMPETENCY / f"{name}.rq").read_text(encoding="utf-8")
    variables, rows = run(planted_store, query)
    found = {term[1] for row in rows for term in row if term and term[0] == "uri"}
    assert PLANTED[name][1] in found
