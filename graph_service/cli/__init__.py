"""The `kg` command line: one module per command, each registered here by name."""

from __future__ import annotations

import argparse
import os
import sys

from graph_service.cli import (
    coverage,
    export,
    federate,
    ingest,
    load,
    query,
    serve,
    synth,
    validate,
)
from graph_service.cli.common import ExitCode, UsageError
from graph_service.store.remote.client import EngineError

COMMANDS = (load, validate, query, export, ingest, federate, coverage, synth, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="UNTOC Knowledge Graph")
    parser.add_argument("--store", help="store directory (default var/store, or KG_STORE)")
    parser.add_argument(
        "--base-iri", help="base IRI (default https://w3id.org/untoc/, or KG_BASE_IRI)"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or ExitCode.OK)
    except UsageError as error:
        print(f"kg {args.command}: error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except EngineError as error:  # the remote store failed (KG_STORE=http://...)
        print(f"kg {args.command}: error: {error}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # `kg export | head`: the reader is gone; stop quietly, as Unix tools do, instead of
        # a traceback (and another one when Python flushes stdout at exit)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitCode.BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
