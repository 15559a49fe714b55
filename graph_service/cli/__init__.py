"""The `kg` command line. Each concern module adds its own subcommands via `add_commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Each module exposes add_commands(subparsers); a subcommand sets `func(args) -> int`.
COMMAND_MODULES: list[str] = [
    "graph_service.cli.serve",
    "graph_service.cli.synth",
    "graph_service.cli.data",
    "graph_service.cli.ingest",
    "graph_service.cli.federate",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="UNTOC Knowledge Graph")
    parser.add_argument("--store", help="store directory (default var/store, or KG_STORE)")
    parser.add_argument(
        "--base-iri", help="base IRI (default https://w3id.org/untoc/, or KG_BASE_IRI)"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(subparsers)
    return parser


def config_from_args(args):
    from pathlib import Path

    from graph_service.config import Config

    return Config.from_env(
        store_path=Path(args.store) if getattr(args, "store", None) else None,
        base_iri=getattr(args, "base_iri", None),
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `kg export | head`: the reader is gone; stop quietly, as Unix tools do, instead of
        # a traceback (and another one when Python flushes stdout at exit)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
