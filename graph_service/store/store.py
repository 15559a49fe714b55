"""The one narrow interface to the triple store: embedded Oxigraph, on disk or in memory.

The only module that knows how Oxigraph keeps a store on disk (RocksDB: a folder with a
`CURRENT` file, read-only handles that see a snapshot, files that compaction removes).
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from graph_service import formats
from graph_service.formats import Format
from graph_service.store.cache import StateCache
from graph_service.store.change_state import ChangeState
from graph_service.vocabulary import PREFIXES

_GENERATIONS = itertools.count(1)
# One validated write at a time in this process: each one is checked against the last.
WRITES = threading.Lock()
_T = TypeVar("_T")
_UNKNOWN_FUNCTION = re.compile(r"The custom function <([^>]*)> is not supported")
_MAX_UNKNOWN_FUNCTIONS = 32
# A file of ours inside the store's folder (RocksDB leaves files it does not name alone):
# the revision of the content, shared by every process that opens the store.
REVISION_FILE = "kg-revision"


_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_PREFIXED = (formats.TURTLE, formats.TRIG, formats.RDFXML)


def _evaluation_error(*_args):
    return None  # pyoxigraph reads None as an evaluation error: the expression is unbound


def _cache_of(store: Store) -> StateCache:
    # A weak reference: a cycle would keep a dropped store's RocksDB handle open until the
    # garbage collector runs, and a stale read-only handle must close when it is dropped.
    ref = weakref.ref(store)

    def state() -> tuple[float, int] | None:
        store = ref()
        return store.state if store is not None else None

    return StateCache(state)


_OPEN_ATTEMPTS = 20


def folder_stamp(path: Path) -> int:
    """Changes whenever a file is added to or removed from the store's folder (a flush, a
    compaction): the folder's modification time."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _open_read_only(path: Path) -> ox.Store:
    """A read-only handle on the store at `path`. The store's writer (`kg serve`) may compact
    it while the handle opens: the MANIFEST just read then names a file deleted since, and
    the open fails. Opening again reads the new MANIFEST; a store that is not there fails
    at once."""
    for attempt in itertools.count(1):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as error:  # pyoxigraph: RocksDB's Corruption too
            lost = "No such file" in str(error) and Store.exists_at(path)
            if not lost or attempt == _OPEN_ATTEMPTS:
                raise
            time.sleep(0.005 * attempt)
    raise AssertionError("unreachable")


FULL = (
    "the disk of the store is full: nothing was written; free some space and send the change again"
)


class StoreFull(OSError):
    """A write failed because the store's disk is full; nothing was written."""


class StoreMissing(FileNotFoundError):
    """No store at the path (nothing was ever loaded there)."""


