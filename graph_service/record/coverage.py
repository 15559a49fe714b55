"""Coverage of the governance record: per body, the meetings (sessions) the graph knows against
the highest number it knows, the numbers it lacks, the meetings without a number or a date;
per session of a Conference of the Parties, the instruments known (and the numbers missing
below the highest known), whether its dates and the symbol of its report are known.

A number the graph lacks is a gap in the graph, not a meeting that did not take place; and a
meeting without a number may be one of the missing numbers: the report says so instead of
guessing (docs/decisions/0021-meetings-without-ordinal.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from graph_service.record.decisions import SetAside, set_aside
from graph_service.store import Store, queries
from graph_service.vocabulary import SCHEMA, UNTOC

KINDS = {UNTOC + "Decision": "decision", UNTOC + "Resolution": "resolution"}
DATE_PROPERTIES = {SCHEMA + "startDate", SCHEMA + "endDate"}


@dataclass(frozen=True)
class Meeting:
    """A session or meeting, with its retained dates ("" when unknown)."""

    iri: str
    body: str
    ordinal: int | None
    start: str
    end: str
    joint: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        return (self.ordinal is None, self.ordinal or 0, not self.start, self.start, self.iri)


@dataclass(frozen=True)
class Numbering:
    """The distinct numbers known, ascending; the highest; those below it that are missing."""

    numbers: tuple[int, ...]

    @property
    def highest(self) -> int | None:
        return self.numbers[-1] if self.numbers else None

    @property
    def missing(self) -> tuple[int, ...]:
        known = set(self.numbers)
        return tuple(n for n in range(1, (self.highest or 0) + 1) if n not in known)

    @property
    def missing_ranges(self) -> list[tuple[int, int]]:
        return ranges(self.missing)


def numbering(numbers) -> Numbering:
    return Numbering(tuple(sorted({n for n in numbers if n is not None and n >= 1})))


def ranges(numbers: tuple[int, ...] | list[int]) -> list[tuple[int, int]]:
    """(2, 3, 4, 8) -> [(2, 4), (8, 8)]."""
    found: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if found and found[-1][1] == n - 1:
            found[-1] = (found[-1][0], n)
        else:
            found.append((n, n))
    return found


def ranges_text(numbers, dash: str = "–") -> str:
    return ", ".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in ranges(list(numbers)))


@dataclass(frozen=True)
class BodyCoverage:
    body: str
    conference: bool  # a Conference of the Parties: its meetings are sessions
    meetings: tuple[Meeting, ...]  # by number, then by date; undated last

    @property
    def numbering(self) -> Numbering:
        return numbering(m.ordinal for m in self.meetings)

    @property
    def numbered(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if m.ordinal is not None)

    @property
    def unnumbered_dated(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if m.ordinal is None and m.start)

    @property
    def unnumbered_undated(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if m.ordinal is None and not m.start)

    @property
    def undated(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if not m.start)

    @property
    def dated(self) -> tuple[Meeting, ...]:
        return tuple(m for m in self.meetings if m.start)


@dataclass(frozen=True)
class Instrument:
    iri: str
    kind: str  # decision, resolution, or instrument when the data does not say
    identifier: str
    number: int | None  # k of "s/k" when s is the session's number


@dataclass(frozen=True)
class SessionCoverage:
    body: str
    ordinal: int | None
    session: str | None  # None: a number below the highest known that the graph lacks
    start: str = ""
    end: str = ""
    reports: tuple[tuple[str, str], ...] = ()  # (report IRI, symbol or "")
    instruments: tuple[Instrument, ...] = ()
    set_aside: tuple[SetAside, ...] = ()  # its dates that source decisions set aside

    @property
    def dates(self) -> str:
        """ "known", "start only", "end only" or "unknown"."""
        if self.start and self.end:
            return "known"
        if self.start or self.end:
            return "start only" if self.start else "end only"
        return "unknown"

    def kinds(self) -> list[str]:
        return sorted({i.kind for i in self.instruments})

    def instrument_numbering(self, kind: str) -> Numbering:
        return numbering(i.number for i in self.instruments if i.kind == kind)


@dataclass(frozen=True)
class Coverage:
    bodies: tuple[BodyCoverage, ...]
    sessions: tuple[SessionCoverage, ...]

    def body(self, iri: str) -> BodyCoverage | None:
        return next((b for b in self.bodies if b.body == iri), None)

    def meetings(self) -> list[Meeting]:
        return [m for b in self.bodies for m in b.meetings]

    def subsidiary_totals(self) -> dict[str, int]:
        """Over the bodies that are not a Conference (whose meetings are sessions): how many,
        their meetings known, and how many of those are dated."""
        groups = [b for b in self.bodies if not b.conference]
        return {
            "bodies": len(groups),
            "known": sum(len(b.meetings) for b in groups),
            "dated": sum(len(b.dated) for b in groups),
        }


def compute(store: Store) -> Coverage:
    """The coverage of the store's current state (computed once per state)."""
    return store.cache.get(("record", "coverage"), lambda: _compute(store))


