"""Reading a document's numbered paragraphs and section headings: treaties, instruments,
sessions, meetings, reports, provisions and mandates."""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox

from graph_service.ingest import labels
from graph_service.ingest.facts import BOOLEAN_TRUE, Meeting, series
from graph_service.ingest.reader import Reader
from graph_service.ingest.structure import Part
from graph_service.ingest.symbols import (
    SymbolError,
    find_symbol_candidates,
    normalise_symbol,
    symbol_key,
)
from graph_service.ingest.vocabulary import (
    END,
    LOCATION,
    START,
    TITLE,
    TYPE,
    date,
    integer,
    lit,
    u,
)


class ParagraphReader(Reader):
    """A part of `extract.Extractor`: sections and numbered paragraphs."""

    # ---- sections
    def read_section(self, section: Part) -> None:
        bodies = self.bodies_named(section.text)
        if not bodies and (m := self.lang.working_group.search(section.text)):
            bodies = [self.propose_body(m.group("name").strip())]
        if bodies:
            self.section_body[section.number] = bodies[0]
            self.working_group(bodies[0], section)
        place = self.place_in(section.text)
        if place is not None:
            self.section_place[section.number] = place
            self.cite(place, section)

    def working_group(self, key: str, part: Part) -> ox.NamedNode:
        node = self.ids.body(key)
        self.out.add(node, TYPE, u("WorkingGroup"))
        self.out.add(node, u("subsidiaryBodyOf"), self.ids.body("cop"))
        self.label(node, self.body_labels(key))
        self.cite(node, part)
        header = self.layout.part("header")
        if header is not None:
            # the header's title speaks of the subsidiary bodies of the Conference
            self.cite(node, header)
        return node

    # ---- paragraphs
    def read_paragraph(self, para: Part) -> None:
        text = para.text
        bodies = self.bodies_named(text)
        if not bodies and para.section in self.section_body:
            bodies = [self.section_body[para.section]]
        for key in bodies:
            self.working_group(key, para)
        if re.search(r"Конференци|Conference", text):
            cop = self.ids.body("cop")
            self.out.add(cop, TYPE, u("ConferenceOfTheParties"))
            self.cite(cop, para)
        self.read_treaties(para)
        instruments = self.read_instruments(para)
        self.read_sessions(para)
        meetings = self.read_meetings(para, bodies)
        self.read_reports(para, meetings)
        self.read_provisions(para, instruments, bodies)

    def read_instruments(self, para: Part) -> list[tuple[ox.NamedNode, str, str]]:
        found: list[tuple[ox.NamedNode, str, str]] = []
        for m in self.lang.instrument.finditer(para.text):
            kind = self.lang.instrument_kind(m.group("kind"))
            s, k = int(m.group("s")), int(m.group("k"))
            node = self.ids.instrument(kind, s, k)
            identifier = f"{s}/{k}"
            self.out.add(node, TYPE, u(kind.capitalize()))
            self.out.add(node, u("identifier"), lit(identifier))
            self.out.add(node, u("adoptedAt"), self.ids.session(s))
            self.label(node, labels.instrument(kind, identifier))
            self.cite(node, para)
            if t := self.lang.title.match(para.text, m.end()):
                title = next(g for g in t.groups() if g)
                self.out.add(node, TITLE, lit(title.strip(), self.lang.code))
            session = self.ids.session(s)
            self.out.add(session, TYPE, u("Session"))
            self.out.add(session, u("sessionOf"), self.ids.body("cop"))
            self.out.add(session, u("ordinal"), integer(s))
            self.label(session, labels.session(s))
            self.cite(session, para)
            if all(node != f[0] for f in found):
                found.append((node, kind, identifier))
        return found

    def read_sessions(self, para: Part) -> None:
        for m in self.lang.session.finditer(para.text):
            n = self.lang.ordinal(" ".join(filter(None, [m.group("tens"), m.group("ord")])))
            if n is not None and n == self.session:
                self.cite(self.ids.session(n), para)

    def read_meetings(self, para: Part, bodies: list[str]) -> list[Meeting]:
        meetings: list[Meeting] = []
        for m in self.lang.meeting.finditer(para.text):
            word = " ".join(filter(None, [m.group("tens"), m.group("ord")]))
            n = self.lang.ordinal(word)
            when = self.lang.date.match(para.text, m.end())
            if n is None:
                if when is not None:
                    self.problem(para, f"meeting ordinal in an unknown form: {word!r}")
                continue
            if when is None:
                self.problem(para, f"no dates for the {word} meeting ({n})")
                continue
            try:
                start, end = self.lang.parse_date_range(when)
            except ValueError as error:
                self.problem(para, f"impossible date {when.group(0)!r}: {error}")
                continue
            if end < start:
                self.problem(para, f"meeting ends before it starts: {when.group(0)!r}")
                continue
            if not bodies:
                self.problem(para, f"no working group for the {word} meeting")
                continue
            meetings.append(self.meeting(para, bodies[0], n, start, end))
        return meetings

    def meeting(self, para: Part, body: str, n: int, start: dt.date, end: dt.date) -> Meeting:
        node = self.ids.meeting(body, n)
        self.out.add(node, TYPE, u("Meeting"))
        self.out.add(node, u("meetingOf"), self.ids.body(body))
        self.out.add(node, u("ordinal"), integer(n))
        self.out.add(node, START, date(start))
        self.out.add(node, END, date(end))
        self.label(node, labels.meeting(n, self.body_labels(body)))
        self.cite(node, para)
        section = self.layout.part("section", para.section) if para.section else None
        place = self.place_in(para.text)
        if section is not None:
            self.cite(node, section)
            place = place or self.section_place.get(section.number)
        if place is None:
            self.problem(para, f"no place for meeting {n} in the paragraph or its section")
        else:
            self.out.add(node, LOCATION, place)
        return Meeting(node, body, n)

    def read_reports(self, para: Part, meetings: list[Meeting]) -> None:
        symbols = []
        for raw in find_symbol_candidates(para.text):
            try:
                symbols.append(normalise_symbol(raw))
            except SymbolError as error:
                self.problem(para, str(error))
                return
        if not symbols:
            return
        respectively = bool(self.lang.respectively.search(para.text))
        if len(symbols) != len(meetings) and (respectively or meetings):
            self.problem(
                para,
                f"{len(symbols)} report symbols but {len(meetings)} meetings to pair them with",
            )
            return
        section = self.layout.part("section", para.section) if para.section else None
        for i, symbol in enumerate(symbols):
            node = self.ids.document(symbol_key(symbol))
            self.out.add(node, u("documentSymbol"), lit(symbol))
            self.cite(node, para)
            if section is not None:
                self.cite(node, section)
            if not meetings:
                self.out.add(node, TYPE, u("Document"))
                continue
            meeting = meetings[i]
            self.out.add(self.ids.body(meeting.body), u("symbolSeries"), lit(series(symbol)))
            self.out.add(node, TYPE, u("Report"))
            self.out.add(node, u("reportOf"), meeting.node)
            self.label(node, labels.report(meeting.ordinal, self.body_labels(meeting.body)))
            if self.session is not None and self._mentions_session(para.text):
                self.out.add(node, u("submittedTo"), self.ids.session(self.session))

    def _mentions_session(self, text: str) -> bool:
        for m in self.lang.session.finditer(text):
            n = self.lang.ordinal(" ".join(filter(None, [m.group("tens"), m.group("ord")])))
            if n == self.session:
                return True
        return False

    def read_provisions(self, para: Part, instruments, bodies: list[str]) -> None:
        if not instruments or not bodies:
            return
        node, kind, identifier = instruments[0]
        types = [
            ptype
            for ptype, cues in self.lang.provision_cues.items()
            if all(cue.search(para.text) for cue in cues)
        ]
        for ptype in types:
            for body in bodies:
                provision = self.ids.provision(node, ptype, body)
                self.out.add(provision, TYPE, u("Provision"))
                self.out.add(provision, u("provisionOf"), node)
                self.out.add(provision, u("addresses"), self.ids.body(body))
                self.out.add(provision, u("provisionType"), self.ids.provision_type(ptype))
                names = labels.provision(kind, identifier, ptype, self.body_labels(body))
                self.label(provision, names)
                self.cite(provision, para)
                body_node = self.ids.body(body)
                if ptype == "establishes":
                    if self.lang.interim is not None and self.lang.interim.search(para.text):
                        self.out.add(provision, u("interim"), BOOLEAN_TRUE)
                    self.out.add(body_node, u("establishedBy"), node)
                    self.out.add(body_node, u("mandateConcerns"), self.mandate(para))
                elif ptype == "makes-permanent":
                    self.out.add(body_node, u("madePermanentBy"), node)

    def mandate(self, para: Part) -> ox.NamedNode:
        """The protocol the establishing paragraph speaks of, else the Convention."""
        for key, pattern in self.lang.treaties.items():
            if key != "untoc" and pattern.search(para.text):
                return self.ids.node("treaty", key)
        return self.ids.node("treaty", "untoc")
