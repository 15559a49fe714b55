"""The record on the resource pages, in Russian and Arabic (and English): a body's numbers known
and missing, a meeting's recommendations, a session's documents by agenda item, values that
source decisions set aside, links to undocs.org and the UN Digital Library. Expectations come
from the curated data by plain SPARQL, so that they follow the data as it grows."""

from __future__ import annotations

import json
from collections import defaultdict

import html5lib
import pytest
from record_data import expected_bodies

from graph_service import i18n

HTML = {"Accept": "text/html"}
BASE = "https://w3id.org/untoc/"
PREFIXES = """PREFIX untoc: <https://w3id.org/untoc/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def parse_strict(body: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)


def texts(element) -> str:
    return " ".join("".join(element.itertext()).split())


def local(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


def page(client, iri: str, lang: str):
    response = client.get(f"{local(iri)}?lang={lang}", headers=HTML)
    assert response.status_code == 200, iri
    return parse_strict(response.data), response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_body_pages_mark_the_missing_numbers(client, loaded_store, lang):
    for body, want in expected_bodies(loaded_store).items():
        tree, html = page(client, body, lang)
        numbering = tree.find(".//div[@id='numbering']")
        if want["highest"] is None:
            assert numbering is None
            continue
        missing = [int(li.text) for li in numbering.findall(".//li[@class='number missing']")]
        known = [int(texts(li)) for li in numbering.findall(".//li[@class='number known']")]
        assert missing == want["missing"], body
        assert sorted(known + missing) == list(range(1, want["highest"] + 1)), body
        assert i18n.gettext("Numbers known and missing", lang) in html
        # The table numbers each meeting, "—" for those no source numbers.
        rows = tree.findall(".//section[@id='meetings']/table/tbody/tr")
        dashes = [r for r in rows if texts(r.find("td")) == "—"]
        assert len(dashes) == len(want["unnumbered"]), body


def recommendations(store) -> dict[str, dict[int, dict]]:
    query = (
        PREFIXES
        + """SELECT DISTINCT ?meeting ?n ?topic ?addressee WHERE {
        ?r a untoc:Recommendation ; untoc:adoptedAtMeeting ?meeting ; untoc:ordinal ?n ;
           untoc:topic ?topic ; untoc:addressedTo ?addressee }"""
    )
    found: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in store.query(query):
        entry = found[row["meeting"].value].setdefault(
            int(row["n"].value), {"topics": {}, "addressees": set()}
        )
        entry["topics"][row["topic"].language] = row["topic"].value
        entry["addressees"].add(row["addressee"].value)
    return found


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_meeting_pages_list_their_recommendations(client, loaded_store, lang):
    found = recommendations(loaded_store)
    assert found, "the curated data records recommendations"
    for meeting, by_paragraph in found.items():
        tree, html = page(client, meeting, lang)
        rows = tree.findall(".//section[@id='recommendations']/table/tbody/tr")
        assert [int(texts(r.find("td"))) for r in rows] == sorted(by_paragraph)
        for row, (_, want) in zip(rows, sorted(by_paragraph.items()), strict=True):
            topic_lang = lang if lang in want["topics"] else "en"
            topic = row.find("td[2]/span")
            assert topic.get("lang") == topic_lang
            assert topic.text == want["topics"][topic_lang]
            addressees = {a.get("href").split("?")[0] for a in row.findall("td[3]/a")}
            assert addressees == {local(a) for a in want["addressees"]}
        assert i18n.gettext("Recommendations", lang) in html


def session_documents(store) -> dict[str, dict[str, set[str]]]:
    """session -> agenda item notation (or number) -> symbols of the documents under it."""
    query = (
        PREFIXES
        + """SELECT DISTINCT ?session ?symbol ?item ?n ?notation WHERE {
        ?doc untoc:submittedTo ?session ; untoc:documentSymbol ?symbol ;
             untoc:agendaItem ?item . ?item untoc:agendaItemOf ?session ; untoc:ordinal ?n .
        OPTIONAL { ?item skos:notation ?notation } }"""
    )
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in store.query(query):
        item = row["notation"].value if row["notation"] is not None else row["n"].value
        found[row["session"].value][item].add(row["symbol"].value)
    return found


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_session_pages_file_documents_under_agenda_items(client, loaded_store, lang):
    found = session_documents(loaded_store)
    assert found
    for session, items in found.items():
        tree, html = page(client, session, lang)
        table = tree.find(".//section[@id='session-documents']/table")
        shown = {}
        for row in table.findall("tbody/tr"):
            first = row.find("td/a")
            if first is not None:
                shown[first.text] = {code.text for code in row.findall("td[2]/a/code")}
        for item, symbols in items.items():
            assert symbols <= shown[item], (session, item)
        assert i18n.gettext("Documents by agenda item", lang) in html


def set_aside_values(store) -> list[tuple[str, str, str]]:
    """(subject, property, value) of every value a source decision rejects or does not prefer."""
    query = (
        PREFIXES
        + """SELECT DISTINCT ?s ?p ?v WHERE {
        ?d untoc:decisionSubject ?s ; untoc:decisionProperty ?p .
        ?s ?p ?v .
        OPTIONAL { ?d untoc:preferredValue ?w }
        FILTER (EXISTS { ?d untoc:rejectedValue ?v }
                || (BOUND(?w) && STR(?w) != STR(?v) && LANG(?w) = LANG(?v))) }"""
    )
    return [(r["s"].value, r["p"].value, r["v"].value) for r in store.query(query)]


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_set_aside_values_are_marked_with_their_source(client, loaded_store, lang):
    values = set_aside_values(loaded_store)
    assert values, "the curated data has source decisions"
    for subject, _, value in values:
        tree, _ = page(client, subject, lang)
        marked = tree.findall(".//span[@class='set-aside']")
        shown = []
        for span in marked:
            deleted = span.find("del")
            time = deleted.find(".//time")
            text = deleted.find("bdi")  # a literal, isolated (its language tag is a span)
            shown.append(time.get("datetime") if time is not None else texts(text))
            links = [a.get("href") for a in span.findall("a")]
            assert links[-1].startswith("/id/source-decision/")  # the decision
            assert len(links) >= 2  # and at least one source
        assert value in shown, (subject, value)
        # The retained value comes first: no set-aside value before a kept one in a list.
        for ul in tree.findall(".//table[@class='properties']//ul"):
            flags = ["set-aside" in html5_text(li) for li in ul.findall("li")]
            assert flags == sorted(flags)


def test_schema_org_json_ld_carries_the_retained_values(client, loaded_store):
    """The JSON-LD for search engines gives the retained date, never one a decision sets aside
    (the tenth session once ended there on the 15 October a calendar announced)."""
    values = [v for v in set_aside_values(loaded_store) if v[1].startswith("https://schema.org/")]
    assert values, "the curated data has decisions on schema.org properties"
    for subject, prop, value in values:
        tree, _ = page(client, subject, "en")
        script = tree.find(".//script[@type='application/ld+json']")
        data = json.loads(script.text)
        key = prop.removeprefix("https://schema.org/")
        assert key in data, (subject, key)
        assert data[key] != value, (subject, key, value)


def html5_text(element) -> str:
    return " ".join(span.get("class", "") for span in element.iter("span"))


def test_official_links_in_the_readers_language(client, loaded_store):
    query = (
        PREFIXES
        + """SELECT DISTINCT ?doc ?link WHERE {
        ?doc rdfs:seeAlso ?link FILTER(STRSTARTS(STR(?link), "https://undocs.org/")) }
        ORDER BY ?doc LIMIT 3"""
    )
    rows = [(r["doc"].value, r["link"].value) for r in loaded_store.query(query)]
    assert rows
    for doc, link in rows:
        symbol = link.removeprefix("https://undocs.org/")
        for lang in ("ru", "ar"):
            tree, html = page(client, doc, lang)
            hrefs = [a.get("href") for a in tree.findall(".//section[@id='document']//a")]
            assert link in hrefs
            assert f"https://undocs.org/{lang}/{symbol}" in hrefs
            assert any(h.startswith("https://digitallibrary.un.org/") for h in hrefs)
            assert i18n.gettext("Official text in the UN Official Document System", lang) in html
