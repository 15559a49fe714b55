"""Every namespace the service speaks, one prefix table, and the IRIs of this deployment.

Namespaces are IRI prefixes as strings (`RDFS + "label"`). `PREFIXES` is the one table of
conventional prefixes: RDF output, CURIEs on pages and the query page's PREFIX lines all
come from it. The vocabulary namespace is fixed; `KG_BASE_IRI` moves instance and graph IRIs
only (docs/decisions/0004-base-iri.md).
"""

from __future__ import annotations

DEFAULT_BASE_IRI = "https://w3id.org/untoc/"

UNTOC = "https://w3id.org/untoc/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
ELI = "http://data.europa.eu/eli/ontology#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
SH = "http://www.w3.org/ns/shacl#"
FORMATS = "http://www.w3.org/ns/formats/"
WIKIDATA = "http://www.wikidata.org/entity/"
ISO639 = "http://id.loc.gov/vocabulary/iso639-1/"

# prefix -> namespace, in the order outputs declare them.
PREFIXES: dict[str, str] = {
    "untoc": UNTOC,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "eli": ELI,
    "foaf": FOAF,
    "dcat": DCAT,
    "void": VOID,
    "sd": SD,
    "sh": SH,
    "formats": FORMATS,
    "wd": WIKIDATA,
}

# The vocabularies the data itself uses, for VoID's void:vocabulary.
DATA_VOCABULARIES = ("untoc", "org", "schema", "dcterms", "skos", "prov", "eli")

# What a service conforms to (dcterms:conformsTo): /sparql and /store.
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
GRAPH_STORE_PROTOCOL = "https://www.w3.org/TR/sparql11-http-rdf-update/"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"


def prefixes(*names: str) -> dict[str, str]:
    """A part of the prefix table, in the order asked."""
    return {name: PREFIXES[name] for name in names}


def curie(iri: str) -> str:
    """`rdfs:label` for a known namespace, else the IRI as it is."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def expand(name: str) -> str | None:
    """`untoc:WorkingGroup` -> its IRI; None when the prefix is unknown."""
    prefix, colon, rest = name.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return None


def sparql_prologue(names: dict[str, str] | None = None) -> str:
    """PREFIX lines for a query."""
    table = PREFIXES if names is None else names
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in table.items())


# This deployment's IRIs (DESIGN.md section 2), under the configured base IRI.


def entity_iri(base_iri: str, path: str) -> str:
    """`body/wg-tip` -> `{base}id/body/wg-tip`."""
    return f"{base_iri}id/{path}"


def graph_iri(base_iri: str, key: str) -> str:
    """The named graph of one source document (or `ontology`, `shapes`, `linkset-<key>`)."""
    return f"{base_iri}graph/{key}"


def ontology_graph_iri(base_iri: str) -> str:
    return graph_iri(base_iri, "ontology")


def shapes_graph_iri(base_iri: str) -> str:
    return graph_iri(base_iri, "shapes")


def document_iri(base_iri: str, key: str) -> str:
    """The source document whose facts live in `graph/{key}`."""
    return entity_iri(base_iri, f"document/{key}")


def linkset_graph_iri(base_iri: str, partner: str) -> str:
    """Labels harvested from a federation partner (`kg federate`)."""
    return graph_iri(base_iri, f"linkset-{partner}")
