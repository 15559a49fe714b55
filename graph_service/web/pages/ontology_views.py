"""View models of /ontology (classes, properties, concepts with alignments) and /shapes
(each shape's Turtle under its anchor)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from flask_babel import gettext

from graph_service import i18n
from graph_service.store.validation import to_rdflib
from graph_service.vocabulary import DCTERMS, OWL, PREFIXES, RDF, RDFS, SKOS, UNTOC
from graph_service.web.pages import descriptions as d
from graph_service.web.pages.ui import Ui, local_name

CLASS_KINDS = {OWL + "Class", RDFS + "Class"}


PROPERTY_KINDS = {
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    RDF + "Property",
}


CONCEPT_KINDS = {SKOS + "Concept", SKOS + "ConceptScheme"}


ALIGNMENTS = [
    RDFS + "subClassOf",
    OWL + "equivalentClass",
    RDFS + "subPropertyOf",
    OWL + "equivalentProperty",
    OWL + "inverseOf",
    SKOS + "exactMatch",
    SKOS + "closeMatch",
    SKOS + "broadMatch",
    SKOS + "narrowMatch",
    SKOS + "broader",
    SKOS + "inScheme",
    RDFS + "seeAlso",
]


TEXT_PROPERTIES = [
    RDFS + "comment",
    SKOS + "definition",
    DCTERMS + "description",
    SKOS + "scopeNote",
]


def ontology_anchor(iri: str) -> str:
    """`#WorkingGroup` for ontology terms; terms elsewhere (the provision types under id/)
    get a prefix, since `untoc:establishes` and the concept `establishes` share a name."""
    return local_name(iri) if iri.startswith(UNTOC) else "concept-" + local_name(iri)


def ontology_context(ui: Ui, graph_iri: str) -> dict:
    """Classes, properties and concepts of the ontology graph with their alignments."""
    found = d.rows(ui.store, "ontology_terms", graph=ox.NamedNode(graph_iri))
    terms: dict[str, dict] = {}
    for row in found:
        if not isinstance(row["term"], ox.NamedNode):
            continue
        term = terms.setdefault(row["term"].value, {"kinds": set(), "props": defaultdict(list)})
        term["kinds"].add(row["kind"].value)
        if row["o"] not in term["props"][row["p"].value]:
            term["props"][row["p"].value].append(row["o"])
    ui.ensure_labels(
        set(terms)
        | {
            o.value
            for t in terms.values()
            for objs in t["props"].values()
            for o in objs
            if isinstance(o, ox.NamedNode)
        }
        | set(ALIGNMENTS)
    )

    def texts(props, keys) -> str:
        by_lang: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            for literal in props.get(key, []):
                if isinstance(literal, ox.Literal):
                    by_lang[literal.language or ""].append(literal.value)
        return i18n.pick_label(by_lang, ui.lang) or ""

    def entry(iri: str, term: dict) -> dict:
        props = term["props"]
        return {
            "iri": iri,
            "anchor": ontology_anchor(iri),
            "curie": ui.curie(iri),
            "href": ui.href(iri),
            "label": ui.label(iri),
            "comment": texts(props, TEXT_PROPERTIES),
            "kinds": sorted(ui.curie(k) for k in term["kinds"]),
            "domain": [ui.value(o) for o in props.get(RDFS + "domain", [])],
            "range": [ui.value(o) for o in props.get(RDFS + "range", [])],
            "alignments": [
                (ui.prop_label(p), ui.curie(p), [ui.value(o) for o in props[p]])
                for p in ALIGNMENTS
                if props.get(p)
            ],
        }

    classes, properties, concepts, header = [], [], [], None
    for iri in sorted(terms, key=lambda i: local_name(i).lower()):
        term = terms[iri]
        if OWL + "Ontology" in term["kinds"]:
            header = {
                "iri": iri,
                "label": ui.label(iri),
                "comment": texts(term["props"], TEXT_PROPERTIES),
            }
        elif term["kinds"] & CLASS_KINDS:
            classes.append(entry(iri, term))
        elif term["kinds"] & PROPERTY_KINDS:
            properties.append(entry(iri, term))
        elif term["kinds"] & CONCEPT_KINDS:
            concepts.append(entry(iri, term))
    return {
        "header": header,
        "classes": classes,
        "properties": properties,
        "concepts": concepts,
        "title": gettext("Ontology"),
    }


def shapes_context(ui: Ui, iri: str, triples: list[ox.Triple]) -> dict:
    """Each shape `{iri}#Name` with its Turtle (its blank nodes nested), so that a link to
    `/shapes#Name` lands on it."""
    by_subject: dict = defaultdict(list)
    for triple in triples:
        by_subject[triple.subject].append(triple)

    def closure(node, seen: set) -> list[ox.Triple]:
        found = []
        for triple in by_subject.get(node, []):
            found.append(triple)
            if isinstance(triple.object, ox.BlankNode) and triple.object not in seen:
                seen.add(triple.object)
                found.extend(closure(triple.object, seen))
        return found

    shapes = []
    names = [s for s in by_subject if isinstance(s, ox.NamedNode) and s.value.startswith(iri + "#")]
    for node in sorted(names, key=lambda n: n.value.lower()):
        graph = to_rdflib(closure(node, set()))
        for prefix, namespace in {**PREFIXES, "untocsh": iri + "#"}.items():
            graph.bind(prefix, namespace, replace=True)
        text = graph.serialize(format="turtle")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
        shapes.append({"anchor": node.value.split("#", 1)[1], "turtle": body.strip()})
    ui.ensure_labels([iri])
    return {"title": i18n.capitalize(ui.label(iri)), "shapes": shapes}
