"""Where the guarded writes of a serving process go (SPARQL Update, the Graph Store
Protocol, LOAD): `LocalWrites` makes them to the store this process opened for writing;
`writer.RemoteWrites` sends them to the one writer process of `kg serve --processes N`.
Either way they run through `guarded_update`: validated, all or nothing, one at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from graph_service.config import Config
from graph_service.store import Store
from graph_service.store.guarded_update import GraphChange, apply_graph_changes, apply_update


class Writes(Protocol):
    def apply_update(self, sparql: str, base_iri: str | None = None) -> int: ...

    def apply_graph_changes(self, changes: Iterable[GraphChange]) -> set[str | None]: ...


@dataclass
class LocalWrites:
    store: Store
    config: Config

    def apply_update(self, sparql: str, base_iri: str | None = None) -> int:
        return apply_update(self.store, sparql, self.config, base_iri=base_iri)

    def apply_graph_changes(self, changes: Iterable[GraphChange]) -> set[str | None]:
        return apply_graph_changes(self.store, changes, self.config)
