"""Federation: the SERVICE allow-list, endpoint health, and label harvesting into linksets.

The allow-list (a TOML registry, `Config.federation_config`) is the only thing that keeps
pyoxigraph from sending HTTP requests to arbitrary SERVICE IRIs, so every query and update
passes `check_query_services` before it runs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable


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
    extra: dict = field(default_factory=dict, compare=False)


_KNOWN_FIELDS = {"key", "name", "endpoint", "description", "timeout", "offers",
                 "reachable_in_tests", "uri_spaces"}


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
            raise ValueError(f"{where}: key {entry['key']!r} must be lower-case letters, "
                             "digits and '-'")
        if not re.match(r"https?://", entry["endpoint"]):
            raise ValueError(f"{where}: endpoint {entry['endpoint']!r} is not an http(s) IRI")
        timeout = entry.get("timeout", 10)
        if not isinstance(timeout, int | float) or timeout <= 0:
            raise ValueError(f"{where}: timeout must be a positive number of seconds")
        endpoints.append(Endpoint(
            key=entry["key"],
            name=entry["name"],
            endpoint=entry["endpoint"],
            description=entry.get("description", ""),
            timeout=float(timeout),
            offers=tuple(entry.get("offers", ())),
            reachable_in_tests=bool(entry.get("reachable_in_tests", True)),
            uri_spaces=tuple(entry.get("uri_spaces", ())),
            extra={k: v for k, v in entry.items() if k not in _KNOWN_FIELDS},
        ))
    keys = [e.key for e in endpoints]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate endpoint keys {', '.join(duplicates)}")
    return endpoints


def allowed_services(config) -> set[str]:
    return {e.endpoint for e in load_registry(config.federation_config)}


# SPARQL 1.1 section 19.2: \u and \U escapes are replaced before parsing, so a keyword or
# IRI may be spelled with them; check the same text the engine will see.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape_codepoints(text: str) -> str:
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _walk(node):
    """Yield every CompValue in an rdflib parse tree."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):  # ParseResults is a list subclass in rdflib's tree
        for item in node:
            yield from _walk(item)
    elif hasattr(node, "asList") and not isinstance(node, str):
        for item in node:
            yield from _walk(item)


class _Prologue:
    """BASE and PREFIX declarations, applied in order as SPARQL does."""

    def __init__(self):
        self.base: str | None = None
        self.prefixes: dict[str, str] = {}

    def resolve(self, iri: str) -> str:
        if _is_absolute(iri) or self.base is None:
            return iri
        return str(URIRef(iri, base=self.base))

    def read(self, decls) -> None:
        for decl in _walk(decls):
            if decl.name == "Base":
                self.base = self.resolve(str(decl.iri))
            elif decl.name == "PrefixDecl":
                self.prefixes[decl.prefix or ""] = self.resolve(str(decl.iri))

    def term(self, term) -> str | None:
        """The absolute IRI of a SERVICE term, or None for a variable."""
        if isinstance(term, Variable):
            return None
        if isinstance(term, CompValue) and term.name == "pname":
            prefix = term.prefix or ""
            if prefix not in self.prefixes:
                raise ServiceNotAllowed(f"SERVICE uses undeclared prefix {prefix!r}:")
            return self.resolve(self.prefixes[prefix] + (term.localname or ""))
        return self.resolve(str(term))


def _is_absolute(iri: str) -> bool:
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) is not None


def _service_iris(text: str) -> list[str | None]:
    """Every SERVICE IRI in a query or update, None for `SERVICE ?var`."""
    try:
        tree = parseQuery(text)
        prologues, bodies = [tree[0]], [tree[1]]
    except Exception:
        update = parseUpdate(text)  # raises if neither parses; the caller decides
        prologues = list(update.get("prologue", []))
        bodies = list(update.get("request", []))
    found: list[str | None] = []
    prologue = _Prologue()
    for index, body in enumerate(bodies):
        # In an update, each operation's prologue adds to the previous ones.
        if index < len(prologues):
            prologue.read(prologues[index])
        for node in _walk(body):
            if node.name == "ServiceGraphPattern":
                found.append(prologue.term(node.term))
    return found


