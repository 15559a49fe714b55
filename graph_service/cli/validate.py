"""`kg validate [PATHS...]`: the SHACL report of the sources, nothing loaded."""

from __future__ import annotations

import time

from graph_service.cli.common import (
    add_paths_argument,
    config_from_args,
    fail,
    source_paths,
    store_path,
)
from graph_service.store.loading import ValidationFailed, check_against, check_on_disk
from graph_service.store.opening import is_remote, open_store
from graph_service.store.sources import SourceError
from graph_service.store.validation import ShapesError


def add_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate", help="validate sources against the shapes; load nothing"
    )
    add_paths_argument(parser)
    parser.add_argument(
        "--files-only",
        action="store_true",
        help="validate the files alone, not together with the graphs already in the store",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    config = config_from_args(args)
    started = time.perf_counter()
    try:
        paths = source_paths(args, config)
        if not is_remote(config):
            sources = check_on_disk(store_path(config), paths, config, not args.files_only)
        elif args.files_only:
            sources = check_on_disk(None, paths, config, with_store=False)
        else:
            sources = check_against(open_store(config), paths, config)
    except SourceError as error:
        return fail("validate", str(error))
    except ValidationFailed as error:
        print(error.report.text())
        return 1
    except (ShapesError, OSError) as error:
        return fail("validate", str(error))
    elapsed = time.perf_counter() - started
    print(f"Conforms: {len(sources.files)} files, no violations ({elapsed:.1f} s).")
    return 0
