"""What every `kg` command shares: the exit codes, error messages, settings from the
command line, and opening the store for reading."""

from __future__ import annotations

import argparse
import sys
from enum import IntEnum
from pathlib import Path

from graph_service.config import Config, SettingError, store_location
from graph_service.store import Store
from graph_service.store.opening import is_remote, open_store


class ExitCode(IntEnum):
    """The exit codes of every command (docs/cli.md lists them)."""

    OK = 0
    BAD_INPUT = 1  # a syntax error, a shape violation, a bad query, no store, a failed remote
    USAGE = 2  # options that do not fit together, an unknown format or endpoint
    CONFLICT = 3  # `kg ingest --load` of facts that contradict the store
    INTERRUPTED = 130  # Ctrl-C
    BROKEN_PIPE = 141  # the reader went away (`kg export | head`)


class UsageError(Exception):
    """Arguments that parse but do not fit together (exit code 2)."""


def fail(command: str, message: str, code: ExitCode = ExitCode.BAD_INPUT) -> int:
    print(f"kg {command}: error: {message}", file=sys.stderr)
    return int(code)


def config_from_args(args: argparse.Namespace) -> Config:
    """Settings from KG_* variables, with the global --store and --base-iri on top."""
    store = getattr(args, "store", None)
    try:
        return Config.from_env(
            store_path=store_location(store) if store else None,
            base_iri=getattr(args, "base_iri", None),
        )
    except SettingError as error:
        raise UsageError(str(error)) from None
    except ValueError as error:
        raise UsageError(f"--store {store!r}: {error}") from None


def lock_hint(error: OSError) -> str:
    """RocksDB's lock error said plainly: the usual holder is a running `kg serve`."""
    if "lock" in str(error).lower():
        return "\nthe store is in use by another process (a running `kg serve`?): stop it first"
    return ""


def source_paths(args: argparse.Namespace, config: Config) -> list[Path]:
    return list(args.paths) if args.paths else list(config.source_dirs)


def store_path(config: Config) -> Path:
    """The folder of the on-disk store (for commands that work on the store's files)."""
    if config.store_path is None or is_remote(config):
        raise UsageError("this command needs an on-disk store (--store or KG_STORE)")
    return Path(config.store_path)


def open_for_reading(config: Config) -> Store:
    """The on-disk store, read-only (nothing written, usable while `kg serve` runs), or the
    remote engine `KG_STORE` names."""
    if config.store_path is None:
        raise UsageError("this command needs a store (--store or KG_STORE)")
    return open_store(config, read_only=True)


def add_paths_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default ontology/ shapes/ data/)"
    )
