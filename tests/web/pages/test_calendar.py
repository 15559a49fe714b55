"""/calendar: the sessions and meetings of every body of the Conference by year, joint meetings
together, the undated apart; in the six languages, and as JSON and CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import html5lib
import pytest
from record_data import ID, fixture_store

from graph_service import i18n
from graph_service.web.app import create_app

HTML = {"Accept": "text/html"}
QUERY = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?m ?start ?joint WHERE {
  { ?body a untoc:ConferenceOfTheParties } UNION { ?body untoc:subsidiaryBodyOf [] }
  ?m untoc:meetingOf|untoc:sessionOf ?body .
  OPTIONAL { ?m schema:startDate ?start
    FILTER NOT EXISTS { ?d untoc:decisionSubject ?m ; untoc:decisionProperty schema:startDate .
      { ?d untoc:rejectedValue ?start }
      UNION { ?d untoc:preferredValue ?p FILTER(?p != ?start) } } }
  OPTIONAL { ?m untoc:jointMeetingWith ?joint } }"""


def parse_strict(body: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)


def expected(store) -> tuple[dict[str, set[str]], set[str], set[frozenset[str]]]:
    """Meetings by year of their retained start, the undated, and the joint pairs."""
    by_year: dict[str, set[str]] = defaultdict(set)
    starts: dict[str, str] = {}
    joint = set()
    every = set()
    for row in store.query(QUERY):
        meeting = row["m"].value
        every.add(meeting)
        if row["start"] is not None:
            starts[meeting] = min(starts.get(meeting, "9999"), row["start"].value)
        if row["joint"] is not None:
            joint.add(frozenset((meeting, row["joint"].value)))
    for meeting, start in starts.items():
        by_year[start[:4]].add(meeting)
    return dict(by_year), every - set(starts), joint


def local(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/untoc/")


@pytest.mark.parametrize("lang", ["en", "ru", "ar", "zh"])
def test_every_meeting_under_its_year(client, loaded_store, lang):
    by_year, undated, joint = expected(loaded_store)
    html = client.get(f"/calendar?lang={lang}", headers=HTML).get_data(as_text=True)
    tree = parse_strict(html.encode())
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    assert root.get("lang") == lang and root.get("dir") == i18n.direction(lang)
    assert "".join(tree.find(".//h1").itertext()) == i18n.gettext(
        "Calendar of sessions and meetings", lang
    )
    section = tree.find(".//section[@id='calendar']")
    found: dict[str, set[str]] = {}
    heading = None
    for element in section:
        if element.tag == "h2":
            heading = element.get("id")
        elif element.tag == "table":
            links = {a.get("href").split("?")[0] for a in element.findall(".//tbody/tr/td[3]/a")}
            found[heading] = links
    assert found.pop("undated", set()) == {local(m) for m in undated}
    assert found == {f"y{year}": {local(m) for m in ms} for year, ms in by_year.items()}
    # Joint meetings share one group of rows, marked as joint.
    groups = [
        {a.get("href").split("?")[0] for a in body.findall("./tr/td[3]/a")}
        for body in tree.findall(".//tbody[@class='joint']")
    ]
    for pair in joint:
        assert any({local(m) for m in pair} <= group for group in groups)
    assert html.count(i18n.gettext("Joint meeting", lang)) == len(groups)


def test_years_are_in_order_with_an_index(client):
    tree = parse_strict(client.get("/calendar", headers=HTML).data)
    years = [h.get("id") for h in tree.findall(".//section/h2") if h.get("id") != "undated"]
    assert years == sorted(years)
    index = [a.get("href") for a in tree.findall(".//nav[@class='years']/a")]
    assert index[: len(years)] == [f"#{y}" for y in years]


def test_fixture_calendar(test_config):
    client = create_app(test_config, store=fixture_store()).test_client()
    data = client.get("/calendar?format=json").get_json()
    assert [y["year"] for y in data["years"]] == ["2001", "2002", "2003", "2004"]
    [entry] = data["years"][2]["entries"]
    assert entry["joint"] is True
    assert [m["iri"] for m in entry["meetings"]] == [
        ID + "meeting/wg-a-2003-07-01",
        ID + "meeting/wg-b-1",
    ]
    # The preferred start of session 2, not the one set aside.
    assert data["years"][1]["entries"][0]["meetings"][0]["start"] == "2002-04-01"
    assert [m["iri"] for e in data["undated"] for m in e["meetings"]] == [ID + "meeting/wg-a-5"]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/calendar?format=csv").get_data(as_text=True)))
    )
    assert len(rows) == 7
    assert rows[-1]["year"] == "" and rows[-1]["meeting"] == ID + "meeting/wg-a-5"
    assert client.get("/calendar", headers={"Accept": "application/xml"}).status_code == 406
