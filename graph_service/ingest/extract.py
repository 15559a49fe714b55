"""From the layout of a document to a candidate named graph in the ontology of
docs/data-model.md. Every fact cites the part it comes from (dcterms:source); anything that
cannot be read is collected as a Problem (part + text) instead of being guessed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.ingest import labels
from graph_service.ingest.english import LANGUAGE_NAMES
from graph_service.ingest.language import Language, tokens
from graph_service.ingest.reference import Reference
from graph_service.ingest.russian import translit
from graph_service.ingest.structure import Layout, Part
from graph_service.ingest.symbols import (
    SymbolError,
    find_symbol_candidates,
    normalise_symbol,
    symbol_key,
)
from graph_service.ingest.vocabulary import (
    CREATOR,
    END,
    IS_PART_OF,
    ISSUED,
    LABEL,
    LANGUAGE,
    LOCATION,
    PLACE,
    SOURCE,
    START,
    TITLE,
    TYPE,
    VALUE,
    Ids,
    date,
    integer,
    language,
    lit,
    u,
)

TREATY_CLASS = {"untoc": "Convention"}
SUPPLEMENTING = re.compile(r"дополняющ|supplementing", re.I)
BOOLEAN_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def series(symbol: str) -> str:
    """CTOC/COP/WG.4/2023/5 -> CTOC/COP/WG.4: the symbol without its year and number."""
    return re.sub(r"/\d{4}/\d+$", "", symbol)


@dataclass
class Problem:
    where: str  # "paragraph 3", "header", "section heading 2"
    line: int
    message: str
    text: str

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 200 else self.text[:197] + "..."
        return f"line {self.line}, {self.where}: {self.message}\n    text: {excerpt}"


@dataclass
class Meeting:
    node: ox.NamedNode
    body: str
    ordinal: int


@dataclass
class Extraction:
    key: str
    graph: ox.NamedNode
    document: ox.NamedNode
    language: str
    triples: set[ox.Triple] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    proposed_bodies: dict[str, str] = field(default_factory=dict)  # new key -> name

    def add(self, s, p, o) -> None:
        self.triples.add(ox.Triple(s, p, o))


class Extractor:
    def __init__(self, layout: Layout, lang: Language, reference: Reference, key: str, base: str):
        self.layout = layout
        self.lang = lang
        self.ref = reference
        self.ids = Ids(base)
        doc = self.ids.document(key)
        self.out = Extraction(key, self.ids.graph(key), doc, lang.code)
        self.doc = doc
        self.session: int | None = None
        self.section_body: dict[int, str] = {}
        self.section_place: dict[int, str] = {}
        self.matchers = self._body_matchers()

    # ---- helpers
    def part_iri(self, part: Part) -> ox.NamedNode:
        return ox.NamedNode(f"{self.doc.value}#{part.fragment}")

    def cite(self, node: ox.NamedNode, part: Part) -> None:
        self.out.add(node, SOURCE, self.part_iri(part))

    def label(self, node, names: dict[str, str]) -> None:
        for code, text in names.items():
            self.out.add(node, LABEL, lit(text, code))

    def problem(self, part: Part, message: str, text: str | None = None) -> None:
        self.out.problems.append(Problem(part.where(), part.line, message, text or part.text))

    # ---- bodies
    def _body_matchers(self) -> list[tuple[str, list[str]]]:
        matchers = []
        for key, names in self.ref.names.items():
            if key == "cop":
                continue
            for name in names:
                words = tokens(name, self.lang.stem)
                if len(words) >= 3:
                    matchers.append((key, words))
        return sorted(matchers, key=lambda m: -len(m[1]))

    def bodies_named(self, text: str) -> list[str]:
        words = tokens(text, self.lang.stem)
        taken = [False] * len(words)
        found: list[tuple[int, str]] = []
        for key, pattern in self.matchers:
            n = len(pattern)
            for i in range(len(words) - n + 1):
                if words[i : i + n] == pattern and not any(taken[i : i + n]):
                    taken[i : i + n] = [True] * n
                    found.append((i, key))
        ordered: list[str] = []
        for _, key in sorted(found):
            if key not in ordered:
                ordered.append(key)
        return ordered

    def body_labels(self, key: str) -> dict[str, str]:
        return self.ref.labels.get(key, {})

    def propose_body(self, name: str) -> str:
        words = [w for w in re.findall(r"[^\W\d_]+", translit(name).lower()) if len(w) > 3]
        key = "wg-" + "-".join(words[2:5] or words[:3])
        self.out.proposed_bodies[key] = name
        self.ref.labels[key] = {self.lang.code: name}
        self.ref.names[key] = [name]
        self.matchers.insert(0, (key, tokens(name, self.lang.stem)))
        return key

    # ---- the run
    def run(self) -> Extraction:
        header = self.layout.part("header")
        if header is None:
            self.out.problems.append(Problem("header", 1, "no header before the first section", ""))
        else:
            self.read_header(header)
        for part in self.layout.parts:
            self.read_part_text(part)
        for section in self.layout.of_kind("section"):
            self.read_section(section)
        for para in self.layout.of_kind("para"):
            self.read_paragraph(para)
        return self.out

    def read_part_text(self, part: Part) -> None:
        node = self.part_iri(part)
        self.out.add(node, TYPE, u("Paragraph"))
        self.out.add(node, IS_PART_OF, self.doc)
        self.label(node, labels.part(part.kind, part.number))
        if part.kind == "header":
            text = part.text
        elif part.kind == "footnote":
            text = f"{part.marker} {part.text}"
        else:
            text = part.text
        if part.number is not None:
            self.out.add(node, u("ordinal"), integer(part.number))
        self.out.add(node, VALUE, lit(text, self.lang.code))

    # ---- header
    def read_header(self, header: Part) -> None:
        from graph_service.ingest.english import ENGLISH
        from graph_service.ingest.russian import RUSSIAN

        doc, lang = self.doc, self.lang
        blocks = self.layout.header_blocks
        lines = [line for block in blocks for line in block.lines]
        kind = (self.layout.kind_line or "").lower()
        doc_class = "Report" if kind.startswith(("доклад", "report")) else "Note"
        self.out.add(doc, TYPE, u(doc_class))
        self.cite(doc, header)
        by_secretariat = "секретариат" in kind or "secretariat" in kind
        if by_secretariat:
            self.out.add(doc, CREATOR, lit("Secretariat"))
        if blocks and lang.conference.match(blocks[0].text):
            cop = self.ids.body("cop")
            self.out.add(cop, TYPE, u("ConferenceOfTheParties"))
            self.cite(cop, header)
            if self.lang.treaties["untoc"].search(blocks[0].text):
                self.out.add(cop, u("mandateConcerns"), self.ids.node("treaty", "untoc"))
        self.read_treaties(header)
        agenda_at = None
        for i, line in enumerate(lines):
            if m := re.match(r"^Distr\.?:\s*(\w+)", line, re.I):
                self.out.add(doc, u("distribution"), lit(m.group(1)))
            elif m := re.match(r"^Original:\s*(\w+)$", line, re.I):
                self.language_fact(header, u("originalLanguage"), m.group(1))
            elif line.lower() in LANGUAGE_NAMES:
                self.language_fact(header, LANGUAGE, line)
            elif m := lang.agenda_items.match(line):
                agenda_at = i
                self.read_agenda(header, m, lines)
            elif self.session is None and (m := lang.session.fullmatch(line)):
                self.read_session_line(header, m, line)
            elif (m := lang.date.search(line)) and m.start() > 0 and "," in line[: m.start()]:
                self.read_session_place(header, line, m)
            elif re.fullmatch(r"\d{1,2} \w+ \d{4}", line):
                for candidate in (ENGLISH, RUSSIAN):
                    if m := candidate.date.fullmatch(line):
                        self.out.add(doc, ISSUED, date(candidate.parse_date_range(m)[0]))
        if not any(t.subject == doc and t.predicate == LANGUAGE for t in self.out.triples):
            # an original prints only "Original: English": it is in the language it is written in
            self.out.add(doc, LANGUAGE, language(lang.code))
        if self.session is None:
            self.problem(header, "no session found (e.g. 'Twelfth session', 'Двенадцатая сессия')")
        else:
            self.out.add(doc, u("submittedTo"), self.ids.session(self.session))
            self.label(doc, labels.document(doc_class, self.session, by_secretariat))
        self.read_titles(header, blocks, agenda_at)

    def language_fact(self, header: Part, predicate, name: str) -> None:
        code = LANGUAGE_NAMES.get(name.lower())
        if code is None:
            self.problem(header, f"unknown language name {name!r}", name)
        else:
            self.out.add(self.doc, predicate, language(code))

    def read_session_line(self, header: Part, m: re.Match, line: str) -> None:
        n = self.lang.ordinal(" ".join(filter(None, [m.group("tens"), m.group("ord")])))
        if n is None:
            self.problem(header, f"session ordinal in an unknown form: {m.group('ord')!r}", line)
            return
        self.session = n
        node = self.ids.session(n)
        self.out.add(node, TYPE, u("Session"))
        self.out.add(node, u("sessionOf"), self.ids.body("cop"))
        self.out.add(node, u("ordinal"), integer(n))
        self.label(node, labels.session(n))
        self.cite(node, header)

    def read_session_place(self, header: Part, line: str, m: re.Match) -> None:
        if self.session is None:
            self.problem(header, "place and dates before the session line", line)
            return
        node = self.ids.session(self.session)
        try:
            start, end = self.lang.parse_date_range(m)
        except ValueError as error:
            self.problem(header, f"impossible date: {error}", line)
            return
        self.out.add(node, START, date(start))
        self.out.add(node, END, date(end))
        place = self.place_in(line)
        if place is None:
            self.problem(header, "unknown place of the session", line)
        else:
            self.out.add(node, LOCATION, place)
            self.cite(place, header)

    def place_in(self, text: str) -> ox.NamedNode | None:
        for key, pattern in self.lang.places.items():
            if pattern.search(text):
                node = self.ids.node("place", key)
                self.out.add(node, TYPE, PLACE)
                return node
        return None

    def read_agenda(self, header: Part, m: re.Match, lines: list[str]) -> None:
        self.agenda_items = [int(n) for n in re.findall(r"\d+", m.group("items"))]
        marker = m.group("marker")
        footnote = next(
            (f for f in self.layout.of_kind("footnote") if marker and f.marker == marker), None
        )
        self.agenda_footnote = footnote
        if marker and footnote is None:
            self.problem(header, f"agenda footnote {marker!r} not found", m.group(0))
        self.agenda_doc = None
        if footnote is not None:
            candidates = find_symbol_candidates(footnote.text)
            if not candidates:
                self.problem(footnote, "no agenda symbol in the footnote")
            for raw in candidates[:1]:
                try:
                    symbol = normalise_symbol(raw)
                except SymbolError as error:
                    self.problem(footnote, str(error))
                    continue
                self.agenda_doc = self.ids.document(symbol_key(symbol))
                self.out.add(self.agenda_doc, TYPE, u("Agenda"))
                self.out.add(self.agenda_doc, u("documentSymbol"), lit(symbol))
                self.cite(self.agenda_doc, header)
                self.cite(self.agenda_doc, footnote)
                self.cite(self.doc, footnote)
                # the agenda is the Conference's: its series is the Conference's series
                cop = self.ids.body("cop")
                self.out.add(cop, u("symbolSeries"), lit(series(symbol)))
                self.cite(cop, footnote)

    def read_titles(self, header: Part, blocks, agenda_at: int | None) -> None:
        """After the agenda line: one title per agenda item, then the document's title."""
        if agenda_at is None or self.session is None:
            return
        count = 0
        start = None
        for i, block in enumerate(blocks):
            count += len(block.lines)
            if count > agenda_at:
                start = i + 1
                break
        titles = [b.text for b in blocks[start:]] if start is not None else []
        items = self.agenda_items
        if len(titles) != len(items) + 1:
            self.problem(
                header,
                f"expected {len(items)} agenda item titles and the document title after the "
                f"agenda line, found {len(titles)} blocks",
                " | ".join(titles),
            )
            return
        self.out.add(self.doc, TITLE, lit(titles[-1], self.lang.code))
        if self.agenda_doc is not None:
            self.out.add(self.agenda_doc, u("submittedTo"), self.ids.session(self.session))
            self.label(self.agenda_doc, labels.agenda(self.session))
        for n, title in zip(items, titles, strict=False):
            item = self.ids.agenda_item(self.session, n)
            self.out.add(self.doc, u("agendaItem"), item)
            self.out.add(item, TYPE, u("AgendaItem"))
            self.out.add(item, u("ordinal"), integer(n))
            self.out.add(item, u("agendaItemOf"), self.ids.session(self.session))
            self.out.add(item, TITLE, lit(title, self.lang.code))
            self.label(item, labels.agenda_item(n, self.session))
            self.cite(item, header)
            if self.agenda_doc is not None:
                self.out.add(item, IS_PART_OF, self.agenda_doc)
            if self.agenda_footnote is not None:
                self.cite(item, self.agenda_footnote)

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

    def read_treaties(self, para: Part) -> list[str]:
        found = []
        for key, pattern in self.lang.treaties.items():
            if pattern.search(para.text):
                node = self.ids.node("treaty", key)
                self.out.add(node, TYPE, u(TREATY_CLASS.get(key, "Protocol")))
                self.cite(node, para)
                if key != "untoc" and SUPPLEMENTING.search(para.text):
                    self.out.add(node, u("supplements"), self.ids.node("treaty", "untoc"))
                found.append(key)
        return found

    def read_instruments(self, para: Part) -> list[tuple[ox.NamedNode, str, str]]:
        found = []
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
