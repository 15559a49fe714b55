"""A resource's properties grouped and ordered for people, and the quoted source parts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from flask_babel import gettext

from graph_service.i18n import N_
from graph_service.vocabulary import DCTERMS, OWL, RDF, RDFS, SCHEMA, SKOS, UNTOC
from graph_service.web.pages import descriptions as d
from graph_service.web.pages.ui import Ui, natural_key

# Property order on a page: (group key, properties in display order). Others go to "other",
# except untoc: properties, which are relations.
PROPERTY_GROUPS: list[tuple[str, list[str]]] = [
    (
        "group_identity",
        [
            RDFS + "label",
            SKOS + "prefLabel",
            SCHEMA + "name",
            SKOS + "altLabel",
            DCTERMS + "title",
            UNTOC + "identifier",
            UNTOC + "documentSymbol",
            UNTOC + "ordinal",
            RDFS + "comment",
            DCTERMS + "description",
        ],
    ),
    (
        "group_relations",
        [
            UNTOC + "subsidiaryBodyOf",
            UNTOC + "sessionOf",
            UNTOC + "meetingOf",
            UNTOC + "establishedBy",
            UNTOC + "madePermanentBy",
            UNTOC + "mandateConcerns",
            UNTOC + "supplements",
            UNTOC + "provisionOf",
            UNTOC + "provisionType",
            UNTOC + "addresses",
            UNTOC + "adoptedAt",
            UNTOC + "reportOf",
            UNTOC + "submittedTo",
            UNTOC + "agendaItem",
            UNTOC + "agendaItemOf",
        ],
    ),
    (
        "group_time_place",
        [
            SCHEMA + "startDate",
            SCHEMA + "endDate",
            SCHEMA + "location",
            DCTERMS + "issued",
            DCTERMS + "language",
            UNTOC + "originalLanguage",
        ],
    ),
    ("group_provenance", [DCTERMS + "source", DCTERMS + "isPartOf", DCTERMS + "creator"]),
    ("group_links", [OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch", RDFS + "seeAlso"]),
]


GROUP_OF = {p: g for g, props in PROPERTY_GROUPS for p in props}

# Headings of the groups, translated when the page is made.
GROUP_TITLES = {
    "group_identity": N_("Names and identifiers"),
    "group_relations": N_("Relations"),
    "group_time_place": N_("Dates and place"),
    "group_provenance": N_("Provenance"),
    "group_links": N_("Same resource elsewhere"),
    "group_other": N_("Other"),
}


ORDER_OF = {
    p: i * 100 + j for i, (_, props) in enumerate(PROPERTY_GROUPS) for j, p in enumerate(props)
}


@dataclass
class PropertyRow:
    iri: str
    label: str
    href: str
    values: list[dict]


def group_properties(ui: Ui, subject: str, triples: list[ox.Triple]) -> list[tuple[str, list]]:
    """The subject's properties (not its type) in groups, each in a sensible order."""
    by_prop: dict[str, list] = defaultdict(list)
    for triple in triples:
        if not isinstance(triple.subject, ox.NamedNode) or triple.subject.value != subject:
            continue
        if triple.predicate.value == RDF + "type":
            continue
        by_prop[triple.predicate.value].append(triple.object)
    ui.ensure_labels(list(by_prop))
    groups: dict[str, list[PropertyRow]] = defaultdict(list)
    for prop, objects in by_prop.items():
        group = GROUP_OF.get(prop) or (
            "group_relations" if prop.startswith(UNTOC) else "group_other"
        )
        values = sorted(
            (ui.value(o) for o in objects),
            key=lambda v: (v.get("lang") != ui.lang, v.get("lang", ""), natural_key(v["text"])),
        )
        groups[group].append(PropertyRow(prop, ui.prop_label(prop), ui.href(prop), values))
    ordered = []
    for key in [g for g, _ in PROPERTY_GROUPS] + ["group_other"]:
        if groups.get(key):
            rows = sorted(groups[key], key=lambda r: (ORDER_OF.get(r.iri, 10_000), r.label))
            ordered.append((gettext(GROUP_TITLES[key]), rows))
    return ordered


def source_quotes(ui: Ui, iris: list[str]) -> list[dict]:
    """Cited parts with their verbatim text, in document and paragraph order."""
    parts = d.fetch_parts(ui.store, iris)
    ui.ensure_labels([p["doc"] for p in parts.values() if p["doc"]] + list(parts))
    quotes: list[dict] = []
    for iri in iris:
        part = parts.get(iri)
        entry = {
            "iri": iri,
            "href": ui.href(iri),
            "label": ui.label(iri),
            "text": part["value"] if part else "",
            "lang": part["language"] if part else "",
            "doc_href": ui.href(part["doc"]) if part and part["doc"] else "",
            "doc_label": ui.label(part["doc"]) if part and part["doc"] else "",
            "ordinal": part["ordinal"] if part else None,
        }
        quotes.append(entry)
    quotes.sort(
        key=lambda q: (
            q["doc_label"],
            part_order(q["iri"].rpartition("#")[2], q["ordinal"]),
            q["iri"],
        )
    )
    return quotes


PART_KINDS = {"header": 0, "section": 1, "para": 2, "footnote": 3}


def part_order(anchor: str, ordinal: int | None) -> tuple[int, int]:
    """Masthead, section headings, numbered paragraphs, footnotes."""
    return (PART_KINDS.get(anchor.split("-")[0], 4), ordinal or 0)


def document_parts(ui: Ui, desc: d.Description) -> list[dict]:
    """The resource's own #parts with their text, in reading order."""
    prefix = desc.iri + "#"
    subjects = sorted(
        {
            t.subject.value
            for t in desc.outgoing
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(prefix)
        }
    )
    parts = []
    for subject in subjects:
        texts = desc.values(subject, RDF + "value")
        ordinals = desc.values(subject, UNTOC + "ordinal")
        ordinal = int(ordinals[0].value) if ordinals and ordinals[0].value.isdigit() else None
        parts.append(
            {
                "anchor": subject[len(prefix) :],
                "iri": subject,
                "label": ui.label(subject),
                "text": texts[0].value if texts else "",
                "lang": getattr(texts[0], "language", "") if texts else "",
                "ordinal": ordinal,
            }
        )
    return sorted(parts, key=lambda p: (part_order(p["anchor"], p["ordinal"]), p["anchor"]))
