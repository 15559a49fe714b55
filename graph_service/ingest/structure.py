"""The layout of a UN document in plain text or Markdown: header, sections, paragraphs, footnotes.

The header (masthead) runs up to the line naming the kind of document ("Note by the
Secretariat"); after it, numbered lines ("3. ...") are paragraphs, lines starting with a
footnote marker ("* ...") are footnotes and any other block is a section heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph_service.ingest.symbols import strip_links

PARAGRAPH = re.compile(r"^(\d+)\.\s+(.*)$")
FOOTNOTE = re.compile(r"^\\?(\*{1,3})\s+(.*)$")
DOCUMENT_KIND = re.compile(
    r"^(Записка|Доклад)\s+Секретариата$|^(Note|Report)\s+(by|of)\s+the\s+Secretariat$", re.I
)


@dataclass
class Part:
    """A citable part: fragment `header`, `para-3`, `section-1`, `footnote-1`."""

    kind: str  # header | para | section | footnote
    number: int | None
    text: str
    line: int  # 1-based line in the file where the part starts
    marker: str = ""  # footnote marker, e.g. "*"
    section: int | None = None  # for paragraphs: the section heading they fall under

    @property
    def fragment(self) -> str:
        return "header" if self.kind == "header" else f"{self.kind}-{self.number}"

    def where(self) -> str:
        names = {"header": "header", "para": "paragraph", "section": "section heading"}
        name = names.get(self.kind, self.kind)
        return name if self.number is None else f"{name} {self.number}"


@dataclass
class Block:
    line: int
    lines: list[str]
    bold: bool

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines).strip()


@dataclass
class Layout:
    path: Path
    header_blocks: list[Block]
    kind_line: str | None
    parts: list[Part] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Part]:
        return [p for p in self.parts if p.kind == kind]

    def part(self, kind: str, number: int | None = None) -> Part | None:
        return next((p for p in self.parts if p.kind == kind and p.number == number), None)


class LayoutError(ValueError):
    pass


def _clean(text: str) -> str:
    return strip_links(text.replace("**", "")).strip()


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            blocks.append(_block(start, current))
            current = []
    if current:
        blocks.append(_block(start, current))
    return blocks


def _block(start: int, lines: list[str]) -> Block:
    joined = " ".join(s.strip() for s in lines)
    bold = joined.startswith("**") and joined.endswith("**")
    return Block(line=start, lines=[_clean(s) for s in lines], bold=bold)


def read_layout(path: Path, text: str | None = None) -> Layout:
    text = path.read_text(encoding="utf-8") if text is None else text
    text = text.replace("\r\n", "\n").replace("\ufeff", "")
    blocks = _blocks(text.split("\n"))
    kind_at = next((i for i, b in enumerate(blocks) if DOCUMENT_KIND.match(b.text)), None)
    if kind_at is None:
        first_para = next(
            (i for i, b in enumerate(blocks) if PARAGRAPH.match(b.lines[0])), len(blocks)
        )
        # Without a "Note by the Secretariat" line the heading just before paragraph 1 is a
        # section heading only if more than one block precedes it.
        header_end = max(first_para - 1, 1) if first_para > 1 else first_para
        kind_line = None
    else:
        header_end = kind_at + 1
        kind_line = blocks[kind_at].text
    header_blocks = blocks[: kind_at if kind_at is not None else header_end]
    layout = Layout(path=path, header_blocks=header_blocks, kind_line=kind_line)
    if layout.header_blocks:
        # wrapped bold titles are one line each; the lines of plain blocks stay lines
        header_text = "\n".join(
            b.text if b.bold else "\n".join(b.lines) for b in layout.header_blocks
        )
        if kind_line:
            # "Записка Секретариата" closes the masthead: it states the document's author
            header_text = f"{header_text}\n{kind_line}"
        layout.parts.append(Part("header", None, header_text, layout.header_blocks[0].line))
    _read_body(layout, blocks[header_end:])
    if not layout.of_kind("para"):
        raise LayoutError(f"{path}: no numbered paragraphs (lines such as '1. ...') found")
    return layout


def _read_body(layout: Layout, blocks: list[Block]) -> None:
    section = None
    sections = footnotes = 0
    for block in blocks:
        current: Part | None = None
        heading: Part | None = None
        for offset, line in enumerate(block.lines):
            line_no = block.line + offset
            if match := PARAGRAPH.match(line):
                current = Part("para", int(match.group(1)), match.group(2).strip(), line_no)
                current.section = section
                layout.parts.append(current)
            elif match := FOOTNOTE.match(line):
                footnotes += 1
                current = Part("footnote", footnotes, match.group(2).strip(), line_no)
                current.marker = match.group(1)
                layout.parts.append(current)
            elif current is not None:
                current.text = f"{current.text} {line.strip()}"
            elif heading is not None:
                heading.text = f"{heading.text} {line.strip()}"
            else:
                sections += 1
                section = sections
                heading = Part("section", sections, line.strip(), line_no)
                layout.parts.append(heading)
