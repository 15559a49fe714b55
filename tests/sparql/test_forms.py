"""A misspelt query form is named as such, not as the parser's guess."""

from __future__ import annotations

import pytest

from graph_service.sparql.errors import QuerySyntaxError
from graph_service.sparql.forms import check_form, diagnose


@pytest.mark.parametrize(
    "text, where",
    [
        ("SELEC ?s WHERE { ?s ?p ?o }", "line 1, column 1, 'SELEC'"),
        ("PREFIX x: <http://x/>\n  CONSTRCT { ?s ?p ?o } {}", "line 2, column 3, 'CONSTRCT'"),
        ("BASE <http://x/> # a comment\nDESCRIBR <x:y>", "line 2, column 1, 'DESCRIBR'"),
    ],
)
def test_a_misspelt_query_form_is_named_with_its_place(text, where):
    with pytest.raises(QuerySyntaxError, match=where):
        check_form(text, "query")


@pytest.mark.parametrize("text", ["select * {}", "ASK{}", "ASKWHERE {}", "# c\nDESCRIBE <x:y>"])
def test_every_query_form_passes(text):
    check_form(text, "query")


def test_updates_have_their_own_operations():
    check_form("PREFIX : <x:> clear all", "update")
    check_form("", "update")  # an empty update is valid and does nothing
    with pytest.raises(QuerySyntaxError, match="'INSRT' is not an update operation"):
        check_form("INSRT DATA {}", "update")


def test_other_errors_keep_the_engines_message():
    error = SyntaxError("error at 1:19: expected one of LATERAL, SERVICE, [_]")
    message = str(diagnose("SELECT * { ?s ?p }", "query", error))
    assert message == "malformed query: error at 1:19: expected one of LATERAL, SERVICE, [_]"


def test_the_endpoint_names_the_misspelt_form(client):
    response = client.get("/sparql", query_string={"query": "SELEC ?s WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "'SELEC' is not a query form" in response.get_data(as_text=True)
