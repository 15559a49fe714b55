"""`kg synth`: write a synthetic graph of a chosen size (for benchmarks)."""

from __future__ import annotations

import sys
from pathlib import Path

from graph_service import formats
from graph_service.cli.common import ExitCode, config_from_args, fail

OUTPUT_FORMATS = (formats.TRIG, formats.NQUADS, formats.TURTLE, formats.NTRIPLES)


def add_command(subparsers) -> None:
    synth = subparsers.add_parser(
        "synth",
        help="write a synthetic graph of a chosen size in the project's ontology",
        description="Generate a deterministic synthetic graph (named graph graph/synthetic): "
        "conferences, treaties, sessions, working groups, instruments, meetings, reports.",
    )
    size = synth.add_mutually_exclusive_group()
    size.add_argument("--bodies", type=int, help="number of working groups (default 10)")
    size.add_argument("--triples", type=int, help="aim for about this many triples instead")
    synth.add_argument(
        "--meetings-per-body", type=int, default=5, help="meetings per body (default 5)"
    )
    synth.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    synth.add_argument(
        "-o",
        "--output",
        help="output file, format by suffix (.trig, .nq, .ttl, .nt); default TriG on stdout",
    )
    synth.set_defaults(func=run)


def run(args) -> int:
    from graph_service.synth import SynthParams, bodies_for_triples, serialize

    base_iri = config_from_args(args).base_iri
    rdf_format = formats.by_path(args.output, OUTPUT_FORMATS) if args.output else formats.TRIG
    if rdf_format is None:
        suffixes = ", ".join(f".{f.extension}" for f in OUTPUT_FORMATS)
        message = f"{args.output}: unknown suffix; use one of {suffixes}"
        return fail("synth", message, ExitCode.USAGE)
    if args.meetings_per_body < 0 or (args.bodies is not None and args.bodies < 1):
        return fail("synth", "--bodies must be >= 1 and --meetings-per-body >= 0", ExitCode.USAGE)
    if args.triples is not None:
        if args.triples < 1:
            return fail("synth", "--triples must be >= 1", ExitCode.USAGE)
        bodies = bodies_for_triples(base_iri, args.triples, args.meetings_per_body, args.seed)
    else:
        bodies = args.bodies or 10
    params = SynthParams(bodies=bodies, meetings_per_body=args.meetings_per_body, seed=args.seed)
    data, triples = serialize(base_iri, params, rdf_format)
    where = args.output or "standard output"
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    print(
        f"kg synth: {triples} triples ({bodies} bodies, {args.meetings_per_body} meetings each, "
        f"{len(data)} bytes of {rdf_format.name}) written to {where}",
        file=sys.stderr,
    )
    return ExitCode.OK
