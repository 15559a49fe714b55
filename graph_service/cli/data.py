"""`kg load`, `kg validate`, `kg query`, `kg export`: the data commands.

Exit codes: 0 success, 1 bad input (syntax error, shape violation, bad query, no store),
2 usage error (argparse, or a format that does not fit the query form).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyoxigraph as ox

from graph_service.store.loading import (
    SourceError,
    ValidationFailed,
    check_on_disk,
    load_on_disk,
)
from graph_service.store.store import EXPORT_FORMATS, QUAD_FORMATS, Store
from graph_service.store.validation import ShapesError

SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
QUERY_FORMATS = ["table", *SOLUTION_FORMATS, *GRAPH_FORMATS]


class UsageError(Exception):
    """Arguments that parse but do not fit together (exit code 2)."""


def add_commands(subparsers) -> None:
    load = subparsers.add_parser(
        "load", help="validate, then load sources into the store (all or nothing)"
    )
    load.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default ontology/ shapes/ data/)"
    )
    load.set_defaults(func=run_load)

    validate = subparsers.add_parser(
        "validate", help="validate sources against the shapes; load nothing"
    )
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default ontology/ shapes/ data/)"
    )
    validate.add_argument(
        "--files-only",
        action="store_true",
        help="validate the files alone, not together with the graphs already in the store",
    )
    validate.set_defaults(func=run_validate)

    query = subparsers.add_parser("query", help="run a SPARQL query against the store")
    query.add_argument("query", help="a SPARQL query, or a file holding one (e.g. q.rq)")
    query.add_argument(
        "--format",
        choices=QUERY_FORMATS,
        help="table (default for SELECT/ASK), json, xml, csv, tsv; "
        "turtle (default for CONSTRUCT/DESCRIBE), ntriples, jsonld, rdfxml",
    )
    query.set_defaults(func=run_query)

    export = subparsers.add_parser("export", help="write the store (or one graph) as RDF")
    export.add_argument(
        "--format",
        choices=list(EXPORT_FORMATS),
        default="trig",
        help="default trig (keeps the named graphs); turtle and ntriples merge them",
    )
    export.add_argument("--graph", help="IRI of one named graph to export")
    export.add_argument(
        "-o", "--output", type=Path, help="file to write (default: standard output)"
    )
    export.set_defaults(func=run_export)


def _fail(command: str, message: str, code: int = 1) -> int:
    print(f"kg {command}: error: {message}", file=sys.stderr)
    return code


def lock_hint(error: OSError) -> str:
    """RocksDB's lock error said plainly: the usual holder is a running `kg serve`."""
    if "lock" in str(error).lower():
        return "\nthe store is in use by another process (a running `kg serve`?): stop it first"
    return ""


def _paths(args, config) -> list[Path]:
    return list(args.paths) if args.paths else list(config.source_dirs)


def _open_for_reading(config) -> Store:
    """The on-disk store, read-only (nothing written, usable while `kg serve` runs)."""
    if not (Path(config.store_path) / "CURRENT").exists():
        raise FileNotFoundError(f"no store at {config.store_path}; run `kg load` first")
    return Store.read_only(config.store_path)


def run_load(args) -> int:
    from graph_service.cli import config_from_args

    config = config_from_args(args)
    started = time.perf_counter()
    try:
        sources = load_on_disk(config.store_path, _paths(args, config), config)
    except SourceError as error:
        return _fail("load", f"{error}\nnothing loaded; the store is unchanged")
    except ValidationFailed as error:
        print(error.report.text(), file=sys.stderr)
        return _fail(
            "load", "the graph violates the shapes; nothing loaded, the store is unchanged"
        )
    except (ShapesError, OSError) as error:
        hint = lock_hint(error) if isinstance(error, OSError) else ""
        return _fail("load", f"{error}{hint}\nnothing loaded; the store is unchanged")
    triples = sum(len(t) for t in sources.graphs.values())
    elapsed = time.perf_counter() - started
    print(
        f"kg load: {triples} triples in {len(sources.graphs)} graphs from {len(sources.files)} "
        f"files validated and loaded into {config.store_path} ({elapsed:.1f} s)"
    )
    return 0


def run_validate(args) -> int:
    from graph_service.cli import config_from_args

    config = config_from_args(args)
    started = time.perf_counter()
    try:
        sources = check_on_disk(
            config.store_path, _paths(args, config), config, with_store=not args.files_only
        )
    except SourceError as error:
        return _fail("validate", str(error))
    except ValidationFailed as error:
        print(error.report.text())
        return 1
    except (ShapesError, OSError) as error:
        return _fail("validate", str(error))
    elapsed = time.perf_counter() - started
    print(f"Conforms: {len(sources.files)} files, no violations ({elapsed:.1f} s).")
    return 0


def run_query(args) -> int:
    from graph_service.cli import config_from_args

    config = config_from_args(args)
    text = args.query
    if text.endswith(".rq") or Path(text).is_file():
        try:
            text = Path(text).read_text(encoding="utf-8")
        except OSError as error:
            return _fail("query", f"cannot read {args.query}: {error.strerror}")
    from graph_service.sparql.federation import ServiceNotAllowed, check_query_services

    try:
        check_query_services(text, config)
    except ServiceNotAllowed as error:
        return _fail("query", str(error))
    try:
        store = _open_for_reading(config)
        results = store.query(text, base_iri=config.base_iri)
        output = render(results, args.format)
    except SyntaxError as error:
        return _fail("query", f"SPARQL syntax error: {error}")
    except UsageError as error:
        return _fail("query", str(error), code=2)
    except (OSError, ValueError) as error:
        return _fail("query", str(error))
    sys.stdout.buffer.write(output)
    sys.stdout.flush()
    return 0


def render(results, fmt: str | None) -> bytes:
    """Serialise query results in `fmt`, or the readable default for the query form."""
    if isinstance(results, ox.QueryTriples):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise UsageError(
                f"--format {fmt} does not fit a CONSTRUCT/DESCRIBE result; "
                f"use one of {', '.join(GRAPH_FORMATS)}"
            )
        return results.serialize(format=GRAPH_FORMATS[fmt]) or b""
    fmt = fmt or "table"
    if fmt in GRAPH_FORMATS:
        raise UsageError(
            f"--format {fmt} fits only CONSTRUCT/DESCRIBE; "
            f"use table or one of {', '.join(SOLUTION_FORMATS)}"
        )
    if fmt != "table":
        return results.serialize(format=SOLUTION_FORMATS[fmt]) or b""
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


def run_export(args) -> int:
    from graph_service.cli import config_from_args

    config = config_from_args(args)
    try:
        store = _open_for_reading(config)
        if args.graph and args.graph not in store.named_graphs():
            return _fail("export", f"no graph <{args.graph}> in the store")
        if args.graph and args.format in QUAD_FORMATS:
            # keep the graph name, so that `kg load` of the file replaces that graph
            quads = list(store.quads(args.graph))
            data = ox.serialize(quads, format=EXPORT_FORMATS[args.format]) or b""
        else:
            data = store.export(args.format, graph_iri=args.graph)
    except (OSError, ValueError) as error:
        return _fail("export", str(error))
    if args.output:
        args.output.write_bytes(data)
        print(f"kg export: {len(data)} bytes of {args.format} written to {args.output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
