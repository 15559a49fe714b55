"""`kg federate`: endpoint health and label harvesting from the federation registry."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from graph_service.cli.common import ExitCode, config_from_args


def add_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "federate",
        help="check federated endpoints and harvest labels of linked external concepts",
        description="With --health: a health table of the registered endpoints (and whether "
        "each is verified: documented by its publisher). Otherwise: harvest labels and codes of "
        "the external IRIs our data links to (owl:sameAs, skos:exactMatch, untoc:relatedSDG) "
        "into graph/linkset-<key>, from the verified endpoints, or from those named with "
        "--endpoint. Opens the on-disk store, so run it while `kg serve` is stopped.",
    )
    parser.add_argument(
        "--endpoint",
        action="append",
        metavar="KEY",
        help="only this registered endpoint (repeatable)",
    )
    parser.add_argument("--health", action="store_true", help="only report endpoint health")
    parser.add_argument(
        "--registry",
        help="federation registry TOML (default: "
        "graph_service/federation.toml, or KG_FEDERATION_CONFIG)",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from graph_service.sparql import federation

    config = config_from_args(args)
    if args.registry:
        config = replace(config, federation_config=Path(args.registry))
    try:
        endpoints = federation.load_registry(config.federation_config)
    except ValueError as error:
        print(f"kg federate: {error}", file=sys.stderr)
        return ExitCode.USAGE
    if args.endpoint:
        known = {e.key for e in endpoints}
        unknown = [key for key in args.endpoint if key not in known]
        if unknown:
            print(
                f"kg federate: unknown endpoint {', '.join(unknown)}; registered: "
                f"{', '.join(sorted(known))}",
                file=sys.stderr,
            )
            return ExitCode.USAGE
        endpoints = [e for e in endpoints if e.key in args.endpoint]

    if args.health:
        return print_health(endpoints)
    if not args.endpoint:
        skipped = [e.key for e in endpoints if not e.verified]
        if skipped:
            print(
                f"kg federate: not harvesting from unverified endpoints {', '.join(skipped)} "
                "(name one with --endpoint to try it)",
                file=sys.stderr,
            )
        endpoints = [e for e in endpoints if e.verified]
    return run_harvest(config, endpoints)


def print_health(endpoints) -> int:
    from graph_service.sparql import harvest

    results = [harvest.check_health(e) for e in endpoints]
    width = max([len(r.key) for r in results] + [3])
    print(f"{'key':<{width}}  status  latency_ms  verified  endpoint")
    for r, e in zip(results, endpoints, strict=True):
        latency = f"{r.latency_ms:.0f}" if r.latency_ms is not None else "-"
        verified = "yes" if e.verified else "NO"
        print(
            f"{r.key:<{width}}  {'ok' if r.ok else 'FAIL':<6}  {latency:>10}  {verified:<8}  "
            f"{r.endpoint}"
            + (f"\n{'':<{width}}  {r.error}" if r.error else "")
            + (f"\n{'':<{width}}  unverified: {e.evidence}" if not e.verified else "")
        )
    return ExitCode.OK if all(r.ok for r in results) else ExitCode.BAD_INPUT


def run_harvest(config, endpoints) -> int:
    from graph_service.sparql import harvest
    from graph_service.store.opening import open_store

    if config.store_path is None:
        print("kg federate: needs an on-disk store (--store or KG_STORE)", file=sys.stderr)
        return ExitCode.USAGE
    try:
        store = open_store(config)
    except OSError as error:
        print(
            f"kg federate: cannot open the store {config.store_path} ({error}); "
            "is `kg serve` running? Stop it first.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    try:
        report = harvest.harvest(store, config, endpoints)
    except Exception as error:  # network or remote errors: say which, write nothing
        print(
            f"kg federate: harvest failed, nothing written: {harvest.describe_error(error)}",
            file=sys.stderr,
        )
        return ExitCode.BAD_INPUT
    for item in report:
        dropped = f" ({item.dropped} rows dropped: not labels of our IRIs)" if item.dropped else ""
        print(
            f"{item.key}: {item.links} linked IRIs, {item.labels} labels -> {item.graph}{dropped}"
        )
    return 0
