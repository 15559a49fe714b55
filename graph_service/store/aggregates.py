"""Whole-store values computed off the request path: VoID statistics, the sitemap's
resources, counts per class, the label index of search (docs/decisions/0010).

An aggregate is a named computation over the store. Its result is kept in a SQLite database
next to the store (`var/store.aggregates/aggregates.sqlite`; a temporary folder for a store
in memory), keyed by the store's revision (`Store.revision`): every process serving the
store shares it, and a restart keeps it.

- `get(name)` answers from the database when the current revision's value is there. If not,
  the computation starts in a thread of its own (one per aggregate; a lock file per
  aggregate makes processes take turns, and a process finding the value computed by another
  uses it). The request waits for it at most `wait` seconds, and not at all when the last
  computation of that aggregate took longer than that; then it gets the previous revision's
  value (`Found.current` is False), or NotReady (the web layer answers 503 with
  Retry-After) when there is none. No lock is held while computing that a request waits on.
- A computation returns a `Result`: a JSON value and rows (keys such as paths, in order,
  read by ranges or by prefix), for a searchable aggregate each a (key, text) pair whose
  text an FTS5 trigram index makes searchable (substring search in any script: `search`);
  a table of the index's trigrams by their suffixes finds a needle of one or two characters.
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import hashlib
import json
import logging
import shutil
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from graph_service.store.store import Store

log = logging.getLogger(__name__)

DATABASE = "aggregates.sqlite"
RETRY_AFTER = 10  # seconds a client is asked to wait when there is no value yet
RETRY_FAILED = 60.0  # seconds before a computation that failed is tried again
KEPT_REVISIONS = 2  # the current value and the one before it, which readers may still use
_BATCH = 10_000
SHORT_NEEDLE_TERMS = 2000  # past this many trigrams a needle is common: a scan finds it at once

_SCHEMA = """
CREATE TABLE IF NOT EXISTS aggregate (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  revision TEXT NOT NULL,
  computed REAL NOT NULL,
  seconds REAL NOT NULL,
  value TEXT NOT NULL,
  rows INTEGER NOT NULL,
  searchable INTEGER NOT NULL,
  UNIQUE (name, revision)
);
CREATE TABLE IF NOT EXISTS aggregate_row (
  aggregate INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (aggregate, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aggregate_row_key ON aggregate_row (aggregate, key);
"""


class NotReady(Exception):
    """No value of the aggregate yet: it is being computed."""

    def __init__(self, name: str, reason: str = "", retry_after: int = RETRY_AFTER):
        self.name = name
        self.retry_after = retry_after
        super().__init__(
            f"{name} is being computed for the current data; try again in {retry_after} s"
            + (f" ({reason})" if reason else "")
        )


@dataclass
class Result:
    """What a computation returns: a JSON value and rows in order: keys, or for a
    searchable aggregate (key, text) pairs."""

    value: Any
    rows: Iterable[str | tuple[str, str]] = ()


@dataclass(frozen=True)
class Found:
    name: str
    id: int
    revision: str
    computed: float
    seconds: float
    value: Any
    rows: int
    current: bool


@dataclass(frozen=True)
class Definition:
    compute: Callable[[Store], Result]
    searchable: bool = False


@dataclass
class _Failure:
    revision: str
    at: float
    error: str


class _Local(threading.local):
    connection: sqlite3.Connection | None = None


def release_freed_memory() -> None:
    """Give back to the system the heap an aggregate's rows took (glibc keeps freed memory
    in its arenas: at 1M, 550 MB more per serving process after the aggregates than before)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def folder_for(store_path: Path | None) -> Path | None:
    """Where the aggregates of the on-disk store at `store_path` live: a folder beside it."""
    return None if store_path is None else store_path.parent / f"{store_path.name}.aggregates"


class Aggregates:
    def __init__(self, store: Store, *, wait: float = 5.0, folder: Path | None = None):
        self._store = store
        self.wait = wait
        folder = folder or folder_for(store.path)
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="kg-aggregates-"))
            weakref.finalize(self, shutil.rmtree, folder, True)
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._definitions: dict[str, Definition] = {}
        self._lock = threading.Lock()
        self._running: dict[tuple[str, str], threading.Event] = {}
        self._failures: dict[str, _Failure] = {}
        self._memo: dict[int, Any] = {}
        self._local = _Local()
        with self._connection() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)

    # -- definitions and answers ------------------------------------------------------

    def define(self, name: str, compute: Callable[[Store], Result], searchable=False) -> None:
        self._definitions[name] = Definition(compute, searchable)

    @property
    def names(self) -> list[str]:
        return list(self._definitions)

    def get(self, name: str) -> Found:
        """The value for the store's current revision, else (after a bounded wait) the
        previous one; NotReady when there is none."""
        if name not in self._definitions:
            raise KeyError(f"no aggregate named {name!r}")
        revision = self._store.revision
        found = self._lookup(name, revision)
        if found is not None:
            return found
        done = self._start(name, revision)
        previous = self._latest(name)
        if previous is None or previous.seconds <= self.wait:
            done.wait(self.wait)
            found = self._lookup(name, revision)
            if found is not None:
                return found
        if previous is not None:
            return previous
        failure = self._failures.get(name)
        reason = f"the last attempt failed: {failure.error}" if failure else ""
        raise NotReady(name, reason)

    def peek(self, name: str) -> Found | None:
        """The newest value there is (current or not), without computing anything."""
        found = self._latest(name)
        if found is not None and found.revision == self._store.revision:
            return replace(found, current=True)
        return found

    def rows(self, found: Found, start: int, stop: int) -> list[str]:
        """Rows `start` (0-based) up to `stop` of a value, in order."""
        with self._connection() as connection:
            cursor = connection.execute(
                "SELECT key FROM aggregate_row WHERE aggregate = ? AND seq >= ? AND seq < ? "
                "ORDER BY seq",
                (found.id, max(0, start), max(0, stop)),
            )
            return [key for (key,) in cursor]

    def rows_starting(self, found: Found, prefix: str, limit: int) -> list[str]:
        """Rows whose key starts with `prefix`, in key order."""
        with self._connection() as connection:
            cursor = connection.execute(
                "SELECT key FROM aggregate_row WHERE aggregate = ? AND key >= ? AND key < ? "
                "ORDER BY key LIMIT ?",
                (found.id, prefix, prefix + "\U0010ffff", limit),
            )
            return [key for (key,) in cursor]

    def search(self, found: Found, text: str, limit: int, offset: int = 0) -> list[str]:
        """Keys of the rows whose text contains `text` (case-insensitive), in row order."""
        needle = text.lower()
        table = _text_table(found.id)
        match = f"{table} MATCH ?"
        with self._connection() as connection:
            if len(needle) >= 3:  # the trigram index answers
                where, term = match, _phrase(needle)
            else:
                trigrams = _trigrams_with(connection, found.id, needle)
                if trigrams is not None and not trigrams:
                    return []
                if trigrams is not None and len(trigrams) <= SHORT_NEEDLE_TERMS:
                    where, term = match, " OR ".join(_phrase(t) for t in trigrams)
                else:  # common: a scan in row order finds a page at once
                    where, term = "instr(text, ?) > 0", needle
            # The page of row numbers first, then their keys: joined the other way round,
            # SQLite read every row before the LIMIT (1.4 s at 10M triples).
            cursor = connection.execute(
                f"SELECT r.key FROM (SELECT rowid AS seq FROM {table} WHERE {where} "
                "ORDER BY rowid LIMIT ? OFFSET ?) page JOIN aggregate_row r "
                "ON r.aggregate = ? AND r.seq = page.seq ORDER BY page.seq",
                (term, limit, max(0, offset), found.id),
            )
            return [key for (key,) in cursor]

    # -- background computation -------------------------------------------------------

    def warm(self) -> threading.Thread:
        """Compute every aggregate of the current revision, one after the other, in the
        background (at the start of `kg serve`, after a write)."""

        def run() -> None:
            revision = self._store.revision
            for name in self.names:
                if self._lookup(name, revision) is None:
                    self._start(name, revision).wait()

        thread = threading.Thread(target=run, name="aggregates warm-up", daemon=True)
        thread.start()
        return thread

    def running(self) -> bool:
        """Whether a computation runs in this process."""
        with self._lock:
            return bool(self._running)

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until no computation runs (tests, benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                running = list(self._running.values())
            if not running:
                return True
            for event in running:
                if not event.wait(max(0.0, deadline - time.monotonic())):
                    return False

    def _start(self, name: str, revision: str) -> threading.Event:
        with self._lock:
            key = (name, revision)
            if key in self._running:
                return self._running[key]
            done = threading.Event()
            failure = self._failures.get(name)
            if (
                failure is not None
                and failure.revision == revision
                and time.monotonic() - failure.at < RETRY_FAILED
            ):
                done.set()
                return done
            self._running[key] = done
        thread = threading.Thread(
            target=self._compute, args=(name, revision, done), name=f"aggregate {name}"
        )
        thread.daemon = True
        thread.start()
        return done

    def _compute(self, name: str, revision: str, done: threading.Event) -> None:
        definition = self._definitions[name]
        try:
            with self._exclusive(name):
                if self._lookup(name, revision) is None:  # another process may have made it
                    started = time.monotonic()
                    result = definition.compute(self._store)
                    # Rows are read from the store before the write transaction opens:
                    # streamed inside it, they kept other writers waiting past the timeout.
                    result.rows = list(result.rows)
                    self._save(name, revision, result, definition.searchable, started)
            self._failures.pop(name, None)
        except Exception as error:  # recorded and reported to requests, retried later
            log.exception("computing the aggregate %s failed", name)
            self._failures[name] = _Failure(revision, time.monotonic(), str(error)[:200])
        finally:
            with self._lock:
                self._running.pop((name, revision), None)
            done.set()
            release_freed_memory()  # after: a trim of a large heap would delay the waiters

    @contextmanager
    def _exclusive(self, name: str) -> Iterator[None]:
        """One computation of `name` at a time among all processes sharing the folder."""
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        with open(self.folder / f"{digest}.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- the database -----------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection; a transaction that commits on success."""
        connection = self._local.connection
        if connection is None:
            connection = sqlite3.connect(self.folder / DATABASE, timeout=60.0)
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        with connection:
            yield connection

    def _lookup(self, name: str, revision: str) -> Found | None:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT id, revision, computed, seconds, rows FROM aggregate "
                "WHERE name = ? AND revision = ?",
                (name, revision),
            ).fetchone()
        return self._found(name, row, current=True)

    def _latest(self, name: str) -> Found | None:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT id, revision, computed, seconds, rows FROM aggregate "
                "WHERE name = ? ORDER BY id DESC LIMIT 1",
                (name,),
            ).fetchone()
        return self._found(name, row, current=False)

    def _found(self, name: str, row: tuple | None, current: bool) -> Found | None:
        if row is None:
            return None
        ident, revision, computed, seconds, rows = row
        if ident not in self._memo:
            with self._connection() as connection:
                (text,) = connection.execute(
                    "SELECT value FROM aggregate WHERE id = ?", (ident,)
                ).fetchone()
            if len(self._memo) >= 64:
                self._memo.pop(next(iter(self._memo)))
            self._memo[ident] = json.loads(text)
        value = self._memo[ident]
        return Found(name, ident, revision, computed, seconds, value, rows, current)

    def _save(
        self, name: str, revision: str, result: Result, searchable: bool, started: float
    ) -> None:
        """All rows, then the value, in one transaction: readers see all or nothing."""
        value = json.dumps(result.value, ensure_ascii=False)
        with self._connection() as connection:
            cursor = connection.execute(
                "INSERT INTO aggregate (name, revision, computed, seconds, value, rows, "
                "searchable) VALUES (?, ?, ?, 0, ?, 0, ?)",
                (name, revision, time.time(), value, int(searchable)),
            )
            ident = cursor.lastrowid
            assert ident is not None
            if searchable:
                connection.execute(
                    f"CREATE VIRTUAL TABLE {_text_table(ident)} USING fts5(text, "
                    "tokenize = 'trigram')"
                )
                connection.execute(f"CREATE TABLE {_vocabulary(ident)} (key TEXT, term TEXT)")
            count = self._insert_rows(connection, ident, result, searchable)
            connection.execute(
                "UPDATE aggregate SET rows = ?, seconds = ? WHERE id = ?",
                (count, time.monotonic() - started, ident),
            )
        self._forget_older(name)

    @staticmethod
    def _insert_rows(
        connection: sqlite3.Connection, ident: int, result: Result, searchable: bool
    ) -> int:
        count = 0
        batch: list[tuple[int, int, str]] = []
        text_batch: list[tuple[int, str]] = []
        trigrams: set[str] = set()

        def flush() -> None:
            connection.executemany(
                "INSERT INTO aggregate_row (aggregate, seq, key) VALUES (?, ?, ?)", batch
            )
            if text_batch:
                connection.executemany(
                    f"INSERT INTO {_text_table(ident)} (rowid, text) VALUES (?, ?)", text_batch
                )
            batch.clear()
            text_batch.clear()

        for row in result.rows:
            if isinstance(row, tuple):
                key, text = row
                if searchable:  # padded: a text of one or two characters has trigrams too
                    padded = f" {text.lower()} "
                    text_batch.append((count, padded))
                    trigrams.update(padded[i : i + 3] for i in range(len(padded) - 2))
            else:
                key = row
            batch.append((ident, count, key))
            count += 1
            if len(batch) >= _BATCH:
                flush()
        flush()
        if searchable:  # each trigram under each of its suffixes: `_trigrams_with`
            connection.executemany(
                f"INSERT INTO {_vocabulary(ident)} (key, term) VALUES (?, ?)",
                ((t[start:], t) for t in trigrams for start in range(3)),
            )
            connection.execute(
                f"CREATE INDEX {_vocabulary(ident)}_key ON {_vocabulary(ident)} (key)"
            )
        return count

    def _forget_older(self, name: str) -> None:
        with self._connection() as connection:
            old = connection.execute(
                "SELECT id, searchable FROM aggregate WHERE name = ? ORDER BY id DESC "
                "LIMIT -1 OFFSET ?",
                (name, KEPT_REVISIONS),
            ).fetchall()
            for ident, searchable in old:
                connection.execute("DELETE FROM aggregate_row WHERE aggregate = ?", (ident,))
                if searchable:
                    connection.execute(f"DROP TABLE IF EXISTS {_vocabulary(ident)}")
                    connection.execute(f"DROP TABLE IF EXISTS {_text_table(ident)}")
                connection.execute("DELETE FROM aggregate WHERE id = ?", (ident,))


def _text_table(ident: int) -> str:
    return f"aggregate_text_{int(ident)}"


def _vocabulary(ident: int) -> str:
    return f"aggregate_vocabulary_{int(ident)}"


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _trigrams_with(connection: sqlite3.Connection, ident: int, needle: str) -> list[str] | None:
    """The trigrams of the index that contain `needle` (one or two characters), found by
    their suffixes that start with it: a text contains the needle exactly when it has one
    of them (texts are padded with spaces, so every character is in a trigram). None when
    the index has no such table (made before it had one)."""
    try:
        rows = connection.execute(
            f"SELECT DISTINCT term FROM {_vocabulary(ident)} WHERE key >= ? AND key < ? LIMIT ?",
            (needle, needle + "\U0010ffff", SHORT_NEEDLE_TERMS + 1),
        ).fetchall()
    except sqlite3.OperationalError:
        return None
    return [term for (term,) in rows]
