"""`kg synth`: write a synthetic graph of a chosen size (for benchmarks)."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

FORMATS_BY_SUFFIX = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


def add_commands(subparsers) -> None:
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
    synth.set_defaults(func=run_synth)


def run_synth(args) -> int:
    from graph_service.cli import config_from_args
    from graph_service.synth import SynthParams, bodies_for_triples, serialize

    base_iri = config_from_args(args).base_iri
    fmt = ox.RdfFormat.TRIG
    if args.output:
        suffix = Path(args.output).suffix
        if suffix not in FORMATS_BY_SUFFIX:
            print(
                f"kg synth: {args.output}: unknown suffix {suffix!r}; use one of "
                f"{', '.join(FORMATS_BY_SUFFIX)}",
                file=sys.stderr,
            )
            return 2
        fmt = FORMATS_BY_SUFFIX[suffix]
    if args.meetings_per_body < 0 or (args.bodies is not None and args.bodies < 1):
        print("kg synth: --bodies must be >= 1 and --meetings-per-body >= 0", file=sys.stderr)
        return 2
    if args.triples is not None:
        if args.triples < 1:
            print("kg synth: --triples must be >= 1", file=sys.stderr)
            return 2
        bodies = bodies_for_triples(base_iri, args.triples, args.meetings_per_body, args.seed)
    else:
        bodies = args.bodies or 10
    params = SynthParams(bodies=bodies, meetings_per_body=args.meetings_per_body, seed=args.seed)
    data = serialize(base_iri, params, fmt)
    if args.output:
        Path(args.output).write_bytes(data)
        print(
            f"kg synth: wrote {args.output} ({bodies} bodies, "
            f"{args.meetings_per_body} meetings each)",
            file=sys.stderr,
        )
    else:
        sys.stdout.buffer.write(data)
    return 0
