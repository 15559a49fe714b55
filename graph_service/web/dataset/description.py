"""The dataset described in VoID and DCAT, as an rdflib graph: title and licence, statistics
from `statistics.py`, named graphs, linksets, dumps, the SPARQL service and the Graph Store."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, VOID, XSD

from graph_service.vocabulary import (
    DATA_VOCABULARIES,
    GRAPH_STORE_PROTOCOL,
    PREFIXES,
    SPARQL_PROTOCOL,
    UNTOC,
)
from graph_service.vocabulary import SD as SD_NAMESPACE
from graph_service.web.dataset.dumps import DUMPS
from graph_service.web.dataset.statistics import Statistics

SD = Namespace(SD_NAMESPACE)
IANA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
# Keys of linksets.rq's ?target -> (title, homepage, URI space)
LINK_TARGETS = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/", "http://www.wikidata.org/entity/"),
    "geonames": ("GeoNames", "https://www.geonames.org/", "https://sws.geonames.org/"),
    "unbis": (
        "UNBIS Thesaurus",
        "https://metadata.un.org/thesaurus/",
        "http://metadata.un.org/thesaurus/",
    ),
    "sdg": (
        "UN Sustainable Development Goals taxonomy",
        "https://metadata.un.org/sdg/",
        "http://metadata.un.org/sdg/",
    ),
}

DESCRIPTION_EN = (
    "The governance system of the United Nations Convention against Transnational "
    "Organized Crime: the Conference of the Parties, its sessions, the Convention and "
    "its Protocols, working groups, the decisions and resolutions that established "
    "them, their meetings and reports. Every fact cites the paragraph of the source "
    "document it comes from, in a named graph per source document."
)
DESCRIPTION_RU = (
    "Система управления Конвенции Организации Объединенных Наций против "
    "транснациональной организованной преступности: Конференция участников, ее сессии, "
    "Конвенция и протоколы к ней, рабочие группы, решения и резолюции, которыми они "
    "учреждены, их совещания и доклады. Каждый факт ссылается на пункт исходного "
    "документа и хранится в именованном графе этого документа."
)


def describe(stats: Statistics, base_iri: str, root_url: str) -> Graph:
    """The description as an rdflib graph; `root_url` is this server's URL ending in '/'."""
    g = Graph(bind_namespaces="core")
    for prefix, ns in (
        ("void", VOID),
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("sd", SD),
        ("xsd", XSD),
        ("skos", SKOS),
        ("owl", OWL),
    ):
        g.bind(prefix, ns)
    g.bind("untoc", UNTOC)
    void = base_iri + "void#"
    ds = URIRef(void + "dataset")
    sparql = URIRef(root_url + "sparql")

    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("UNTOC Knowledge Graph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("Граф знаний КТОП", lang="ru")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION_EN, lang="en")))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION_RU, lang="ru")))
    publisher = URIRef(void + "publisher")
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("UNTOC Knowledge Graph project", lang="en")))
    g.add((publisher, FOAF.homepage, URIRef(root_url)))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.rights, Literal("CC BY 4.0", lang="en")))
    for code in ("en", "ru"):
        g.add((ds, DCTERMS.language, URIRef(f"http://id.loc.gov/vocabulary/iso639-1/{code}")))
    for keyword in ("UNTOC", "Conference of the Parties", "working group", "United Nations"):
        g.add((ds, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((ds, FOAF.homepage, URIRef(root_url)))
    g.add((ds, DCAT.landingPage, URIRef(root_url)))
    g.add((ds, VOID.sparqlEndpoint, sparql))
    g.add((ds, VOID.uriSpace, Literal(base_iri + "id/")))
    for prefix in DATA_VOCABULARIES:
        g.add((ds, VOID.vocabulary, URIRef(PREFIXES[prefix])))
    for example in stats.examples:
        g.add((ds, VOID.exampleResource, URIRef(example)))

    for name, value in (
        ("triples", stats.triples),
        ("entities", stats.entities),
        ("distinctSubjects", stats.subjects),
        ("distinctObjects", stats.objects),
        ("classes", stats.classes),
        ("properties", stats.properties),
    ):
        g.add((ds, VOID[name], Literal(value, datatype=XSD.integer)))
    _partitions(g, ds, stats.class_partitions, stats.property_partitions)

    for graph_iri, counts in sorted(stats.graphs.items()):
        subset = URIRef(graph_iri)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, RDF.type, SD.NamedGraph))
        g.add((subset, SD.name, subset))
        g.add((subset, VOID.triples, Literal(counts["triples"], datatype=XSD.integer)))
        g.add((subset, VOID.distinctSubjects, Literal(counts["subjects"], datatype=XSD.integer)))
        g.add((subset, VOID.distinctObjects, Literal(counts["objects"], datatype=XSD.integer)))
        g.add((subset, VOID.properties, Literal(counts["properties"], datatype=XSD.integer)))
        g.add(
            (
                subset,
                VOID.classes,
                Literal(len(stats.graph_class_partitions[graph_iri]), datatype=XSD.integer),
            )
        )
        _partitions(
            g,
            subset,
            stats.graph_class_partitions[graph_iri],
            stats.graph_property_partitions[graph_iri],
        )

    for target_key, predicate, triples in stats.linksets:
        title, homepage, space = LINK_TARGETS[target_key]
        target = URIRef(void + target_key)
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(title, lang="en")))
        g.add((target, FOAF.homepage, URIRef(homepage)))
        g.add((target, VOID.uriSpace, Literal(space)))
        local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        linkset = URIRef(f"{void}links-{target_key}-{local}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.target, ds))
        g.add((linkset, VOID.target, target))
        g.add((linkset, VOID.linkPredicate, URIRef(predicate)))
        g.add((linkset, VOID.triples, Literal(triples, datatype=XSD.integer)))

    _distributions(g, ds, void, root_url, sparql)
    return g


def _partitions(g: Graph, subject, classes: dict[str, int], properties: dict[str, int]) -> None:
    for cls, entities in sorted(classes.items()):
        part = BNode()
        g.add((subject, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for prop, triples in sorted(properties.items()):
        part = BNode()
        g.add((subject, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(triples, datatype=XSD.integer)))


def _distributions(g: Graph, ds, void: str, root_url: str, sparql: URIRef) -> None:
    for dump in DUMPS.values():
        url = URIRef(root_url + "dumps/" + dump.name)
        dist = URIRef(f"{void}dump-{dump.name.rsplit('.', 1)[1]}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(dump.title, lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.accessURL, URIRef(root_url + "dumps/")))
        g.add((dist, DCAT.mediaType, URIRef(IANA + dump.format.media_type)))
        g.add((dist, DCTERMS["format"], URIRef(dump.format.iri)))
        g.add((dist, DCTERMS.license, LICENSE))
        g.add((ds, VOID.feature, URIRef(dump.format.iri)))

    service = URIRef(void + "sparql-service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, sparql))
    g.add((service, SD.endpoint, sparql))
    g.add((service, DCAT.endpointDescription, sparql))
    g.add((service, DCTERMS.conformsTo, URIRef(SPARQL_PROTOCOL)))
    g.add((service, DCAT.servesDataset, ds))
    g.add((ds, DCAT.accessService, service))
    graph_store = URIRef(void + "graph-store")
    g.add((graph_store, RDF.type, DCAT.DataService))
    g.add((graph_store, DCTERMS.title, Literal("Graph Store Protocol endpoint", lang="en")))
    g.add((graph_store, DCAT.endpointURL, URIRef(root_url + "store")))
    g.add((graph_store, DCTERMS.conformsTo, URIRef(GRAPH_STORE_PROTOCOL)))
    g.add((graph_store, DCAT.servesDataset, ds))
    store_dist = URIRef(void + "graph-store-access")
    g.add((ds, DCAT.distribution, store_dist))
    g.add((store_dist, RDF.type, DCAT.Distribution))
    g.add((store_dist, DCTERMS.title, Literal("Graph Store Protocol endpoint", lang="en")))
    g.add((store_dist, DCAT.accessURL, URIRef(root_url + "store")))
    g.add((store_dist, DCAT.accessService, graph_store))
    g.add((store_dist, DCTERMS.license, LICENSE))
    dist = URIRef(void + "sparql")
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((dist, DCAT.accessURL, sparql))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.license, LICENSE))