def _rows(store: Store, name: str) -> list[dict[str, str]]:
    """Solutions of `coverage/{name}` with each term as its value ("" when unbound)."""
    return [
        {
            k: v.value if v is not None and not isinstance(v, ox.BlankNode) else ""
            for k, v in r.items()
        }
        for r in queries.rows(store, f"coverage/{name}")
    ]


def _compute(store: Store) -> Coverage:
    # `true` is read as is; Virtuoso answers the boolean constant as the integer 1
    bodies = [(row["body"], row["conference"] in ("true", "1")) for row in _rows(store, "bodies")]
    meetings = _meetings(store)
    by_body: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings.values():
        by_body[meeting.body].append(meeting)
    coverage = [
        BodyCoverage(iri, conference, tuple(sorted(by_body[iri], key=Meeting.sort_key)))
        for iri, conference in bodies
    ]
    return Coverage(tuple(coverage), tuple(_sessions(store, coverage)))


def _meetings(store: Store) -> dict[str, Meeting]:
    fields: dict[str, dict] = {}
    for row in _rows(store, "meetings"):
        entry = fields.setdefault(
            row["meeting"],
            {"body": row["body"], "ordinal": None, "start": "", "end": "", "joint": set()},
        )
        ordinal = int(row["ordinal"]) if row["ordinal"].isdigit() else None
        if ordinal is not None and (entry["ordinal"] is None or ordinal < entry["ordinal"]):
            entry["ordinal"] = ordinal
        # Two retained values (sources disagree and no decision yet: the shapes refuse it,
        # so only in data loaded around them): the earliest start, the latest end.
        if row["start"] and (not entry["start"] or row["start"] < entry["start"]):
            entry["start"] = row["start"]
        entry["end"] = max(entry["end"], row["end"])
        if row["joint"]:
            entry["joint"].add(row["joint"])
    return {
        iri: Meeting(iri, f["body"], f["ordinal"], f["start"], f["end"], tuple(sorted(f["joint"])))
        for iri, f in fields.items()
    }


def _sessions(store: Store, bodies: list[BodyCoverage]) -> list[SessionCoverage]:
    reports: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _rows(store, "session-reports"):
        item = (row["report"], row["symbol"])
        if item not in reports[row["session"]]:
            reports[row["session"]].append(item)
    instruments: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in _rows(store, "session-instruments"):
        entry = instruments[row["session"]].setdefault(
            row["instrument"], {"kind": None, "identifier": ""}
        )
        entry["kind"] = entry["kind"] or KINDS.get(row["kind"])
        entry["identifier"] = entry["identifier"] or row["identifier"]
    sessions = [m for b in bodies if b.conference for m in b.meetings]
    decided = set_aside(store, [m.iri for m in sessions])
    result: list[SessionCoverage] = []
    for body in (b for b in bodies if b.conference):
        known = {m.ordinal: m for m in body.meetings if m.ordinal is not None}
        for ordinal in range(1, (body.numbering.highest or 0) + 1):
            meeting = known.get(ordinal)
            if meeting is None:
                result.append(SessionCoverage(body.body, ordinal, None))
                continue
            result.append(_session(meeting, reports, instruments, decided))
        for meeting in body.meetings:
            if meeting.ordinal is None:
                result.append(_session(meeting, reports, instruments, decided))
    return result


def _session(meeting: Meeting, reports, instruments, decided: list[SetAside]) -> SessionCoverage:
    own = sorted(
        (
            Instrument(
                iri,
                i["kind"] or "instrument",
                i["identifier"],
                _number(i["identifier"], meeting.ordinal),
            )
            for iri, i in instruments.get(meeting.iri, {}).items()
        ),
        key=lambda i: (i.kind, i.number is None, i.number or 0, i.identifier, i.iri),
    )
    return SessionCoverage(
        body=meeting.body,
        ordinal=meeting.ordinal,
        session=meeting.iri,
        start=meeting.start,
        end=meeting.end,
        reports=tuple(reports.get(meeting.iri, ())),
        instruments=tuple(own),
        set_aside=tuple(
            s for s in decided if s.subject == meeting.iri and s.property in DATE_PROPERTIES
        ),
    )


def _number(identifier: str, session: int | None) -> int | None:
    """4 of "5/4" at the fifth session; None for an identifier of another shape."""
    prefix, slash, number = identifier.partition("/")
    if slash and number.isdigit() and prefix.isdigit() and int(prefix) == session:
        return int(number)
    return None
