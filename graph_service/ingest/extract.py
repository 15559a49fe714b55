"""From the layout of a document to a candidate named graph in the ontology of
docs/data-model.md. Every fact cites the part it comes from (dcterms:source); anything that
cannot be read is collected as a Problem (part + text) instead of being guessed."""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph_service.ingest import labels
from graph_service.ingest.facts import Extraction, Problem
from graph_service.ingest.header import HeaderReader
from graph_service.ingest.language import Language, tokens
from graph_service.ingest.paragraphs import ParagraphReader
from graph_service.ingest.reference import Reference
from graph_service.ingest.russian import translit
from graph_service.ingest.structure import Layout, Part
from graph_service.ingest.vocabulary import (
    IS_PART_OF,
    LABEL,
    SOURCE,
    TYPE,
    VALUE,
    Ids,
    integer,
    lit,
    u,
)


class Extractor(HeaderReader, ParagraphReader):
    """Reads a document's header (header.py) and paragraphs (paragraphs.py) into facts."""

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
