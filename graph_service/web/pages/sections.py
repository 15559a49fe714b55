"""The parts of a page that depend on the resource's type: a body's instruments, meetings
and timeline; an instrument's provisions; a report's subject; a meeting's reports."""

from __future__ import annotations

import pyoxigraph as ox
from flask_babel import gettext

from graph_service import i18n
from graph_service.vocabulary import UNTOC
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import diagrams as svg
from graph_service.web.pages import record_sections
from graph_service.web.pages.ui import Ui

BODY_TYPES = {UNTOC + "Body", UNTOC + "WorkingGroup", UNTOC + "ConferenceOfTheParties"}


INSTRUMENT_TYPES = {UNTOC + "Instrument", UNTOC + "Decision", UNTOC + "Resolution"}


DOCUMENT_TYPES = {UNTOC + "Document", UNTOC + "Report", UNTOC + "Note", UNTOC + "Agenda"}


MEETING_TYPES = {UNTOC + "Meeting"}


def body_sections(ui: Ui, iri: str) -> dict:
    """Instruments that created or direct a body, and its meetings as a timeline."""
    this = ox.NamedNode(iri)
    instrument_rows = d.rows(ui.store, "body_instruments", this=this)
    meeting_rows = d.rows(ui.store, "body_meetings", this=this)
    ui.ensure_labels(
        {
            r[k].value
            for r in instrument_rows + meeting_rows
            for k in r
            if isinstance(r[k], ox.NamedNode)
        }
    )
    instruments: dict[str, dict] = {}
    for row in instrument_rows:
        key = row["instrument"].value
        entry = instruments.setdefault(
            key,
            {
                "href": ui.href(key),
                "label": ui.label(key),
                "actions": {},
                "relations": {},
                "sources": {},
                "session": None,
            },
        )
        if row["session"] is not None:
            entry["session"] = ui.value(row["session"])
        if row["type"] is not None:
            entry["actions"][row["type"].value] = ui.label(row["type"].value)
        elif row["relation"] is not None:
            entry["relations"][row["relation"].value] = ui.prop_label(row["relation"].value)
        if row["source"] is not None:
            entry["sources"][row["source"].value] = ui.label(row["source"].value)
    meetings: dict[str, dict] = {}
    for row in meeting_rows:
        key = row["meeting"].value
        entry = meetings.setdefault(
            key,
            {
                "href": ui.href(key),
                "label": ui.label(key),
                "start": row["start"].value if row["start"] is not None else "",
                "end": row["end"].value if row["end"] is not None else "",
                "place": ui.value(row["place"]) if row["place"] is not None else None,
                "ordinal": int(row["ordinal"].value)
                if row["ordinal"] is not None and row["ordinal"].value.isdigit()
                else None,
                "reports": [],
                "joint": {},
            },
        )
        if row["joint"] is not None:
            meeting_joint = row["joint"].value
            entry["joint"][meeting_joint] = {
                "href": ui.href(meeting_joint),
                "label": ui.label(meeting_joint),
            }
        if row["report"] is not None:
            symbol = (
                row["symbol"].value if row["symbol"] is not None else ui.label(row["report"].value)
            )
            report = (ui.href(row["report"].value), symbol)
            if report not in entry["reports"]:
                entry["reports"].append(report)
    for entry in instruments.values():
        # A provision type ("establishes") says what the shortcut property says, and more.
        entry["actions"] = entry["actions"] or entry["relations"]
    meeting_list = chronological(list(meetings.values()))
    for meeting in meeting_list:
        meeting["dates"] = ui.dates(meeting["start"], meeting["end"])
    timeline = None
    if meeting_list:
        timeline = svg.timeline(
            [
                svg.TimelineEntry(
                    href=m["href"],
                    title=i18n.capitalize(m["label"]),
                    dates=m["dates"],
                    year=m["start"][:4],
                    place=m["place"]["text"] if m["place"] else "",
                    reports=m["reports"],
                )
                for m in meeting_list
            ],
            title=gettext("Timeline of meetings"),
            report_word=gettext("Report"),
            rtl=ui.dir == "rtl",
        )
    for meeting in meeting_list:
        meeting["joint"] = list(meeting["joint"].values())
    return {
        "instruments": list(instruments.values()),
        "meetings": meeting_list,
        "timeline": timeline,
        "numbering": record_sections.numbering(ui, meeting_list),
    }


def chronological(meetings: list[dict]) -> list[dict]:
    """Meetings of one body in order: by number when every one has one (sessions without
    recorded dates then still fall in place), else by start date, undated last."""
    if meetings and all(m["ordinal"] is not None for m in meetings):
        return sorted(meetings, key=lambda m: (m["ordinal"], m["start"]))
    return sorted(meetings, key=lambda m: (not m["start"], m["start"], m["ordinal"] or 0))


def instrument_sections(ui: Ui, iri: str) -> dict:
    found = d.rows(ui.store, "instrument_provisions", this=ox.NamedNode(iri))
    ui.ensure_labels({r[k].value for r in found for k in r if isinstance(r[k], ox.NamedNode)})
    provisions: dict[str, dict] = {}
    for row in found:
        key = row["provision"].value
        entry = provisions.setdefault(
            key,
            {
                "href": ui.href(key),
                "label": ui.label(key),
                "type": ui.value(row["type"]) if row["type"] is not None else None,
                "body": ui.value(row["body"]) if row["body"] is not None else None,
                "sources": [],
            },
        )
        if row["source"] is not None:
            source = (ui.href(row["source"].value), ui.label(row["source"].value))
            if source not in entry["sources"]:
                entry["sources"].append(source)
    return {"provisions": list(provisions.values())}


def document_sections(ui: Ui, iri: str) -> dict:
    found = d.rows(ui.store, "report_subject", this=ox.NamedNode(iri))
    ui.ensure_labels({r[k].value for r in found for k in r if isinstance(r[k], ox.NamedNode)})
    subjects = [
        {
            "meeting": ui.value(r["meeting"]),
            "body": ui.value(r["body"]) if r["body"] is not None else None,
            "start": r["start"].value if r["start"] is not None else "",
            "dates": ui.dates(
                r["start"].value if r["start"] is not None else "",
                r["end"].value if r["end"] is not None else "",
            ),
        }
        for r in found
    ]
    return {"reports_on": subjects}
