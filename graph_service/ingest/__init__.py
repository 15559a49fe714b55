"""`kg ingest`: a UN document (plain text or Markdown) to a candidate named graph.

read_layout (structure.py) -> Extractor (extract.py, with russian.py / english.py) ->
validate -> diff (diff.py) -> write or load. Nothing is written when anything could not be
extracted or the candidate breaks the shapes.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph_service.ingest.english import ENGLISH
from graph_service.ingest.extract import Extraction, Extractor, Problem
from graph_service.ingest.language import Language
from graph_service.ingest.reference import Reference, builtin
from graph_service.ingest.russian import RUSSIAN
from graph_service.ingest.structure import Layout, LayoutError, read_layout
from graph_service.ingest.symbols import SymbolError, normalise_symbol, symbol_key

LANGUAGES: dict[str, Language] = {"ru": RUSSIAN, "en": ENGLISH}
LANGUAGE_SUFFIX = re.compile(r"\.(ru|en|fr|es|ar|zh)$")


class IngestError(Exception):
    """What could not be extracted; `problems` lists part, line and text."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = problems
        lines = [f"{path}: {len(problems)} problem(s), nothing written:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


def detect_language(layout: Layout) -> str:
    text = " ".join(p.text for p in layout.of_kind("para"))
    cyrillic = sum(1 for c in text if "а" <= c.lower() <= "я")
    latin = sum(1 for c in text if "a" <= c.lower() <= "z")
    return "ru" if cyrillic > latin else "en"


def document_key(path: Path, layout: Layout) -> str:
    """From a symbol printed in the header, else the file name without language suffix:
    cop12-subsidiary-bodies-note.ru.md -> cop12-subsidiary-bodies-note."""
    for block in layout.header_blocks[:3]:
        for line in block.lines:
            if "/" in line and " " not in line.strip():
                try:
                    return symbol_key(normalise_symbol(line))
                except SymbolError:
                    pass
    stem = path.name
    for suffix in (".md", ".txt", ".markdown"):
        stem = stem.removesuffix(suffix)
    return LANGUAGE_SUFFIX.sub("", stem)


def extract(
    path: Path,
    lang: str | None = None,
    base_iri: str = "https://w3id.org/untoc/",
    reference: Reference | None = None,
    text: str | None = None,
) -> Extraction:
    """The candidate graph of one document; IngestError if anything could not be read."""
    path = Path(path)
    try:
        layout = read_layout(path, text)
    except (LayoutError, OSError, UnicodeDecodeError) as error:
        raise IngestError(path, [Problem("document", 1, str(error), "")]) from None
    code = lang or detect_language(layout)
    if code not in LANGUAGES:
        raise IngestError(path, [Problem("document", 1, f"unsupported language {code!r}", "")])
    key = document_key(path, layout)
    extractor = Extractor(layout, LANGUAGES[code], reference or builtin(), key, base_iri)
    extraction = extractor.run()
    if extraction.problems:
        raise IngestError(path, extraction.problems)
    return extraction
