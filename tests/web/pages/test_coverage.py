"""/coverage: what the graph knows of each body's meetings and what it lacks, in the six
languages, and as JSON and CSV by negotiation. Expectations come from a small store whose gaps
are known by construction, and from the curated data by plain SPARQL (it grows meanwhile)."""

from __future__ import annotations

import csv
import io

import html5lib
import pytest
from record_data import FIXTURE_BODIES, ID, expected_bodies, fixture_store

from graph_service import i18n
from graph_service.record.coverage import ranges_text
from graph_service.web.app import create_app

HTML = {"Accept": "text/html"}


def parse_strict(body: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)


def texts(element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module")
def fixture_client(test_config):
    return create_app(test_config, store=fixture_store()).test_client()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_page_in_every_language(client, lang):
    response = client.get(f"/coverage?lang={lang}", headers=HTML)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    tree = parse_strict(response.data)
    html = tree.getroot() if hasattr(tree, "getroot") else tree
    assert html.get("lang") == lang and html.get("dir") == i18n.direction(lang)
    title = i18n.gettext("Coverage of the record", lang)
    assert texts(tree.find(".//h1")) == title
    assert tree.find(".//title").text.startswith(title)
    heads = [texts(th) for th in tree.findall(".//table[@class='coverage']/thead/tr/th")]
    assert i18n.gettext("Numbers not in the graph", lang) in heads


def test_every_body_with_its_known_and_missing_numbers(client, loaded_store):
    expected = expected_bodies(loaded_store)
    html = client.get("/coverage", headers=HTML).get_data(as_text=True)
    tree = parse_strict(html.encode())
    rows = tree.findall(".//table[@class='coverage']/tbody/tr")
    bodies = [r for r in rows if r.get("id", "").startswith("body-")]
    assert len(bodies) == len(expected)
    for body, want in expected.items():
        local = "/" + body.removeprefix("https://w3id.org/untoc/")
        row = next(r for r in bodies if r.find(".//a").get("href") == local + "#meetings")
        cells = [texts(td) for td in row.findall("td")]
        assert cells[1] == str(want["known"])
        assert cells[2] == str(want["highest"] or "—")
        if want["missing"]:
            assert cells[3].startswith(ranges_text(want["missing"]))
        else:
            assert cells[3] == "—"
    # The strips: one box per number up to the highest, missing ones marked.
    missing = sum(len(w["missing"]) for w in expected.values())
    assert len(tree.findall(".//li[@class='number missing']")) == missing
    known = sum((w["highest"] or 0) - len(w["missing"]) for w in expected.values())
    assert len(tree.findall(".//li[@class='number known']")) == known


def test_fixture_gaps_sessions_and_set_aside_values(fixture_client):
    html = fixture_client.get("/coverage?lang=ru", headers=HTML).get_data(as_text=True)
    tree = parse_strict(html.encode())
    assert "Группа А" in html and "1, 3–4" in html
    # Session 3 is a number the graph lacks: a row says so.
    missing_rows = tree.findall(".//tr[@class='missing-row']")
    assert [texts(r.find("td")) for r in missing_rows] == ["3"]
    assert i18n.gettext("not in the graph", "ru") in texts(missing_rows[0])
    # The start date of session 2 that the decision does not prefer is set aside, with its
    # source (the graph: the fixture has no source document) and the decision.
    set_aside = tree.findall(".//div[@class='set-aside']")
    assert len(set_aside) == 1
    assert "2002" in texts(set_aside[0].find(".//del"))
    assert [a.get("href") for a in set_aside[0].findall(".//a")] == [
        "/graph/test-b?lang=ru",
        "/id/source-decision/cop-2-start?lang=ru",
    ]
    assert "T/COP/2004/9" in html
    # Decision 1/2 is missing below 1/3.
    assert f'({i18n.gettext("decisions", "ru")}): <span dir="ltr">2</span>' in html
    # Meetings without a number or a date are listed by name.
    assert "Meeting of Group A of July 2003" in html and "Fifth meeting of Group A" in html


def test_totals_of_the_subsidiary_bodies(fixture_client):
    """Group A's three meetings (one without a date) and Group B's one, the Conference's
    sessions apart: the number issue 10 asks to reach, in the reader's language."""
    html = fixture_client.get("/coverage", headers=HTML).get_data(as_text=True)
    assert "Subsidiary bodies: 2; their meetings known: 4; with a date: 3." in html
    russian = fixture_client.get("/coverage?lang=ru", headers=HTML).get_data(as_text=True)
    assert "Вспомогательные органы: 2; известные совещания: 4; с датой: 3." in russian


def test_russian_and_arabic_pages_have_no_english_chrome(client):
    english = ["Meetings known per body", "Highest number known", "Without a number"]
    for lang in ("ru", "ar"):
        html = client.get(f"/coverage?lang={lang}", headers=HTML).get_data(as_text=True)
        for text in english:
            assert text not in html, (lang, text)
            assert i18n.gettext(text, lang) in html, (lang, text)
        # Ranges of numbers run left to right, also on Arabic pages ("1–11", never "11–1").
        tree = parse_strict(html.encode())
        ranges = [
            td.find("span")
            for td in tree.findall(".//tr[@id]/td[4]")
            if td.find("span") is not None
        ]
        assert ranges and all(span.get("dir") == "ltr" for span in ranges)


def test_json_by_accept_and_by_format(client, loaded_store):
    expected = expected_bodies(loaded_store)
    for response in (
        client.get("/coverage", headers={"Accept": "application/json"}),
        client.get("/coverage?format=json", headers=HTML),
    ):
        assert response.status_code == 200
        assert response.content_type == "application/json; charset=utf-8"
        data = response.get_json()
        assert {b["body"]: b["missing_numbers"] for b in data["bodies"]} == {
            body: want["missing"] for body, want in expected.items()
        }
        assert "Vary" in response.headers and response.headers["ETag"]


def test_json_labels_follow_the_language(fixture_client):
    data = fixture_client.get("/coverage?format=json&lang=ar").get_json()
    labels = {b["body"]: b["label"] for b in data["bodies"]}
    assert labels[ID + "body/wg-a"] == "الفريق أ"
    assert labels[ID + "body/wg-b"] == "Group B"  # no Arabic label: English


def test_csv_tables(fixture_client):
    response = fixture_client.get("/coverage", headers={"Accept": "text/csv"})
    assert response.content_type == "text/csv; charset=utf-8"
    rows = {r["body"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    for body, (known, highest, missing, unnumbered_dated, undated) in FIXTURE_BODIES.items():
        row = rows[body]
        assert (row["known"], row["highest_number"]) == (str(known), str(highest))
        assert row["missing"] == ranges_text(missing, "-")
        assert (row["unnumbered_dated"], row["undated"]) == (str(unnumbered_dated), str(undated))
    sessions = fixture_client.get("/coverage?format=csv&table=sessions").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(sessions)))
    assert [r["dates"] for r in rows] == ["known", "start only", "not in the graph", "known"]
    assert rows[1]["dates_set_aside"] == "schema:startDate=2002-04-09"


def test_errors_and_headers(client):
    assert client.get("/coverage?format=csv&table=nope").status_code == 400
    response = client.get("/coverage", headers={"Accept": "image/png"})
    assert response.status_code == 406
    response = client.get("/coverage?lang=ru", headers=HTML)
    links = response.headers["Link"]
    assert 'rel="canonical"' in links and "http://localhost/coverage>" in links
    assert 'type="application/json"' in links and 'type="text/csv"' in links
    again = client.get(
        "/coverage?lang=ru", headers={**HTML, "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_linked_from_the_home_page_and_the_footer(client):
    for path in ("/", "/id/body/wg-tip", "/calendar"):
        html = client.get(path + "?lang=ar", headers=HTML).get_data(as_text=True)
        assert 'href="/coverage?lang=ar"' in html and 'href="/calendar?lang=ar"' in html, path
