"""The triple store and what keeps it consistent: loading, validation, guarded updates."""

from graph_service.store.store import Store, StoreFull, StoreMissing

__all__ = ["Store", "StoreFull", "StoreMissing"]
