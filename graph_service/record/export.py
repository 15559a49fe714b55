"""The coverage and the calendar as plain data (JSON) and as CSV tables, the same for
`kg coverage --format json|csv` and for /coverage and /calendar asked for JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from graph_service import vocabulary
from graph_service.record.calendar import Calendar, Entry
from graph_service.record.coverage import Coverage, Meeting, ranges_text

Label = Callable[[str], str]

SCOPE = (
    "Bodies: every Conference of the Parties and its subsidiary bodies. A missing number is one "
    "below the highest number known that the graph lacks: a gap in the graph, not a meeting "
    "that did not take place. Meetings without a number may be some of the missing ones. Dates "
    "are those the curators' source decisions retain."
)


def meeting_json(meeting: Meeting, label: Label) -> dict:
    return {
        "iri": meeting.iri,
        "label": label(meeting.iri),
        "body": meeting.body,
        "ordinal": meeting.ordinal,
        "start": meeting.start or None,
        "end": meeting.end or None,
        "joint_with": list(meeting.joint),
    }


def coverage_json(cov: Coverage, label: Label) -> dict:
    bodies = []
    for body in cov.bodies:
        numbering = body.numbering
        bodies.append(
            {
                "body": body.body,
                "label": label(body.body),
                "kind": "sessions" if body.conference else "meetings",
                "known": len(body.meetings),
                "dated": len(body.dated),
                "numbered": len(numbering.numbers),
                "highest_number": numbering.highest,
                "missing_numbers": list(numbering.missing),
                "missing": ranges_text(numbering.missing, "-"),
                "unnumbered_dated": [m.iri for m in body.unnumbered_dated],
                "unnumbered_undated": [m.iri for m in body.unnumbered_undated],
                "undated": [m.iri for m in body.undated],
                "meetings": [meeting_json(m, label) for m in body.meetings],
            }
        )
    sessions = []
    for session in cov.sessions:
        sessions.append(
            {
                "body": session.body,
                "ordinal": session.ordinal,
                "session": session.session,
                "label": label(session.session) if session.session else None,
                "known": session.session is not None,
                "start": session.start or None,
                "end": session.end or None,
                "dates": session.dates if session.session else None,
                "reports": [iri for iri, _ in session.reports],
                "report_symbols": [symbol for _, symbol in session.reports if symbol],
                "instruments_known": len(session.instruments),
                "instruments": [
                    {"iri": i.iri, "kind": i.kind, "identifier": i.identifier}
                    for i in session.instruments
                ],
                "instrument_numbers_missing": {
                    kind: list(session.instrument_numbering(kind).missing)
                    for kind in session.kinds()
                    if kind != "instrument"
                },
                "set_aside": [
                    {
                        "property": vocabulary.curie(s.property),
                        "value": s.value.value,
                        "graph": s.graph,
                        "decision": s.decision,
                    }
                    for s in session.set_aside
                ],
            }
        )
    return {
        "scope": SCOPE,
        "bodies": bodies,
        "subsidiary": cov.subsidiary_totals(),
        "sessions": sessions,
    }


BODY_COLUMNS = [
    "body",
    "label",
    "kind",
    "known",
    "dated",
    "numbered",
    "highest_number",
    "missing",
    "unnumbered_dated",
    "unnumbered_undated",
    "undated",
]
SESSION_COLUMNS = [
    "ordinal",
    "session",
    "label",
    "start",
    "end",
    "dates",
    "report_symbols",
    "instruments_known",
    "instruments",
    "decision_numbers_missing",
    "resolution_numbers_missing",
    "dates_set_aside",
]


def body_rows(data: dict) -> list[dict]:
    return [
        {
            **{k: b[k] for k in ("body", "label", "kind", "known", "dated", "numbered", "missing")},
            "highest_number": b["highest_number"] if b["highest_number"] is not None else "",
            "unnumbered_dated": len(b["unnumbered_dated"]),
            "unnumbered_undated": len(b["unnumbered_undated"]),
            "undated": len(b["undated"]),
        }
        for b in data["bodies"]
    ]


def session_rows(data: dict) -> list[dict]:
    rows = []
    for s in data["sessions"]:
        missing = s["instrument_numbers_missing"]
        rows.append(
            {
                "ordinal": s["ordinal"] if s["ordinal"] is not None else "",
                "session": s["session"] or "",
                "label": s["label"] or "",
                "start": s["start"] or "",
                "end": s["end"] or "",
                "dates": s["dates"] or "not in the graph",
                "report_symbols": " ".join(s["report_symbols"]),
                "instruments_known": s["instruments_known"],
                "instruments": " ".join(i["identifier"] or i["iri"] for i in s["instruments"]),
                "decision_numbers_missing": ranges_text(missing.get("decision", []), "-"),
                "resolution_numbers_missing": ranges_text(missing.get("resolution", []), "-"),
                "dates_set_aside": " ".join(
                    sorted({f"{x['property']}={x['value']}" for x in s["set_aside"]})
                ),
            }
        )
    return rows


def csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def entry_json(entry: Entry, label: Label) -> dict:
    return {
        "start": entry.start or None,
        "end": entry.end or None,
        "joint": entry.joint,
        "meetings": [meeting_json(m, label) for m in entry.meetings],
    }


def calendar_json(cal: Calendar, label: Label) -> dict:
    return {
        "years": [
            {"year": y.year, "entries": [entry_json(e, label) for e in y.entries]}
            for y in cal.years
        ],
        "undated": [entry_json(e, label) for e in cal.undated],
    }


CALENDAR_COLUMNS = ["year", "start", "end", "body", "meeting", "label", "ordinal", "joint_with"]


def calendar_rows(data: dict) -> list[dict]:
    rows = []
    for year in [*data["years"], {"year": "", "entries": data["undated"]}]:
        for entry in year["entries"]:
            for m in entry["meetings"]:
                rows.append(
                    {
                        "year": year["year"],
                        "start": m["start"] or "",
                        "end": m["end"] or "",
                        "body": m["body"],
                        "meeting": m["iri"],
                        "label": m["label"],
                        "ordinal": m["ordinal"] if m["ordinal"] is not None else "",
                        "joint_with": " ".join(m["joint_with"]),
                    }
                )
    return rows
