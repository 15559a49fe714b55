"""Every format the service reads or writes, in one table: its name (the `format=` value and
the command-line name), media type and the synonyms clients send, file extension, the
pyoxigraph format, and the W3C format IRI (http://www.w3.org/ns/formats/).

Routes offer a tuple of formats; `offer` turns it into the media types to negotiate over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_service.vocabulary import FORMATS

HTML = "text/html"


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    w3c_name: str
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat
    synonyms: tuple[str, ...] = ()  # other media types that ask for this format
    aliases: tuple[str, ...] = ()  # other `format=` values
    rdflib: str | None = None  # rdflib's serializer name
    holds_graphs: bool = False  # keeps named graphs (a dataset format)

    @property
    def iri(self) -> str:
        return FORMATS + self.w3c_name

    @property
    def is_rdf(self) -> bool:
        return isinstance(self.oxigraph, ox.RdfFormat)

    @property
    def rdf(self) -> ox.RdfFormat:
        """The pyoxigraph RDF format; ValueError for a query results format."""
        if not isinstance(self.oxigraph, ox.RdfFormat):
            raise ValueError(f"{self.name} is not an RDF format")
        return self.oxigraph

    @property
    def results(self) -> ox.QueryResultsFormat:
        """The pyoxigraph query results format; ValueError for an RDF format."""
        if not isinstance(self.oxigraph, ox.QueryResultsFormat):
            raise ValueError(f"{self.name} is not a query results format")
        return self.oxigraph

    @property
    def content_type(self) -> str:
        return content_type(self.media_type)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


TURTLE = Format(
    "turtle",
    "text/turtle",
    "ttl",
    "Turtle",
    ox.RdfFormat.TURTLE,
    synonyms=("application/x-turtle", "application/turtle"),
    aliases=("ttl", "n3"),  # Turtle is N3; SPARQLWrapper asks for `n3`
    rdflib="turtle",
)
NTRIPLES = Format(
    "ntriples",
    "application/n-triples",
    "nt",
    "N-Triples",
    ox.RdfFormat.N_TRIPLES,
    synonyms=("text/plain",),
    aliases=("nt", "n-triples"),
    rdflib="nt",
)
NQUADS = Format(
    "nquads",
    "application/n-quads",
    "nq",
    "N-Quads",
    ox.RdfFormat.N_QUADS,
    aliases=("nq", "n-quads"),
    rdflib="nquads",
    holds_graphs=True,
)
TRIG = Format(
    "trig",
    "application/trig",
    "trig",
    "TriG",
    ox.RdfFormat.TRIG,
    rdflib="trig",
    holds_graphs=True,
)
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    "jsonld",
    "JSON-LD",
    ox.RdfFormat.JSON_LD,
    synonyms=("application/json", "application/x-json+ld"),
    aliases=("json-ld", "json"),
    rdflib="json-ld",
    holds_graphs=True,
)
RDFXML = Format(
    "rdfxml",
    "application/rdf+xml",
    "rdf",
    "RDF_XML",
    ox.RdfFormat.RDF_XML,
    synonyms=("application/xml", "text/xml"),
    aliases=("rdf+xml", "rdf", "owl", "xml"),
    rdflib="xml",
)
JSON_RESULTS = Format(
    "json",
    "application/sparql-results+json",
    "srj",
    "SPARQL_Results_JSON",
    ox.QueryResultsFormat.JSON,
    synonyms=("application/json",),
    aliases=("srj",),
)
XML_RESULTS = Format(
    "xml",
    "application/sparql-results+xml",
    "srx",
    "SPARQL_Results_XML",
    ox.QueryResultsFormat.XML,
    synonyms=("application/xml", "text/xml"),
    aliases=("srx",),
)
CSV_RESULTS = Format("csv", "text/csv", "csv", "SPARQL_Results_CSV", ox.QueryResultsFormat.CSV)
TSV_RESULTS = Format(
    "tsv", "text/tab-separated-values", "tsv", "SPARQL_Results_TSV", ox.QueryResultsFormat.TSV
)

# What each kind of answer can be written as; the first is the default.
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML)  # CONSTRUCT, DESCRIBE, pages
RDF_FORMATS = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)  # everything RDF
SOLUTION_FORMATS = (JSON_RESULTS, XML_RESULTS, CSV_RESULTS, TSV_RESULTS)  # SELECT
BOOLEAN_FORMATS = (JSON_RESULTS, XML_RESULTS)  # ASK
SOURCE_FORMATS = (TURTLE, TRIG, NQUADS)  # files `kg load` reads
ALL = (*RDF_FORMATS, *SOLUTION_FORMATS)


def offer(formats: Iterable[Format]) -> dict[str, Format]:
    """media type -> format, to negotiate over: canonical media types first (the server's
    preference, in the given order), then the synonyms clients send."""
    formats = tuple(formats)
    offered = {f.media_type: f for f in formats}
    for f in formats:
        for synonym in f.synonyms:
            offered.setdefault(synonym, f)
    return offered


def by_name(name: str, formats: Iterable[Format] = ALL) -> Format | None:
    """The format a `format=` value or command-line name means, among `formats`."""
    wanted = name.strip().lower()
    for f in formats:
        if wanted in f.names() or wanted == f.media_type or wanted in f.synonyms:
            return f
    return None


def by_extension(extension: str, formats: Iterable[Format] = RDF_FORMATS) -> Format | None:
    return next((f for f in formats if f.extension == extension.lstrip(".").lower()), None)


def by_path(path: Path | str, formats: Iterable[Format] = RDF_FORMATS) -> Format | None:
    return by_extension(Path(path).suffix, formats)


def by_media_type(media_type: str, formats: Iterable[Format] = ALL) -> Format | None:
    return offer(formats).get(media_type.lower())


def format_aliases() -> dict[str, tuple[str, ...]]:
    """`format=` value -> media types it may mean, in order (`json` is SPARQL JSON for a
    SELECT and JSON-LD for a CONSTRUCT: the first one a route offers wins)."""
    aliases: dict[str, list[str]] = {"html": [HTML]}
    for f in ALL:
        for name in f.names():
            aliases.setdefault(name, []).append(f.media_type)
    return {name: tuple(types) for name, types in aliases.items()}


def content_type(media_type: str) -> str:
    """The Content-Type header value: everything we write is UTF-8, and says so."""
    return f"{media_type}; charset=utf-8"
