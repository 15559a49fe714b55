"""Where a change is tried before it reaches the store: a staging store that is validated,
then swapped in whole, or thrown away.

- `Staging.fresh(beside)`: an empty on-disk store in a folder next to the store (same file
  system, so that it can be renamed into place), or in memory.
- `Staging.checkpoint(source, beside)`: a RocksDB checkpoint of an on-disk store: its files
  are hard links, made in milliseconds whatever the size, and taking one from a read-only
  handle changes no file of the source.
- `Staging.copy(source)`: an in-memory copy (stores in memory are small: tests, `/validate`).
- `swap(target)`: the staging folder takes the store's place in one atomic rename
  (`renameat2(RENAME_EXCHANGE)`); the old folder is left for the caller to delete.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

_COUNTER = itertools.count(1)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def sibling(path: Path, label: str) -> Path:
    """A fresh folder name next to `path` (hidden, with the process id)."""
    return path.parent / f".{path.name}.{label}-{os.getpid()}-{next(_COUNTER)}"


def compact(store: ox.Store, path: Path | None, passes: int = 3) -> None:
    """Compact until a pass changes no file (at most `passes`). Under load, RocksDB's own
    background compactions of a fresh bulk load can still be running when the first pass
    ends, and leave files that the next open for writing compacts (seen with both cores
    busy, in about one run of six of tests/store/test_compaction.py)."""
    for _ in range(passes):
        before = sst_files(path)
        store.optimize()
        if path is None or sst_files(path) == before:
            return


def sst_files(path: Path | None) -> set[str]:
    return {file.name for file in path.glob("*.sst")} if path is not None else set()


class Staging:
    def __init__(self, store: ox.Store, path: Path | None = None):
        self.store = store
        self.path = path

    @classmethod
    def fresh(cls, beside: Path | None) -> Staging:
        if beside is None:
            return cls(ox.Store())
        path = sibling(beside, "staging")
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(ox.Store(str(path)), path)

    @classmethod
    def checkpoint(cls, source: ox.Store, beside: Path) -> Staging:
        path = sibling(beside, "staging")
        source.backup(str(path))
        return cls(ox.Store(str(path)), path)

    @classmethod
    def copy(cls, source: ox.Store) -> Staging:
        store = ox.Store()
        store.extend(source.quads_for_pattern(None, None, None, None))
        return cls(store)

    def compact(self) -> None:
        """Compact a bulk-loaded store before it is served. The bulk loader leaves hundreds
        of overlapping files (390 at 10M triples); the first process to open the store for
        writing (`kg serve`'s writer) would compact them while the serving processes read
        through handles opened before, which is what `Store.stale` guards against. Done
        here, it costs 21 s at 10M, during the validation when the load is in the
        background."""
        compact(self.store, self.path)

    def close(self) -> None:
        """Drop this handle; RocksDB closes once nothing else refers to the store (the
        collector breaks reference cycles that would keep it open, and its files in use,
        while the folder is renamed or deleted)."""
        if hasattr(self, "store"):
            del self.store
        gc.collect()

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)

    def swap(self, target: Path) -> Path | None:
        """Put the staging store at `target` (closing it); returns where the store that was
        there now is, to be deleted by the caller (None if there was none)."""
        assert self.path is not None, "only an on-disk staging store can take a store's place"
        self.store.flush()
        self.close()
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()
        if not target.exists():
            os.rename(self.path, target)
            return None
        exchange(self.path, target)
        return self.path


def exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux renameat2); else by three renames."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if done == 0:
            return
    aside = sibling(b, "old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)


_WRITER = """
import sys
from pathlib import Path

import pyoxigraph as ox

from graph_service.store.sources import load_files
from graph_service.store.staging import compact

store = ox.Store(sys.argv[1])
load_files(store, [Path(p) for p in sys.argv[3:]], sys.argv[2])
store.flush()
compact(store, Path(sys.argv[1]))  # as Staging.compact does
"""


class Background:
    """A fresh on-disk staging store filled from source files by another process, while
    this one validates the same files in memory: the bulk load to disk and the validation
    then take the time of the longer of the two, not of both."""

    def __init__(self, files: list[Path], base_iri: str, beside: Path):
        self.path = sibling(beside, "staging")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-c", _WRITER, str(self.path), base_iri, *map(str, files)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait(self) -> Staging:
        """The filled staging store (OSError if the writer failed)."""
        _, error = self.process.communicate()
        if self.process.returncode != 0:
            self.cancel()
            raise OSError(f"writing the staging store failed: {error.decode().strip()[-500:]}")
        return Staging(ox.Store(str(self.path)), self.path)

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()  # reaps it and closes its pipe
        shutil.rmtree(self.path, ignore_errors=True)
