"""Settings, from `KG_*` environment variables with command-line overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE_IRI = "https://w3id.org/untoc/"
# The vocabulary namespace is fixed; KG_BASE_IRI moves instances only (docs/decisions/0004).
VOCABULARY_NAMESPACE = "https://w3id.org/untoc/ontology#"


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True)
class Config:
    base_iri: str = DEFAULT_BASE_IRI
    # None means an in-memory store (tests); production uses var/store.
    store_path: Path | None = PROJECT_ROOT / "var" / "store"
    host: str = "127.0.0.1"
    port: int = 5000
    update_token: str | None = None
    query_timeout: float = 30.0
    max_query_length: int = 100_000
    max_result_rows: int = 100_000
    # Worker processes evaluating queries on the on-disk store; None: one per core, at least 2.
    query_workers: int | None = None
    # Queries one client address may run at once (429 past that).
    max_queries_per_client: int = 2
    federation_config: Path = PROJECT_ROOT / "graph_service" / "federation.toml"
    source_dirs: tuple[Path, ...] = field(
        default_factory=lambda: (
            PROJECT_ROOT / "ontology",
            PROJECT_ROOT / "shapes",
            PROJECT_ROOT / "data",
        )
    )
    shapes_dir: Path = PROJECT_ROOT / "shapes"

    @property
    def ontology_iri(self) -> str:
        return VOCABULARY_NAMESPACE

    @classmethod
    def from_env(cls, **overrides) -> Config:
        store = os.environ.get("KG_STORE")
        config = cls(
            base_iri=os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI),
            store_path=Path(store) if store else PROJECT_ROOT / "var" / "store",
            host=os.environ.get("KG_HOST", "127.0.0.1"),
            port=_env_int("KG_PORT", 5000),
            update_token=os.environ.get("KG_UPDATE_TOKEN") or None,
            query_timeout=_env_float("KG_QUERY_TIMEOUT", 30.0),
            max_query_length=_env_int("KG_MAX_QUERY_LENGTH", 100_000),
            max_result_rows=_env_int("KG_MAX_RESULT_ROWS", 100_000),
            query_workers=_env_int("KG_QUERY_WORKERS", 0) or None,
            max_queries_per_client=_env_int("KG_MAX_QUERIES_PER_CLIENT", 2),
        )
        if os.environ.get("KG_FEDERATION_CONFIG"):
            config = replace(config, federation_config=Path(os.environ["KG_FEDERATION_CONFIG"]))
        return replace(config, **{k: v for k, v in overrides.items() if v is not None})
