"""/coverage: what the graph knows of the governance record and what it lacks; /calendar: the
sessions and meetings of every body by year. HTML in the reader's language, or JSON and CSV
(Accept, or `format=json|csv`), computed once per store state (graph_service.record)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request
from flask_babel import gettext

from graph_service import formats, i18n
from graph_service.formats import HTML
from graph_service.i18n import N_
from graph_service.record import calendar, coverage, export
from graph_service.record.coverage import BodyCoverage, Meeting, SessionCoverage
from graph_service.web import negotiation
from graph_service.web.context import get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages import http, record_sections
from graph_service.web.pages.ui import Ui, request_ui

blueprint = Blueprint("record", __name__)

JSON = "application/json"
CSV = "text/csv"
OFFERED = [HTML, JSON, CSV]
ALIASES = {"html": (HTML,), "json": (JSON,), "csv": (CSV,)}
TABLES = {"bodies", "sessions"}
MAX_NUMBER_STRIP = 200  # longer numberings are shown as ranges only


def _negotiate() -> str:
    chosen = negotiation.choose(
        request.headers.get("Accept"), OFFERED, request.args.get("format"), ALIASES
    )
    if chosen is None:
        wanted = request.args.get("format") or request.headers.get("Accept", "")
        raise HttpError(
            406, f"406 Not Acceptable: cannot produce {wanted!r}; available: {', '.join(OFFERED)}"
        )
    return chosen


def _data_response(ui: Ui, media_type: str, data: dict, csv_text: str) -> Response:
    if media_type == JSON:
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        response = Response(body, 200, content_type=formats.content_type(JSON))
    else:
        response = Response(csv_text, 200, content_type=formats.content_type(CSV))
    response.headers["Content-Language"] = ui.lang
    return _finish(ui, response)


def _canonical(ui: Ui) -> str:
    """The page without the choice of language or format (a CSV table keeps its name)."""
    table = ui.args.get("table") if ui.args.get("format") else None
    url = ui.root_url + ui.script_root + ui.path
    return url + (f"?{urlencode({'table': table})}" if table else "")


def _finish(ui: Ui, response: Response) -> Response:
    response = http.finish(response, _canonical(ui), None)
    response.headers["Link"] += ", " + ", ".join(
        f'<{ui.page_url(format=name)}>; rel="alternate"; type="{media}"'
        for name, media in (("json", JSON), ("csv", CSV))
    )
    return response


def _label(ui: Ui):
    return lambda iri: i18n.capitalize(ui.label(iri))


@blueprint.get("/coverage")
def coverage_page():
    media_type = _negotiate()
    ui = request_ui()
    cov = coverage.compute(get_store())
    ui.ensure_labels(
        [b.body for b in cov.bodies]
        + [m.iri for m in cov.meetings()]
        + [s.session for s in cov.sessions if s.session]
        + [i.iri for s in cov.sessions for i in s.instruments]
        + [r for s in cov.sessions for r, _ in s.reports]
        + [x.decision for s in cov.sessions for x in s.set_aside]
    )
    if media_type != HTML:
        data = export.coverage_json(cov, _label(ui))
        table = request.args.get("table", "bodies")
        if table not in TABLES:
            raise HttpError(400, "400 Bad Request: table must be bodies or sessions")
        if table == "bodies":
            text = export.csv_text(export.BODY_COLUMNS, export.body_rows(data))
        else:
            text = export.csv_text(export.SESSION_COLUMNS, export.session_rows(data))
        return _data_response(ui, media_type, data, text)
    context: dict[str, Any] = {
        "ui": ui,
        "canonical": _canonical(ui),
        "bodies": [_body_view(ui, b) for b in cov.bodies],
        "subsidiary": cov.subsidiary_totals(),
        "sessions": [_session_view(ui, s) for s in cov.sessions],
        "downloads": _downloads(ui, tables=True),
    }
    return _finish(ui, http.html("coverage.html", **context))


def meeting_view(ui: Ui, meeting: Meeting) -> dict:
    return {
        "href": ui.href(meeting.iri),
        "label": i18n.capitalize(ui.label(meeting.iri)),
        "ordinal": meeting.ordinal,
        "start": meeting.start,
        "dates": ui.dates(meeting.start, meeting.end) if meeting.start else "",
        "joint": [{"href": ui.href(j), "label": ui.label(j)} for j in meeting.joint],
        "body": {"href": ui.href(meeting.body), "label": ui.label(meeting.body)},
    }


def number_strip(body: BodyCoverage, ui: Ui) -> list[dict]:
    """1 .. the highest number known: each a link to its meeting, or marked missing."""
    highest = body.numbering.highest or 0
    if highest > MAX_NUMBER_STRIP:
        return []
    by_number = {m.ordinal: m for m in body.numbered}
    return [
        {"n": n, "href": ui.href(by_number[n].iri) if n in by_number else None}
        for n in range(1, highest + 1)
    ]


def _body_view(ui: Ui, body: BodyCoverage) -> dict:
    numbering = body.numbering
    return {
        "href": ui.href(body.body),
        "label": i18n.capitalize(ui.label(body.body)),
        "conference": body.conference,
        "known": len(body.meetings),
        "numbered": len(numbering.numbers),
        "highest": numbering.highest,
        "missing": coverage.ranges_text(numbering.missing),
        "missing_count": len(numbering.missing),
        "strip": number_strip(body, ui),
        "unnumbered": [meeting_view(ui, m) for m in body.unnumbered_dated],
        "unnumbered_undated": [meeting_view(ui, m) for m in body.unnumbered_undated],
        "undated": [meeting_view(ui, m) for m in body.undated if m.ordinal is not None],
    }


DATES_TEXT = {
    "known": None,
    "start only": N_("start date only"),
    "end only": N_("end date only"),
    "unknown": N_("dates not known"),
}


def set_aside_view(ui: Ui, items) -> list[dict]:
    views: dict[tuple, dict] = {}
    for item in items:
        view = views.setdefault(
            (item.property, item.value.value),
            {
                "property": ui.prop_label(item.property),
                "value": ui.value(item.value),
                "decision": ui.href(item.decision),
                "sources": [],
            },
        )
        source = record_sections.source_link(ui, item)
        if source not in view["sources"]:
            view["sources"].append(source)
    return list(views.values())


def _session_view(ui: Ui, session: SessionCoverage) -> dict:
    if session.session is None:
        return {"ordinal": session.ordinal, "known": False}
    dates_note = DATES_TEXT[session.dates]
    return {
        "ordinal": session.ordinal,
        "known": True,
        "href": ui.href(session.session),
        "label": i18n.capitalize(ui.label(session.session)),
        "start": session.start,
        "dates": ui.dates(session.start, session.end) if session.start else "",
        "dates_note": gettext(dates_note) if dates_note else "",
        "set_aside": set_aside_view(ui, session.set_aside),
        "reports": [
            {"href": ui.href(iri), "symbol": symbol or ui.label(iri)}
            for iri, symbol in session.reports
        ],
        "instruments": [
            {"href": ui.href(i.iri), "text": i.identifier or ui.label(i.iri)}
            for i in session.instruments
        ],
        "missing": [
            {
                "kind": gettext("decisions") if kind == "decision" else gettext("resolutions"),
                "numbers": coverage.ranges_text(session.instrument_numbering(kind).missing),
            }
            for kind in session.kinds()
            if kind != "instrument" and session.instrument_numbering(kind).missing
        ],
    }


def _downloads(ui: Ui, tables: bool) -> list[tuple[str, str]]:
    found = [("JSON", ui.page_url(format="json"))]
    if tables:
        found += [
            ("CSV: " + gettext("bodies"), ui.page_url(format="csv", table="bodies")),
            ("CSV: " + gettext("sessions"), ui.page_url(format="csv", table="sessions")),
        ]
    else:
        found.append(("CSV", ui.page_url(format="csv")))
    return found


@blueprint.get("/calendar")
def calendar_page():
    media_type = _negotiate()
    ui = request_ui()
    cal = calendar.compute(get_store())
    meetings = [m for y in cal.years for e in y.entries for m in e.meetings]
    meetings += [m for e in cal.undated for m in e.meetings]
    ui.ensure_labels({m.iri for m in meetings} | {m.body for m in meetings})
    if media_type != HTML:
        data = export.calendar_json(cal, _label(ui))
        text = export.csv_text(export.CALENDAR_COLUMNS, export.calendar_rows(data))
        return _data_response(ui, media_type, data, text)
    years = [
        {"year": y.year, "entries": [_entry_view(ui, e) for e in y.entries]} for y in cal.years
    ]
    context: dict[str, Any] = {
        "ui": ui,
        "canonical": _canonical(ui),
        "years": years,
        "undated": [_entry_view(ui, e) for e in cal.undated],
        "count": cal.count(),
        "downloads": _downloads(ui, tables=False),
    }
    return _finish(ui, http.html("calendar.html", **context))


def _entry_view(ui: Ui, entry: calendar.Entry) -> dict:
    return {
        "joint": entry.joint,
        "start": entry.start,
        "meetings": [meeting_view(ui, m) for m in entry.meetings],
    }
