"""Federation: the registry of partner endpoints, which is also the SERVICE allow-list.

The allow-list (a TOML registry, `Config.federation_config`) is the only thing that keeps
pyoxigraph from sending HTTP requests to arbitrary SERVICE IRIs, so every query and update
passes `check_query_services` before it runs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from graph_service.sparql.tokens import find_services


class ServiceNotAllowed(Exception):
    """A query names a SERVICE that is not on the federation allow-list."""


@dataclass(frozen=True)
class Endpoint:
    key: str
    name: str
    endpoint: str
    description: str = ""
    timeout: float = 10.0
    offers: tuple[str, ...] = ()
    reachable_in_tests: bool = True
    # Only external IRIs starting with one of these are asked for (empty: all of them).
    uri_spaces: tuple[str, ...] = ()
    # Whether the publisher documents this IRI as its SPARQL endpoint (or the deployer runs it);
    # `evidence` says where, or why it is unverified. `kg federate` harvests from an unverified
    # endpoint only when it is named with --endpoint.
    verified: bool = True
    evidence: str = ""
    extra: dict = field(default_factory=dict, compare=False)


_KNOWN_FIELDS = {
    "key",
    "name",
    "endpoint",
    "description",
    "timeout",
    "offers",
    "reachable_in_tests",
    "uri_spaces",
    "verified",
    "evidence",
}


def load_registry(path: Path | str) -> list[Endpoint]:
    """Read the `[[endpoint]]` tables of a federation TOML file; a bad entry is an error
    naming the file and the entry."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ValueError(f"{path}: federation registry not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    endpoints: list[Endpoint] = []
    for number, entry in enumerate(data.get("endpoint", []), start=1):
        where = f"{path}: [[endpoint]] #{number}"
        for required in ("key", "name", "endpoint"):
            if not isinstance(entry.get(required), str) or not entry[required]:
                raise ValueError(f"{where}: missing or empty {required!r}")
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry["key"]):
            raise ValueError(
                f"{where}: key {entry['key']!r} must be lower-case letters, digits and '-'"
            )
        if not re.match(r"https?://", entry["endpoint"]):
            raise ValueError(f"{where}: endpoint {entry['endpoint']!r} is not an http(s) IRI")
        if not isinstance(entry.get("verified", True), bool):
            raise ValueError(f"{where}: verified must be true or false")
        timeout = entry.get("timeout", 10)
        if not isinstance(timeout, int | float) or timeout <= 0:
            raise ValueError(f"{where}: timeout must be a positive number of seconds")
        endpoints.append(
            Endpoint(
                key=entry["key"],
                name=entry["name"],
                endpoint=entry["endpoint"],
                description=entry.get("description", ""),
                timeout=float(timeout),
                offers=tuple(entry.get("offers", ())),
                reachable_in_tests=bool(entry.get("reachable_in_tests", True)),
                uri_spaces=tuple(entry.get("uri_spaces", ())),
                verified=entry.get("verified", True),
                evidence=str(entry.get("evidence", "")),
                extra={k: v for k, v in entry.items() if k not in _KNOWN_FIELDS},
            )
        )
    keys = [e.key for e in endpoints]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate endpoint keys {', '.join(duplicates)}")
    return endpoints


def allowed_services(config) -> set[str]:
    return {e.endpoint for e in load_registry(config.federation_config)}


def check_query_services(query: str, config) -> None:
    """Raise ServiceNotAllowed unless every SERVICE in `query` (or update) is on the
    allow-list in `config.federation_config`. Variable SERVICE IRIs are always refused.

    The SERVICE clauses are found by `sparql_tokens.find_services`, which may see more of
    them than the engine will (never fewer). A text the engine cannot parse is let through
    unless it shows a SERVICE: it never runs, and the endpoint answers 400 with the parser's
    message.
    """
    clauses = find_services(query)
    if not clauses:
        return
    allowed = allowed_services(config)
    listing = ", ".join(sorted(allowed)) or "(none)"
    for clause in clauses:
        for reading in clause.readings:
            if reading.variable:
                raise ServiceNotAllowed(
                    f"SERVICE with a variable IRI ({reading.term}) is not allowed; name an "
                    f"endpoint from the federation allow-list: {listing}"
                )
            for iri in reading.iris:
                if iri not in allowed:
                    raise ServiceNotAllowed(
                        f"SERVICE <{iri}> is not on this endpoint's federation allow-list; "
                        f"allowed: {listing}"
                    )
        if clause.keyword and not any(reading.iris for reading in clause.readings):
            raise ServiceNotAllowed(
                f"SERVICE {clause.readings[0].term} uses a prefix that is not declared; "
                f"allowed: {listing}"
            )
