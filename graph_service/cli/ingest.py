"""`kg ingest FILE`: a UN document into a validated candidate graph; --out, --diff, --load."""

from __future__ import annotations

import sys
from pathlib import Path

from graph_service.cli.common import ExitCode, config_from_args, fail, lock_hint
from graph_service.store import Store
from graph_service.store.opening import is_remote, open_store


def add_command(subparsers) -> None:
    ingest = subparsers.add_parser(
        "ingest", help="read a UN document (text or Markdown) into a candidate named graph"
    )
    ingest.add_argument("file", type=Path, help="the document, e.g. note.ru.md")
    ingest.add_argument("--lang", choices=["ru", "en"], help="its language (default: guessed)")
    ingest.add_argument("--out", type=Path, help="write the candidate graph here (TriG)")
    ingest.add_argument("--diff", action="store_true", help="compare with the store, fact by fact")
    ingest.add_argument("--load", action="store_true", help="load the candidate into the store")
    ingest.add_argument(
        "--force", action="store_true", help="with --load: load even when facts conflict"
    )
    ingest.add_argument("--verbose", action="store_true", help="list every fact in the diff")
    ingest.set_defaults(func=run)


def _fail(message: str, code: ExitCode) -> int:
    return fail("ingest", message, code)


def _open_store(config):
    """The on-disk store read-only (nothing is written before everything validated), or
    the remote engine."""
    if is_remote(config):
        return open_store(config)
    if not Store.exists_at(config.store_path):
        return None
    return Store.read_only(config.store_path)


def run(args) -> int:
    from graph_service.ingest import IngestError
    from graph_service.ingest.candidate import load_candidate, prepare, write_trig
    from graph_service.ingest.diff import format_diff
    from graph_service.store.loading import ValidationFailed
    from graph_service.store.sources import SourceError
    from graph_service.store.validation import ShapesError

    if not args.file.is_file():
        return _fail(f"{args.file}: no such file", ExitCode.BAD_INPUT)
    config = config_from_args(args)
    store = _open_store(config)
    try:
        candidate = prepare(args.file, args.lang, store, config)
    except IngestError as error:
        print(error, file=sys.stderr)
        return _fail(
            "could not extract everything; nothing written, store unchanged", ExitCode.BAD_INPUT
        )
    except ValidationFailed as error:
        print(error.report.text(), file=sys.stderr)
        return _fail(
            "the candidate violates the shapes; nothing written, store unchanged",
            ExitCode.BAD_INPUT,
        )
    except (SourceError, ShapesError) as error:
        return _fail(str(error), ExitCode.BAD_INPUT)
    extraction, result = candidate.extraction, candidate.diff
    print(
        f"kg ingest: {args.file}: {len(extraction.triples)} facts for "
        f"<{extraction.graph.value}> ({extraction.language}), valid against the shapes"
    )
    for key, name in extraction.proposed_bodies.items():
        print(f"  proposed new body id/body/{key}: {name!r} (check the key before loading)")
    if candidate.kept:
        print(
            f"  {len(candidate.kept)} facts the ingester does not extract were kept from the "
            "previous version of the graph (listed by --diff --verbose)"
        )
    if args.diff:
        if store is None or not store.named_graphs():
            print("kg ingest: the store is empty; compared with the curated sources (data/)")
        print(format_diff(result, verbose=args.verbose))
    if args.out:
        write_trig(extraction, args.out)
        print(f"kg ingest: candidate written to {args.out}")
    if args.load:
        if result.conflicting and not args.force:
            return _fail(
                f"{len(result.conflicting)} conflicting facts (see --diff); not loaded, "
                "store unchanged (--force to replace the store's values)",
                ExitCode.CONFLICT,
            )
        remote = store if is_remote(config) else None
        del store  # release the read-only handle before opening for writing
        try:
            load_candidate(extraction, config, remote)
        except OSError as error:
            return _fail(
                f"{error}{lock_hint(error)}\nnot loaded, store unchanged", ExitCode.BAD_INPUT
            )
        print(f"kg ingest: loaded <{extraction.graph.value}> into {config.store_path}")
    return 0
