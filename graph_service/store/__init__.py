"""The triple store and what keeps it consistent: loading, validation, guarded updates."""

from graph_service.store.store import Store, StoreMissing

__all__ = ["Store", "StoreMissing"]
