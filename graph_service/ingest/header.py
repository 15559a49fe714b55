"""Reading a document's header: symbol, date, languages, session, place, agenda, titles."""

from __future__ import annotations

import re

from graph_service.ingest import labels
from graph_service.ingest.english import LANGUAGE_NAMES
from graph_service.ingest.facts import series
from graph_service.ingest.reader import Reader
from graph_service.ingest.structure import Part
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
    LANGUAGE,
    LOCATION,
    START,
    TITLE,
    TYPE,
    date,
    integer,
    language,
    lit,
    u,
)


class HeaderReader(Reader):
    """A part of `extract.Extractor`: the masthead of the document."""

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
