"""`kg query QUERY|FILE.rq`: a SPARQL query against the on-disk store, as a table or in any
result format. Obeys the federation allow-list, as /sparql does."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from graph_service import formats
from graph_service.cli.common import ExitCode, UsageError, config_from_args, fail, open_for_reading
from graph_service.sparql.dataset import dataset_for
from graph_service.sparql.federation import ServiceNotAllowed, check_query_services
from graph_service.sparql.forms import diagnose

RESULT_FORMATS = {f.name: f for f in formats.SOLUTION_FORMATS}
GRAPH_FORMATS = {f.name: f for f in formats.GRAPH_FORMATS}
QUERY_FORMATS = ["table", *RESULT_FORMATS, *GRAPH_FORMATS]


def add_command(subparsers) -> None:
    parser = subparsers.add_parser("query", help="run a SPARQL query against the store")
    parser.add_argument("query", help="a SPARQL query, or a file holding one (e.g. q.rq)")
    parser.add_argument(
        "--format",
        choices=QUERY_FORMATS,
        help="table (default for SELECT/ASK), json, xml, csv, tsv; "
        "turtle (default for CONSTRUCT/DESCRIBE), ntriples, jsonld, rdfxml",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    config = config_from_args(args)
    text = args.query
    if text.endswith(".rq") or Path(text).is_file():
        try:
            text = Path(text).read_text(encoding="utf-8")
        except OSError as error:
            return fail("query", f"cannot read {args.query}: {error.strerror}")
    try:
        check_query_services(text, config)
    except ServiceNotAllowed as error:
        return fail("query", str(error))
    try:
        store = open_for_reading(config)
        results = store.query(text, base_iri=config.base_iri, **dataset_for(text).query_arguments())
        output = render(results, args.format)
    except SyntaxError as error:
        return fail("query", str(diagnose(text, "query", error)))
    except UsageError as error:
        return fail("query", str(error), ExitCode.USAGE)
    except (OSError, ValueError) as error:
        return fail("query", str(error))
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    return ExitCode.OK


def render(results, fmt: str | None) -> bytes:
    """Serialise query results in `fmt`, or the readable default for the query form."""
    if isinstance(results, ox.QueryTriples):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise UsageError(
                f"--format {fmt} does not fit a CONSTRUCT/DESCRIBE result; "
                f"use one of {', '.join(GRAPH_FORMATS)}"
            )
        return results.serialize(format=GRAPH_FORMATS[fmt].rdf) or b""
    fmt = fmt or "table"
    if fmt in GRAPH_FORMATS:
        raise UsageError(
            f"--format {fmt} fits only CONSTRUCT/DESCRIBE; "
            f"use table or one of {', '.join(RESULT_FORMATS)}"
        )
    if fmt != "table":
        return results.serialize(format=RESULT_FORMATS[fmt].results) or b""
    if isinstance(results, ox.QueryBoolean):
        return b"true\n" if bool(results) else b"false\n"
    return table(results).encode()


def table(solutions: ox.QuerySolutions) -> str:
    """A plain aligned text table: IRIs and literal values as they are, unbound empty."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[name]) for name in names] for row in solutions]
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(names)]
    lines = [" | ".join(name.ljust(w) for name, w in zip(names, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.language:
        return f"{term.value}@{term.language}"
    return term.value if hasattr(term, "value") else str(term)
