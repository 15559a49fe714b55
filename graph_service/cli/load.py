"""`kg load [PATHS...]`: validate, then load into the on-disk store, all or nothing."""

from __future__ import annotations

import sys
import time

from graph_service.cli.common import (
    add_paths_argument,
    config_from_args,
    fail,
    lock_hint,
    source_paths,
    store_path,
)
from graph_service.store.loading import ValidationFailed, load, load_on_disk
from graph_service.store.opening import is_remote, open_store
from graph_service.store.sources import SourceError
from graph_service.store.validation import ShapesError


def add_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "load", help="validate, then load sources into the store (all or nothing)"
    )
    add_paths_argument(parser)
    parser.set_defaults(func=run)


def run(args) -> int:
    config = config_from_args(args)
    started = time.perf_counter()
    try:
        if is_remote(config):
            loaded = load(open_store(config), source_paths(args, config), config)
        else:
            loaded = load_on_disk(store_path(config), source_paths(args, config), config)
    except SourceError as error:
        return fail("load", f"{error}\nnothing loaded; the store is unchanged")
    except ValidationFailed as error:
        print(error.report.text(), file=sys.stderr)
        return fail("load", "the graph violates the shapes; nothing loaded, the store is unchanged")
    except (ShapesError, OSError) as error:
        hint = lock_hint(error) if isinstance(error, OSError) else ""
        return fail("load", f"{error}{hint}\nnothing loaded; the store is unchanged")
    elapsed = time.perf_counter() - started
    how = "incrementally " if loaded.incremental else ""
    print(
        f"kg load: {loaded.triples} triples in {len(loaded.graphs)} graphs from "
        f"{len(loaded.files)} files {how}validated and loaded into {config.store_path} "
        f"({elapsed:.1f} s)"
    )
    return 0
