"""The schema.org JSON-LD of a page gives the value a source decision retains, whatever the
order in which the store returns the values (decision 0022)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph_service.record.decisions import SetAside
from graph_service.store import Store
from graph_service.vocabulary import SCHEMA, UNTOC
from graph_service.web.pages.descriptions import Description
from graph_service.web.pages.schema_org import schema_org
from graph_service.web.pages.ui import Ui

BASE = "https://w3id.org/untoc/"
SESSION = ox.NamedNode(BASE + "id/session/cop-x")
END = ox.NamedNode(SCHEMA + "endDate")
ANNOUNCED = ox.Literal("2020-10-15", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
HELD = ox.Literal("2020-10-16", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def ui() -> Ui:
    return Ui(Store.wrapping(ox.Store()), BASE, "en", False, "", "/", {})


def description(*ends: ox.Literal) -> Description:
    outgoing = [ox.Triple(SESSION, RDF_TYPE, ox.NamedNode(UNTOC + "Session"))]
    outgoing += [ox.Triple(SESSION, END, end) for end in ends]
    return Description(SESSION.value, outgoing, [], 1, False)


@pytest.mark.parametrize("order", [(ANNOUNCED, HELD), (HELD, ANNOUNCED)])
def test_the_set_aside_date_is_never_given(order):
    decision = SetAside(
        subject=SESSION.value,
        property=END.value,
        value=ANNOUNCED,
        graph=BASE + "graph/calendar",
        decision=BASE + "id/source-decision/cop-x-end",
        preferred=HELD,
    )
    data = schema_org(ui(), description(*order), [decision])
    assert data["@type"] == "Event"
    assert data["endDate"] == "2020-10-16"


def test_without_a_decision_the_value_stated_is_given():
    assert schema_org(ui(), description(ANNOUNCED))["endDate"] == "2020-10-15"