def check_query_services(query: str, config) -> None:
    """Raise ServiceNotAllowed unless every SERVICE in `query` (or update) is on the
    allow-list in `config.federation_config`. Variable SERVICE IRIs are always refused."""
    text = _unescape_codepoints(query)
    if "service" not in text.lower():
        return
    allowed = allowed_services(config)
    listing = ", ".join(sorted(allowed)) or "(none)"
    try:
        iris = _service_iris(text)
    except ServiceNotAllowed:
        raise
    except Exception as exc:
        # The engine would parse differently from rdflib only for syntax rdflib lacks
        # (e.g. RDF-star); when a SERVICE may be present we refuse rather than guess.
        if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
            raise ServiceNotAllowed(
                "the query mentions SERVICE but its SERVICE clauses could not be checked "
                f"against the federation allow-list ({exc.__class__.__name__}); allowed: "
                f"{listing}"
            ) from exc
        return
    for iri in iris:
        if iri is None:
            raise ServiceNotAllowed(
                "SERVICE with a variable IRI is not allowed; name an endpoint from the "
                f"federation allow-list: {listing}"
            )
        if iri not in allowed:
            raise ServiceNotAllowed(
                f"SERVICE <{iri}> is not on this endpoint's federation allow-list; "
                f"allowed: {listing}"
            )


# The federation client: health and label harvesting, with SPARQLWrapper.

QUERY_DIR = Path(__file__).parent / "queries" / "federation"
USER_AGENT = "untoc-kg-federation/0.1 (https://w3id.org/untoc/; SPARQLWrapper)"
LABEL_BATCH = 100


def load_query(name: str) -> str:
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def linkset_graph(config, endpoint: Endpoint) -> str:
    return f"{config.base_iri}graph/linkset-{endpoint.key}"


def _client(endpoint: Endpoint, query: str):
    from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper

    client = SPARQLWrapper(endpoint.endpoint, agent=USER_AGENT)
    client.setTimeout(max(1, round(endpoint.timeout)))
    # A form POST: the most widely supported way to send a query of any length.
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(JSON)
    client.setQuery(query)
    return client


@dataclass(frozen=True)
class Health:
    key: str
    endpoint: str
    ok: bool
    latency_ms: float | None
    error: str = ""


def check_health(endpoint: Endpoint) -> Health:
    """A cheap ASK with the endpoint's timeout: ok, latency, or the error."""
    import time

    started = time.monotonic()
    try:
        answer = _client(endpoint, load_query("health")).queryAndConvert()
        if not isinstance(answer, dict) or "boolean" not in answer:
            raise ValueError(f"not a SPARQL boolean result: {str(answer)[:200]}")
    except Exception as error:  # any failure is a health finding, not a crash
        return Health(endpoint.key, endpoint.endpoint, False, None, describe_error(error))
    latency = (time.monotonic() - started) * 1000
    return Health(endpoint.key, endpoint.endpoint, True, round(latency, 1))


def describe_error(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{error.__class__.__name__}: {text[0] if text else ''}"[:300]


def external_links(store, config, endpoint: Endpoint | None = None) -> list[str]:
    """Targets of owl:sameAs / skos:exactMatch outside our base IRI (in the endpoint's
    URI spaces, when it declares some)."""
    targets = [row["target"].value for row in store.query(load_query("external-links"))]
    targets = [t for t in targets if not t.startswith(config.base_iri)]
    if endpoint and endpoint.uri_spaces:
        targets = [t for t in targets if t.startswith(endpoint.uri_spaces)]
    return targets


def fetch_labels(endpoint: Endpoint, iris: list[str]):
    """rdfs:label and skos:prefLabel triples of `iris`, from the endpoint, in batches."""
    import pyoxigraph as ox

    template = load_query("remote-labels")
    triples = set()
    for start in range(0, len(iris), LABEL_BATCH):
        batch = iris[start:start + LABEL_BATCH]
        values = " ".join(f"<{iri}>" for iri in batch)
        result = _client(endpoint, template.replace("{values}", values)).queryAndConvert()
        for row in result["results"]["bindings"]:
            label = row["label"]
            language = label.get("xml:lang")
            datatype = label.get("datatype")
            literal = (ox.Literal(label["value"], language=language) if language else
                       ox.Literal(label["value"], datatype=ox.NamedNode(datatype))
                       if datatype else ox.Literal(label["value"]))
            triples.add(ox.Triple(ox.NamedNode(row["item"]["value"]),
                                  ox.NamedNode(row["property"]["value"]), literal))
    return sorted(triples, key=str)


@dataclass(frozen=True)
class Harvest:
    key: str
    graph: str
    links: int
    labels: int


def harvest(store, config, endpoints: list[Endpoint]) -> list[Harvest]:
    """Ask each endpoint for the labels of the external IRIs we link to and replace the
    graphs linkset-<key>, all of them in one transaction. An endpoint that fails raises
    before anything is written."""
    graphs, report = {}, []
    for endpoint in endpoints:
        iris = external_links(store, config, endpoint)
        triples = fetch_labels(endpoint, iris) if iris else []
        graph = linkset_graph(config, endpoint)
        graphs[graph] = triples
        report.append(Harvest(endpoint.key, graph, len(iris), len(triples)))
    store.replace_graphs(graphs)
    store.flush()
    return report
