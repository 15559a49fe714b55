"""`RemoteStore`: the store's interface (`store.Store`) over a remote SPARQL 1.1 engine.

- The app's graphs are the engine's named graphs under the base IRI: an engine shared with
  other data (and Virtuoso's own system graphs) shows the app only its own. Every query the
  app sends without a dataset of its own names them as its default and named graphs.
- The store's state (for caches and ETags in every app process) is a change marker kept on
  the engine, in a graph outside the base IRI: every write by the app replaces it, in the
  same request as the write. A process trusts its last look at it for `freshness` seconds.
- Whole graphs are written to staging graphs (outside the base IRI, so no reader sees them)
  with the Graph Store Protocol, then moved into place by one update: all or nothing.
- `content()` is a local in-memory copy of the app's graphs, fetched once per state: what
  validation and exports read.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

import pyoxigraph as ox

from graph_service import formats
from graph_service.formats import Format
from graph_service.store import queries
from graph_service.store.cache import StateCache
from graph_service.store.remote.answers import accept_for, parse_answer, readable
from graph_service.store.remote.client import EngineClient, EngineError
from graph_service.store.remote.endpoints import Endpoints
from graph_service.store.remote.lock import EngineLock
from graph_service.store.store import WRITES, Store

STATE_GRAPH = ox.NamedNode("urn:x-untoc:store:state")
STAGING = "urn:x-untoc:store:staging:"
NO_GRAPH = "urn:x-untoc:store:none"  # the default graph of a query when the app has no graph
Dataset = list[tuple[str, str]]


class GraphOutside(EngineError):
    def __init__(self, message: str):
        super().__init__(400, message)


class RemoteStore(Store):
    kind = "remote"

    def __init__(
        self, endpoints: Endpoints, base_iri: str, *, freshness: float = 1.0, timeout: float = 60
    ):
        self.path = None
        self.endpoints = endpoints
        self.prefix = base_iri
        self.freshness = freshness
        self.client = EngineClient(endpoints, timeout)
        self.lock = EngineLock(self.client)
        self.cache = StateCache(lambda: self.state)
        self._state_lock = threading.Lock()
        self._state: str | None = None
        self._fresh_until = 0.0
        self._content: tuple[str, ox.Store] | None = None

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.origin})"

    @property
    def oxigraph(self) -> ox.Store:
        raise TypeError("a remote store has no embedded Oxigraph store; use content()")

    @property
    def where(self) -> str:
        return self.endpoints.origin

    # State

    @property
    def state(self) -> str:  # type: ignore[override]
        with self._state_lock:
            if self._state is None or time.monotonic() >= self._fresh_until:
                rows = self.select(queries.prepare("store/state", graph=STATE_GRAPH))
                self._state = rows[0]["marker"].value if rows else ""
                self._fresh_until = time.monotonic() + self.freshness
            return self._state

    @property
    def revision(self) -> str:
        """The engine's change marker: the same in every process in front of the engine, new
        after every write made through the app (store/aggregates.py keeps values by it)."""
        return self.state

    def _forget_state(self) -> None:
        with self._state_lock:
            self._state = None

    def _mark_change(self) -> str:
        marker = ox.Literal(f"{time.time():.6f}-{uuid.uuid4()}")
        return queries.prepare("store/mark-change", graph=STATE_GRAPH, marker=marker)

    # Reading

    def dataset(
        self,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
    ) -> Dataset:
        """The SPARQL Protocol's dataset parameters for a query: the given graphs, or none
        (the query's own FROM), or the app's graphs as the default and named graphs."""
        if default_graphs is not None or named_graphs is not None:
            return [("default-graph-uri", g) for g in default_graphs or []] + [
                ("named-graph-uri", g) for g in named_graphs or []
            ]
        if not union_default_graph:
            return []
        graphs = self.named_graphs() or [NO_GRAPH]
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        union_default_graph: bool = True,
        base_iri: str | None = None,
    ):
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        dataset = self.dataset(default_graphs, named_graphs, union_default_graph)
        reply = self.client.query(text, accept_for(sparql), dataset)
        return parse_answer(reply, self.where)

    def select(self, sparql: str) -> list[dict]:
        """Solutions of a query over the engine's own dataset (no dataset parameters)."""
        reply = self.client.query(sparql, "application/sparql-results+json")
        solutions = parse_answer(reply, self.where)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names} for s in solutions]

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph=None):  # noqa: A002
        """Quads of the app's graphs matching the pattern. A blank node cannot be named in a
        query to another process, and the engine's default graph is not the app's: both
        match nothing."""
        if isinstance(subject, ox.BlankNode) or isinstance(object, ox.BlankNode):
            return []
        if isinstance(graph, ox.DefaultGraph):
            return []
        sparql = queries.prepare(
            "store/quads",
            s=subject,
            p=predicate,
            o=object,
            g=graph,
            prefix=ox.Literal(self.prefix),
        )
        return [
            ox.Quad(row["s"], row["p"], row["o"], row["g"])
            for row in self.select(sparql)
            if None not in row.values()
        ]

    def outgoing(self, iri: str, limit: int) -> list[ox.Triple]:
        sparql = queries.prepare("store/outgoing", iri=ox.NamedNode(iri), limit=limit)
        return list(dict.fromkeys(self.query(sparql)))

    def quads(self, graph_iri: str | None = None) -> Iterable[ox.Quad]:
        return self.content().quads_for_pattern(
            None, None, None, ox.NamedNode(graph_iri) if graph_iri else None
        )

    def content(self) -> ox.Store:
        """The app's graphs in a local in-memory store, fetched once per state (each graph
        as N-Triples from the Graph Store, else by CONSTRUCT)."""
        for _ in range(3):
            state = self.state
            if self._content is not None and self._content[0] == state:
                return self._content[1]
            local = ox.Store()
            for graph in self.named_graphs():
                local.load(
                    self._graph_ntriples(graph),
                    ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(graph),
                )
            self._forget_state()
            if self.state == state:  # nobody wrote while the graphs were read one by one
                self._content = (state, local)
                return local
        raise EngineError(503, f"the store at {self.where} kept changing while it was read")

    def _graph_ntriples(self, graph: str) -> bytes:
        if self.endpoints.graph_store is not None:
            reply = self.client.get_graph(graph, "application/n-triples")
            if reply is None:
                return b""
            if reply.content_type.startswith(("application/n-triples", "text/plain")):
                return readable(reply.body)
            triples = ox.parse(readable(reply.body), ox.RdfFormat.TURTLE)
            return ox.serialize([q.triple for q in triples], format=ox.RdfFormat.N_TRIPLES) or b""
        sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        reply = self.client.query(sparql, "application/n-triples")
        triples = parse_answer(reply, self.where)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def export(self, rdf_format: Format = formats.NQUADS, graph_iri: str | None = None) -> bytes:
        return self._local().export(rdf_format, graph_iri)

    def export_graph(self, rdf_format: Format, graph_iri: str | None = None) -> bytes:
        return self._local().export_graph(rdf_format, graph_iri)

    def _local(self) -> Store:
        return Store.wrapping(self.content())

    def contains_graph(self, graph_iri: str) -> bool:
        if not self.holds(graph_iri):
            return False
        sparql = queries.prepare("store/graph-exists", graph=ox.NamedNode(graph_iri))
        return bool(self.query(sparql, union_default_graph=False))

    def named_graphs(self) -> list[str]:
        return sorted(self.stats()["graphs"])

    def _count(self) -> dict:
        sparql = queries.prepare("store/graph-counts", prefix=ox.Literal(self.prefix))
        per_graph = {row["g"].value: int(row["n"].value) for row in self.select(sparql)}
        return {"triples": sum(per_graph.values()), "graphs": per_graph}

    # Writing

    def holds(self, graph_iri: str | None) -> bool:
        """Whether a graph is one of the app's: a named graph under the base IRI."""
        return graph_iri is not None and graph_iri.startswith(self.prefix)

    def check_writable(self, graphs: Iterable[str | None]) -> None:
        """Refuse (400) a write to a graph the app does not keep on the engine: the default
        graph, or a named graph outside the base IRI (it would be written but never read)."""
        outside = sorted("the default graph" if g is None else f"<{g}>" for g in graphs
                         if not self.holds(g))  # fmt: skip
        if outside:
            raise GraphOutside(
                f"not written: on a remote store the app keeps its data in named graphs under "
                f"<{self.prefix}>, and {', '.join(outside)} is not one"
            )

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """This process's writers one by one, and one writer at a time across every process
        (lock.py); inside, the state is read afresh."""
        with WRITES, self.lock.held():
            self._forget_state()
            yield

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        try:
            self.client.update(f"{text} ;\n{self._mark_change()}")
        finally:
            self._forget_state()

    def replace_graphs(
        self, graphs: Mapping[str, Iterable[ox.Triple]] | Mapping[str | None, Iterable[ox.Triple]]
    ) -> None:
        """Each graph's triples go to a staging graph first (the Graph Store's PUT, streamed
        by the engine's own parser), then one update moves them all into place."""
        operations: list[str] = []
        staged: list[str] = []
        try:
            for graph_iri, triples in graphs.items():
                target = f"GRAPH <{graph_iri}>" if graph_iri is not None else "DEFAULT"
                body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
                if not body:
                    operations.append(f"DROP SILENT {target}")
                elif self.endpoints.graph_store is None:
                    operations.append(f"DROP SILENT {target}")
                    inner = (
                        f"GRAPH <{graph_iri}> {{\n{body.decode()}\n}}"
                        if graph_iri
                        else body.decode()
                    )
                    operations.append(f"INSERT DATA {{ {inner} }}")
                else:
                    staging = f"{STAGING}{uuid.uuid4()}"
                    staged.append(staging)
                    self.client.put_graph(staging, body)
                    destination = f"<{graph_iri}>" if graph_iri is not None else "DEFAULT"
                    operations.append(f"MOVE SILENT <{staging}> TO {destination}")
            if operations:
                self.update(" ;\n".join(operations))
                staged = []
        finally:
            for staging in staged:  # a failed write leaves nothing behind
                try:
                    self.client.update(f"DROP SILENT GRAPH <{staging}>")
                except EngineError:
                    pass

    def drop_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def flush(self) -> None:
        """Nothing to do: the engine makes its own writes durable."""

    def lost_file(self, error: BaseException) -> bool:
        return False

    def catch_up(self) -> bool:
        """Nothing to reopen: every process reads the engine itself (`state` tells caches
        of other processes' writes)."""
        return False

    def reopen_if_lost(self, error: BaseException) -> bool:
        return False
