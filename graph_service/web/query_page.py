"""The human query page: YASGUI (vendored), on GET /sparql with Accept: text/html.

Example queries are the competency questions in tests/competency/*.rq, read at request
time (first line `# title: ...`); without JavaScript the page is a plain form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import render_template, request

from graph_service.config import PROJECT_ROOT
from graph_service.vocabulary import UNTOC, entity_iri, graph_iri, prefixes
from graph_service.web.context import get_config
from graph_service.web.pages.ui import request_ui

EXAMPLES_DIR = PROJECT_ROOT / "tests" / "competency"
YASGUI_VERSION = "4.6.2"

STANDARD_PREFIXES = ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "schema", "org", "prov")


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    query: str


def vocabulary_prefixes(base_iri: str) -> dict[str, str]:
    return {
        "untoc": UNTOC,
        "id": entity_iri(base_iri, ""),
        "body": entity_iri(base_iri, "body/"),
        "graph": graph_iri(base_iri, ""),
        **prefixes(*STANDARD_PREFIXES),
    }


def default_query(prefixes: dict[str, str]) -> str:
    declarations = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in prefixes.items())
    return (
        f"{declarations}\n\n"
        "# The working groups of the Conference of the Parties\n"
        "SELECT DISTINCT ?body ?label WHERE {\n"
        "  ?body a untoc:WorkingGroup ;\n"
        "        rdfs:label ?label .\n"
        '  FILTER(lang(?label) = "en")\n'
        "}\nORDER BY ?label\n"
    )


_TITLE = re.compile(r"^#\s*title:\s*(.+)$", re.IGNORECASE)


def load_examples(directory: Path | None = None) -> list[Example]:
    """Every *.rq in `directory` with its `# title:` line (file name if none); an
    unreadable file is left out rather than breaking the page."""
    directory = directory or EXAMPLES_DIR
    if not directory.is_dir():
        return []
    examples = []
    for path in sorted(directory.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        first = text.splitlines()[0] if text.strip() else ""
        match = _TITLE.match(first)
        title = match.group(1).strip() if match else path.stem.replace("-", " ")
        examples.append(Example(path.stem, title, text))
    return examples


def render_query_page(query: str | None = None):
    """The query page as a Flask response body (the endpoint's route sets headers).
    With `query` (a browser following a "query this" link) the editor holds it and runs it."""
    config = get_config()
    prefixes = vocabulary_prefixes(config.base_iri)
    examples = load_examples()
    return render_template(
        "sparql.html",
        ui=request_ui(),
        endpoint=request.base_url,
        prefixes=prefixes,
        default_query=query or default_query(prefixes),
        autorun=bool(query),
        examples=examples,
        examples_json=[{"key": e.key, "title": e.title, "query": e.query} for e in examples],
        yasgui_version=YASGUI_VERSION,
    )
