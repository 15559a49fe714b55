"""From the layout of a document to a candidate named graph in the ontology of
docs/data-model.md. Every fact cites the part it comes from (dcterms:source); anything that
cannot be read is collected as a Problem (part + text) instead of being guessed."""

from __future__ import annotations

from graph_service.ingest import labels
from graph_service.ingest.facts import Extraction, Problem
from graph_service.ingest.header import HeaderReader
from graph_service.ingest.paragraphs import ParagraphReader
from graph_service.ingest.structure import Part
from graph_service.ingest.vocabulary import (
    IS_PART_OF,
    TYPE,
    VALUE,
    integer,
    lit,
    u,
)


class Extractor(HeaderReader, ParagraphReader):
    """Reads a document's header (header.py) and paragraphs (paragraphs.py) into facts."""

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
