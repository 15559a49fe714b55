"""The parts of a page that show the governance record: a body's numbering with the numbers the
graph lacks, a meeting's recommendations and documents, a session's documents by agenda item,
and the values that the curators' source decisions set aside (decision 0022)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph_service import i18n
from graph_service.record import coverage
from graph_service.record.decisions import SetAside, set_aside
from graph_service.vocabulary import UNTOC
from graph_service.web.pages import descriptions as d
from graph_service.web.pages.ui import Ui, local_name

SESSION_TYPES = {UNTOC + "Session"}
MAX_NUMBER_STRIP = 200


def numbering(ui: Ui, meetings: list[dict]) -> dict | None:
    """The numbers of a body's meetings from 1 to the highest known, each a link to its meeting
    or marked as not in the graph, and the count of meetings that no source numbers."""
    numbers = coverage.numbering(m["ordinal"] for m in meetings)
    if numbers.highest is None:
        return None
    by_number = {m["ordinal"]: m["href"] for m in meetings if m["ordinal"] is not None}
    strip = []
    if numbers.highest <= MAX_NUMBER_STRIP:
        strip = [{"n": n, "href": by_number.get(n)} for n in range(1, numbers.highest + 1)]
    return {
        "highest": numbers.highest,
        "known": len(numbers.numbers),
        "missing": coverage.ranges_text(numbers.missing),
        "missing_count": len(numbers.missing),
        "unnumbered": sum(1 for m in meetings if m["ordinal"] is None),
        "strip": strip,
    }


def meeting_record(ui: Ui, iri: str) -> dict:
    """A meeting's documents (reports on it, papers prepared for it) and the recommendations it
    adopted, each with its paragraph, topic, addressee and the paragraphs cited."""
    this = ox.NamedNode(iri)
    documents = d.rows(ui.store, "meeting_documents", this=this)
    found = d.rows(ui.store, "meeting_recommendations", this=this)
    ui.ensure_labels(
        {r[k].value for r in documents + found for k in r if isinstance(r[k], ox.NamedNode)}
    )
    reports: list[dict] = []
    prepared: list[dict] = []
    for row in documents:
        item = {
            "href": ui.href(row["document"].value),
            "symbol": row["symbol"].value if row["symbol"] is not None else "",
            "label": ui.label(row["document"].value),
        }
        target = reports if row["relation"].value == UNTOC + "reportOf" else prepared
        if item not in target:
            target.append(item)
    recommendations: dict[str, dict] = {}
    for row in found:
        key = row["recommendation"].value
        entry = recommendations.setdefault(
            key,
            {
                "href": ui.href(key),
                "paragraph": _int(row["paragraph"]),
                "topics": {},
                "addressees": {},
                "report": None,
                "sources": {},
                "acted_on_by": {},
            },
        )
        topic = row["topic"]
        if isinstance(topic, ox.Literal):
            entry["topics"].setdefault(topic.language or "", topic.value)
        for field, name in (("addressees", "addressee"), ("acted_on_by", "actedOnBy")):
            if row[name] is not None:
                entry[field][row[name].value] = ui.value(row[name])
        if row["report"] is not None:
            entry["report"] = {
                "href": ui.href(row["report"].value),
                "symbol": row["symbol"].value if row["symbol"] is not None else "",
                "label": ui.label(row["report"].value),
            }
        if row["source"] is not None:
            entry["sources"][row["source"].value] = ui.label(row["source"].value)
    items = []
    for entry in recommendations.values():
        topic_lang = _best_language(entry["topics"], ui.lang)
        items.append(
            {
                **entry,
                "topic": entry["topics"].get(topic_lang, ""),
                "topic_lang": topic_lang,
                "addressees": list(entry["addressees"].values()),
                "acted_on_by": list(entry["acted_on_by"].values()),
                "sources": [(ui.href(s), label) for s, label in sorted(entry["sources"].items())],
            }
        )
    items.sort(key=lambda r: (r["paragraph"] is None, r["paragraph"] or 0, r["href"]))
    return {"reports": reports, "prepared": prepared, "recommendations": items}


def session_record(ui: Ui, iri: str) -> dict:
    """A session's documents grouped by the agenda item they are considered under (documents
    under no item of the session last), and the instruments it adopted."""
    this = ox.NamedNode(iri)
    documents = d.rows(ui.store, "session_documents", this=this)
    items_and_instruments = d.rows(ui.store, "session_items", this=this)
    ui.ensure_labels(
        {
            r[k].value
            for r in documents + items_and_instruments
            for k in r
            if isinstance(r[k], ox.NamedNode)
        }
    )
    groups: dict[str, dict] = {}
    instruments: dict[str, dict] = {}
    for row in items_and_instruments:
        if row["item"] is not None:
            _item_group(ui, groups, row)
        if row["instrument"] is not None:
            key = row["instrument"].value
            instruments[key] = {
                "href": ui.href(key),
                "text": i18n.capitalize(ui.label(key)),
                "identifier": row["identifier"].value if row["identifier"] is not None else "",
            }
    documents_by_item: dict[str, list[dict]] = defaultdict(list)
    for row in documents:
        group = _item_group(ui, groups, row) if row["item"] is not None else None
        entry = {
            "href": ui.href(row["document"].value),
            "symbol": row["symbol"].value if row["symbol"] is not None else "",
            "label": ui.label(row["document"].value),
            "type": ui.label(row["type"].value) if row["type"] is not None else "",
            "report_of_session": row["relation"].value == UNTOC + "reportOfSession",
        }
        target = documents_by_item[group["key"] if group else ""]
        if entry not in target:
            target.append(entry)
    ordered = sorted(groups.values(), key=lambda g: (g["ordinal"] or 0, g["notation"], g["key"]))
    for group in ordered:
        group["documents"] = documents_by_item.get(group["key"], [])
    return {
        "agenda": ordered,
        "unfiled": documents_by_item.get("", []),
        "instruments": sorted(
            instruments.values(), key=lambda i: (ui_number(i["identifier"]), i["text"])
        ),
    }


def ui_number(identifier: str) -> tuple:
    """ "12/4" after "12/3", "9/1" before "10/1"."""
    return tuple(int(p) if p.isdigit() else 0 for p in identifier.split("/"))


def _item_group(ui: Ui, groups: dict[str, dict], row: dict) -> dict:
    key = row["item"].value
    ordinal = _int(row["itemOrdinal"])
    notation = row["notation"].value if row["notation"] is not None else ""
    return groups.setdefault(
        key,
        {
            "key": key,
            "href": ui.href(key),
            "label": i18n.capitalize(ui.label(key)),
            "ordinal": ordinal,
            "notation": notation or (str(ordinal) if ordinal is not None else ""),
            "documents": [],
        },
    )


def mark_set_aside(ui: Ui, iri: str, groups: list) -> list[SetAside]:
    """Mark in the property groups of a page the values that source decisions set aside (with
    the sources stating them and the decision), the retained values first."""
    found = set_aside(ui.store, [iri])
    if not found:
        return found
    ui.ensure_labels(
        {s.source(ui.base_iri) or s.graph for s in found} | {s.decision for s in found}
    )
    for _, rows in groups:
        for row in rows:
            mine = [s for s in found if s.property == row.iri]
            if not mine:
                continue
            for value in row.values:
                marks = [s for s in mine if _same(value, s.value)]
                if marks:
                    value["set_aside"] = set_aside_note(ui, marks)
            row.values.sort(key=lambda v: "set_aside" in v)
    return found


def set_aside_note(ui: Ui, marks: list[SetAside]) -> dict:
    sources = []
    for mark in marks:
        item = source_link(ui, mark)
        if item not in sources:
            sources.append(item)
    return {"sources": sources, "decision": ui.href(marks[0].decision)}


def source_link(ui: Ui, mark: SetAside) -> dict:
    """The source document stating a set-aside value, or its named graph when the graph has no
    source document."""
    source = mark.source(ui.base_iri)
    if source and d.exists(ui.store, source):
        return {"href": ui.href(source), "label": ui.label(source)}
    return {"href": ui.href(mark.graph), "label": local_name(mark.graph)}


def _same(value: dict, term: ox.NamedNode | ox.Literal) -> bool:
    if value.get("kind") == "iri":
        return isinstance(term, ox.NamedNode) and value["iri"] == term.value
    if not isinstance(term, ox.Literal):
        return False
    text = value.get("datetime") or value.get("text")
    return text == term.value and (value.get("lang") or "") == (term.language or "")


def _best_language(texts: dict[str, str], lang: str) -> str:
    for code in (lang, i18n.DEFAULT_LANGUAGE, ""):
        if code in texts:
            return code
    return sorted(texts)[0] if texts else ""


def _int(term) -> int | None:
    if isinstance(term, ox.Literal) and term.value.isdigit():
        return int(term.value)
    return None
