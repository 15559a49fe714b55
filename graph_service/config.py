"""Settings: one table (`SETTINGS`) of every `Config` field, its `KG_*` variable, default and
meaning. `Config.from_env()` reads the variables; command-line options override them.
docs/settings.md lists the same table (a test keeps the two in step)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graph_service.vocabulary import DEFAULT_BASE_IRI, UNTOC

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """A `KG_*` variable whose value cannot be used; the message names it."""


@dataclass(frozen=True)
class Setting:
    name: str  # the Config field
    env: str | None  # the environment variable, if the setting has one
    help: str
    parse: Callable[[str], Any] = str


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError("must be more than 0")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise ValueError("must be 0 or more")
    return value


def _addresses(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def store_location(text: str) -> Path | str:
    """`KG_STORE`: a folder (the embedded on-disk store), or the query endpoint URL of a
    remote SPARQL engine (http or https)."""
    if not _SCHEME.match(text):
        return Path(text)
    scheme = text.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise ValueError(
            f"a store is a folder or the http(s) URL of a SPARQL query endpoint, not {scheme}:"
        )
    if not urlsplit(text).hostname:
        raise ValueError("the URL names no host")
    return text


def _url(text: str) -> str:
    if not re.match(r"https?://", text) or not urlsplit(text).hostname:
        raise ValueError("must be an http(s) URL")
    return text


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError("must be 0 or more")
    return value


def _workers(text: str) -> int | None:
    return _positive_int(text) if text.strip() not in ("", "0") else None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store_path",
        "KG_STORE",
        "folder of the on-disk store, or the query endpoint URL of a remote SPARQL engine",
        store_location,
    ),
    Setting("store_update", "KG_STORE_UPDATE", "update endpoint of the remote engine", _url),
    Setting(
        "store_graph_store", "KG_STORE_GRAPH_STORE", "Graph Store endpoint of the remote", _url
    ),
    Setting("store_user", "KG_STORE_USER", "user name for the remote engine"),
    Setting("store_password", "KG_STORE_PASSWORD", "password for the remote engine"),
    Setting(
        "store_freshness",
        "KG_STORE_FRESHNESS",
        "seconds a process trusts its last look at the remote's change marker",
        _seconds,
    ),
    Setting("base_iri", "KG_BASE_IRI", "base of instance and graph IRIs (docs/decisions/0004)"),
    Setting("host", "KG_HOST", "address `kg serve` listens on"),
    Setting("port", "KG_PORT", "port `kg serve` listens on", _positive_int),
    Setting(
        "serve_processes",
        "KG_SERVE_PROCESSES",
        "serving processes of `kg serve` (0: one per core)",
        _workers,
    ),
    Setting("update_token", "KG_UPDATE_TOKEN", "bearer token that allows SPARQL Update"),
    Setting(
        "update_token_file",
        "KG_UPDATE_TOKEN_FILE",
        "a file holding the update token (read at start; better than the command line)",
        Path,
    ),
    Setting("query_timeout", "KG_QUERY_TIMEOUT", "seconds a query may run", _positive_float),
    Setting("max_query_length", "KG_MAX_QUERY_LENGTH", "characters of a query", _positive_int),
    Setting("max_result_rows", "KG_MAX_RESULT_ROWS", "rows of one result", _positive_int),
    Setting("query_workers", "KG_QUERY_WORKERS", "worker processes (0: automatic)", _workers),
    Setting(
        "max_queries_per_client",
        "KG_MAX_QUERIES_PER_CLIENT",
        "queries one client address may run at once",
        _positive_int,
    ),
    Setting(
        "max_waiting_per_client",
        "KG_MAX_WAITING_PER_CLIENT",
        "queries of one client that wait for a worker, then 429",
        _positive_int,
    ),
    Setting("worker_memory_mb", "KG_WORKER_MEMORY_MB", "memory of a query worker", _workers),
    Setting(
        "trusted_proxies",
        "KG_TRUSTED_PROXIES",
        "addresses of reverse proxies whose X-Forwarded-For names the client",
        _addresses,
    ),
    Setting("federation_config", "KG_FEDERATION_CONFIG", "the SERVICE allow-list (TOML)", Path),
    Setting("load_sources", "KG_LOAD_SOURCES", "IRI prefixes LOAD may read from", _addresses),
    Setting("sitemap_limit", "KG_SITEMAP_LIMIT", "URLs per sitemap file", _positive_int),
    Setting(
        "aggregate_wait",
        "KG_AGGREGATE_WAIT",
        "seconds a request waits for a whole-store value being computed",
        _non_negative_float,
    ),
    Setting(
        "sandbox_timeout",
        "KG_SANDBOX_TIMEOUT",
        "seconds to read or validate posted RDF",
        _positive_float,
    ),
    Setting(
        "sandbox_memory_mb",
        "KG_SANDBOX_MEMORY_MB",
        "memory to read or validate posted RDF",
        _positive_int,
    ),
    Setting("source_dirs", None, "what `kg load` reads with no arguments"),
    Setting("shapes_dir", None, "the SHACL shapes used when the store has none"),
)


@dataclass(frozen=True)
class Config:
    # None means an in-memory store (tests); production uses var/store; a str is the query
    # endpoint URL of a remote SPARQL engine (docs/remote-engines.md).
    store_path: Path | str | None = PROJECT_ROOT / "var" / "store"
    store_update: str | None = None  # None: derived from the query URL (remote_endpoints)
    store_graph_store: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    store_freshness: float = 1.0
    base_iri: str = DEFAULT_BASE_IRI
    host: str = "127.0.0.1"
    port: int = 5000
    # Processes `kg serve` answers requests with (docs/decisions/0011); None: one per core.
    serve_processes: int | None = None
    update_token: str | None = None
    update_token_file: Path | None = None
    query_timeout: float = 30.0
    max_query_length: int = 100_000
    max_result_rows: int = 100_000
    # Worker processes evaluating queries on the on-disk store; None: one per core, at least 2.
    query_workers: int | None = None
    max_queries_per_client: int = 2
    max_waiting_per_client: int = 8
    # Memory of each query worker (RLIMIT_DATA) in MB; None: no limit.
    worker_memory_mb: int | None = 1024
    trusted_proxies: tuple[str, ...] = ()
    federation_config: Path = PROJECT_ROOT / "graph_service" / "federation.toml"
    load_sources: tuple[str, ...] = ()  # none: SPARQL Update's LOAD is refused
    sitemap_limit: int = 50_000  # the sitemaps.org maximum of URLs per file
    # Seconds a request waits for a whole-store value being computed (store/aggregates.py)
    # before it gets the previous value or 503; no wait when the last computation took longer.
    aggregate_wait: float = 5.0
    sandbox_timeout: float = 20.0
    sandbox_memory_mb: int = 512
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
        return UNTOC

    @classmethod
    def from_env(cls, **overrides: Any) -> Config:
        """Defaults, then `KG_*` variables, then `overrides` that are not None."""
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            text = os.environ.get(setting.env) if setting.env else None
            if not text:
                continue
            try:
                values[setting.name] = setting.parse(text)
            except ValueError as error:
                raise SettingError(f"{setting.env}={text!r}: {error}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        config = replace(cls(), **values)
        if config.update_token_file and not config.update_token:
            config = replace(config, update_token=read_token(config.update_token_file))
        return config


def read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SettingError(f"KG_UPDATE_TOKEN_FILE={str(path)!r}: {error.strerror}") from None
    if not token:
        raise SettingError(f"KG_UPDATE_TOKEN_FILE={str(path)!r}: the file is empty")
    return token


def defaults() -> dict[str, Any]:
    """Each setting's default, for the documentation."""
    config = Config()
    return {f.name: getattr(config, f.name) for f in fields(Config)}