class Store:
    """Query, replace named graphs atomically, export, count.

    `path=None` gives an in-memory store (tests); a path gives the on-disk RocksDB store.
    `generation` changes with every write made through this object (read-only handles in
    other processes see a snapshot and must reopen when it changes: sparql/worker.py).
    With `changes` (several serving processes, `kg serve --processes`), the generation is
    the shared counter of `change_state.ChangeState`: the writer bumps it, and a read-only
    handle catches up with it (`catch_up`). `cache` keeps values computed from the content
    until it changes.
    """

    generation = 0
    _stamp: int | None = None  # of the folder, when a read-only handle on disk opened

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        changes: ChangeState | None = None,
    ):
        self.path = Path(path) if path is not None else None
        self.opened = time.time()
        self.changes = changes
        if changes is not None:
            self.opened, self.generation = changes.epoch, changes.read()
        self.cache = _cache_of(self)
        self._read_only = read_only
        self._reopening = threading.Lock()
        self._read_only_since_full = False
        self._revision = f"memory-{uuid.uuid4().hex}"
        if self.path is None:
            self._store = ox.Store()
        elif read_only:
            # Read before the handle opens: the handle sees this revision's data or newer.
            self._revision = read_revision(self.path) or self._revision
            self._open_handle()
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
            self._revision = read_revision(self.path) or mark_changed(self.path)

    @property
    def kind(self) -> str:
        """ "memory", "disk", or (RemoteStore) "remote"."""
        return "memory" if self.path is None else "disk"

    @classmethod
    def wrapping(cls, store: ox.Store) -> Store:
        """An in-memory Oxigraph store behind this interface (its exports, its queries)."""
        wrapper = cls(None)
        wrapper._store = store
        return wrapper

    @classmethod
    def read_only(cls, path: Path | str) -> Store:
        """Open an on-disk store for reading: changes no file, and works beside `kg serve`."""
        return cls(path, read_only=True)

    @classmethod
    def follower(cls, path: Path | str, changes: ChangeState) -> Store:
        """A read-only handle on the store another process writes to, reopened by
        `catch_up` after each of its writes."""
        return cls(path, read_only=True, changes=changes)

    def catch_up(self) -> bool:
        """For a follower: reopen the handle if the writer wrote since it was opened (the
        counter is read before the reopen, so the handle holds at least that state).
        Returns whether it reopened."""
        if self.changes is None or not self._read_only or self.path is None:
            return self.reopen_if_stale()
        if self.changes.read() == self.generation:
            return self.reopen_if_stale()
        with self._reopening:
            counter = self.changes.read()
            if counter == self.generation:
                return False  # another thread caught up meanwhile
            self._revision = read_revision(self.path) or self._revision
            self._open_handle()
            self.generation = counter
        return True

    def stale(self) -> bool:
        """Whether files were added to or removed from the folder since this read-only
        handle opened. RocksDB opens a store's files lazily, so a handle opened before a
        compaction may later need a file the compaction deleted, and Oxigraph 0.5 does not
        always fail at once then: an operator that gathers its input (a join, ORDER BY,
        GROUP BY) collects the error of every lookup, growing by hundreds of MB per second
        (18 GB, killed by the kernel, at 10M triples; docs/decisions/0012)."""
        if self._stamp is None or self.path is None:  # in memory, remote, or writable
            return False
        return folder_stamp(self.path) != self._stamp

    def reopen_if_stale(self) -> bool:
        """Reopen a read-only handle whose folder changed since it opened (`stale`): the
        new handle reads the current list of files. Whether it reopened."""
        if not self.stale():
            return False
        with self._reopening:
            if not self.stale():
                return False  # another thread reopened it meanwhile
            self._open_handle()
        return True

    def _open_handle(self) -> None:
        """(Re)open the read-only handle, the folder's stamp read first: a change during
        the open makes the handle stale, never missed."""
        assert self.path is not None
        self._stamp = folder_stamp(self.path)
        self._store = _open_read_only(self.path)

    @staticmethod
    def exists_at(path: Path | str | None) -> bool:
        """Whether an on-disk store has been created at `path`."""
        return path is not None and (Path(path) / "CURRENT").exists()

    @classmethod
    def open_for_reading(cls, path: Path | str) -> Store:
        """The existing on-disk store, read-only; StoreMissing when there is none."""
        if not cls.exists_at(path):
            raise StoreMissing(f"no store at {path}; run `kg load` first")
        return cls.read_only(path)

    def lost_file(self, error: BaseException) -> bool:
        """Whether `error` says a file went away under this read-only handle (the writer
        compacted the store): reopening the handle answers the query."""
        if self.path is None or not isinstance(error, OSError | RuntimeError):
            return False
        message = str(error)
        return str(self.path) in message and "No such file" in message

    def reopen_if_lost(self, error: BaseException) -> bool:
        """After `error` from a read-only handle: reopen it if a file went away under it
        (the writer compacted the store after the handle opened); whether it did."""
        if not self._read_only or not self.lost_file(error):
            return False
        with self._reopening:
            self._open_handle()
        return True

    def reading(self, read: Callable[[], _T]) -> _T:
        """`read()` on a handle reopened first if the folder changed since it opened, and
        once more on a reopened handle if a file went away under it all the same."""
        self.reopen_if_stale()
        try:
            return read()
        except (OSError, RuntimeError) as error:
            if not self.reopen_if_lost(error):
                raise
        return read()

    @property
    def state(self) -> tuple[float, int]:
        """Identifies the store's content for caches and ETags: a new value after every
        write through this object and after every (re)open, e.g. a restart after `kg load`."""
        return (self.opened, self.generation)

    @property
    def revision(self) -> str:
        """Identifies the content this handle sees, in every process: a new value after each
        write through the store (`mark_changed`), kept across restarts while nothing
        changes. Values derived from the whole store are kept per revision
        (store/aggregates.py). A store written to by other tools (the Oxigraph CLI) should
        be given a new one: `mark_changed(path)`, as `kg load` does after its swap."""
        return self._revision

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def content(self) -> ox.Store:
        """The store's content as an Oxigraph store, to read from (validation, trials):
        the store itself here; a local copy for a remote store."""
        return self._store

    def quads_for_pattern(
        self,
        subject: _Term | None = None,
        predicate: ox.NamedNode | None = None,
        object: _Term | None = None,  # noqa: A002 (pyoxigraph's name)
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
    ) -> Iterable[ox.Quad]:
        """The quads matching a pattern (None: any term; graph None: every graph)."""
        return self._store.quads_for_pattern(subject, predicate, object, graph)  # type: ignore[arg-type]

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Held by every validated write, from the read it is checked against to its end."""
        with WRITES:
            yield

    def outgoing(self, iri: str, limit: int) -> list[ox.Triple]:
        """The resource's triples and those of the blank nodes it reaches, at most `limit`."""
        result: dict[ox.Triple, None] = {}
        todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        visited: set[ox.NamedNode | ox.BlankNode] = set()
        while todo and len(result) < limit:
            node = todo.pop()
            if node in visited:
                continue
            visited.add(node)
            for quad in self._store.quads_for_pattern(node, None, None, None):
                result.setdefault(quad.triple, None)
                if isinstance(quad.object, ox.BlankNode):
                    todo.append(quad.object)
                if len(result) >= limit:
                    break
        return list(result)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
        base_iri: str | None = None,
    ):
        """Run a SPARQL query. `default_graphs` / `named_graphs` give the dataset (an empty
        list: none); without them the default graph is the union of all graphs, unless
        `union_default_graph` is False: then the query's own FROM / FROM NAMED decide."""
        default_graph = (
            [ox.NamedNode(g) for g in default_graphs] if default_graphs is not None else None
        )
        named = [ox.NamedNode(g) for g in named_graphs] if named_graphs is not None else None
        unknown: dict[ox.NamedNode, Callable[..., _Term | None]] = {}
        while True:
            try:
                return self._store.query(
                    sparql,
                    base_iri=base_iri,
                    use_default_graph_as_union=union_default_graph and default_graph is None,
                    default_graph=default_graph,  # type: ignore[arg-type]
                    named_graphs=named,  # type: ignore[arg-type]
                    custom_functions=unknown or None,
                )
            except RuntimeError as error:
                # SPARQL 1.1 (17.3, 17.6): a call to an extension function the endpoint
                # does not know is an evaluation error (the expression is unbound), not a
                # failed query. pyoxigraph refuses such queries one function at a time.
                match = _UNKNOWN_FUNCTION.fullmatch(str(error))
                if not match or len(unknown) >= _MAX_UNKNOWN_FUNCTIONS:
                    raise
                unknown[ox.NamedNode(match[1])] = _evaluation_error

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update in one transaction (all or nothing)."""
        try:
            with self._full_disk_recovery():
                self._store.update(sparql, base_iri=base_iri)
        finally:
            self.generation = self.changes.bump() if self.changes else next(_GENERATIONS)
            try:
                self._revision = mark_changed(self.path)
            except OSError:  # a full disk: nothing was written; this process starts afresh
                self._revision = mark_changed(None)

    @contextmanager
    def _full_disk_recovery(self) -> Iterator[None]:
        """After a write fails for want of space, RocksDB refuses every later write, even
        once space is freed, until the store is opened again (and it cannot be opened for
        writing while the disk is full). So the failed handle is swapped for a read-only one
        at once, and the next write opens the store for writing again: it succeeds as soon
        as there is room, without a restart."""
        if self._read_only_since_full:
            self._reopen_for_writing()
        try:
            yield
        except OSError as error:
            if self.path is None or "No space left" not in str(error):
                raise
            self._store = ox.Store.read_only(str(self.path))  # drops the failed handle
            self._read_only_since_full = True
            raise StoreFull(FULL) from None

    def _reopen_for_writing(self) -> None:
        try:
            self._store = ox.Store(str(self.path))
        except OSError as error:
            if "No space left" in str(error):
                raise StoreFull(FULL) from None
            raise
        self._read_only_since_full = False

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple]] | Mapping[str | None, Iterable[ox.Triple]]
    ) -> None:
        """Replace each named graph (the key None: the default graph) by the given triples,
        all graphs in one transaction; an empty list drops the graph."""
        parts = []
        for graph_iri, triples in graphs.items():
            body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
            if graph_iri is None:
                parts.append("DROP SILENT DEFAULT")
                parts.append(f"INSERT DATA {{\n{body.decode()}\n}}")
            else:
                parts.append(f"DROP SILENT GRAPH <{graph_iri}>")
                parts.append(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body.decode()}\n}} }}")
        if parts:
            self.update(" ;\n".join(parts))

    def check_writable(self, graphs: Iterable[str | None]) -> None:
        """Raise if the store cannot keep one of these graphs (the default graph: None)."""

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def quads(self, graph_iri: str | None = None) -> Iterable[ox.Quad]:
        graph = ox.NamedNode(graph_iri) if graph_iri else None
        return self._store.quads_for_pattern(None, None, None, graph)

    def export(self, rdf_format: Format = formats.NQUADS, graph_iri: str | None = None) -> bytes:
        """Serialise the whole store or one named graph, with the prefix table. A format
        without named graphs gets the union of all graphs, each triple once; a dataset
        format keeps the graph name of a single graph too."""
        prefixes = PREFIXES if rdf_format in _PREFIXED else None
        fmt = rdf_format.rdf
        if graph_iri is None and rdf_format.holds_graphs:
            return self._store.dump(format=fmt, prefixes=prefixes) or b""
        graph = ox.NamedNode(graph_iri) if graph_iri else None
        if graph is not None and not rdf_format.holds_graphs:
            return self._store.dump(format=fmt, from_graph=graph, prefixes=prefixes) or b""
        quads = self._store.quads_for_pattern(None, None, None, graph)
        if rdf_format.holds_graphs:
            return ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
        triples = dict.fromkeys(q.triple for q in quads)
        return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""

    def export_graph(self, rdf_format: Format, graph_iri: str | None = None) -> bytes:
        """One graph's triples, with the prefix table: the named graph `graph_iri`, or with
        None the store's own default graph (not the union of all graphs)."""
        prefixes = PREFIXES if rdf_format in _PREFIXED else None
        graph = ox.NamedNode(graph_iri) if graph_iri else ox.DefaultGraph()
        return self._store.dump(format=rdf_format.rdf, from_graph=graph, prefixes=prefixes) or b""

    def contains_graph(self, graph_iri: str) -> bool:
        """Whether the named graph exists (it may be empty, e.g. after CREATE GRAPH)."""
        return self._store.contains_named_graph(ox.NamedNode(graph_iri))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def stats(self) -> dict:
        """Triples per named graph and in all (counted once per state of the store)."""
        return self.cache.get("stats", self._count)

    def _count(self) -> dict:
        return self.reading(self._count_once)

    def _count_once(self) -> dict:
        per_graph: dict[str, int] = {}
        rows = self._store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            per_graph[row["g"].value] = int(row["n"].value)
        return {"triples": sum(per_graph.values()), "graphs": per_graph}

    def flush(self) -> None:
        if self.path is not None:
            with self._full_disk_recovery():
                self._store.flush()


def read_revision(path: Path) -> str | None:
    """The revision recorded in the store's folder, None when there is none yet."""
    try:
        return (path / REVISION_FILE).read_text(encoding="ascii").strip() or None
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def mark_changed(path: Path | None) -> str:
    """Record a new revision of the store at `path` (atomically: a whole file is renamed
    into place) and return it; an in-memory store (None) just gets a new value."""
    revision = f"{int(time.time())}-{uuid.uuid4().hex}"
    if path is None or not path.is_dir():
        return f"memory-{revision}"
    temporary = path / f".{REVISION_FILE}.{os.getpid()}-{uuid.uuid4().hex}"
    temporary.write_text(revision + "\n", encoding="ascii")
    os.replace(temporary, path / REVISION_FILE)
    return revision
