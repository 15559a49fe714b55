"""`kg export`: the store, or one named graph, in any RDF format, with the prefix table."""

from __future__ import annotations

import sys
from pathlib import Path

from graph_service import formats
from graph_service.cli.common import ExitCode, config_from_args, fail, open_for_reading

EXPORT_FORMATS = {f.name: f for f in formats.RDF_FORMATS}


def add_command(subparsers) -> None:
    parser = subparsers.add_parser("export", help="write the store (or one graph) as RDF")
    parser.add_argument(
        "--format",
        choices=list(EXPORT_FORMATS),
        default="trig",
        help="default trig (keeps the named graphs); turtle and ntriples merge them",
    )
    parser.add_argument("--graph", help="IRI of one named graph to export")
    parser.add_argument(
        "-o", "--output", type=Path, help="file to write (default: standard output)"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    config = config_from_args(args)
    try:
        store = open_for_reading(config)
        if args.graph and args.graph not in store.named_graphs():
            return fail("export", f"no graph <{args.graph}> in the store")
        # A dataset format keeps the graph name, so that `kg load` of the file replaces it.
        data = store.export(EXPORT_FORMATS[args.format], graph_iri=args.graph)
    except (OSError, ValueError) as error:
        return fail("export", str(error))
    if args.output:
        args.output.write_bytes(data)
        print(f"kg export: {len(data)} bytes of {args.format} written to {args.output}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return ExitCode.OK
