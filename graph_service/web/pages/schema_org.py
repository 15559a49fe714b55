"""schema.org JSON-LD for search engines, and the "query this" links of a resource."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from flask_babel import gettext

from graph_service import i18n
from graph_service.record.decisions import SetAside, is_set_aside
from graph_service.vocabulary import DCTERMS, OWL, RDFS, SCHEMA, SKOS, UNTOC
from graph_service.web.pages import descriptions as d
from graph_service.web.pages.ui import Ui

# schema.org type for each class, most specific classes first (a resource takes the first
# that applies): bodies are organisations, instruments legislation, meetings events.
SCHEMA_TYPES = {
    UNTOC + "WorkingGroup": "Organization",
    UNTOC + "ConferenceOfTheParties": "Organization",
    UNTOC + "Body": "Organization",
    UNTOC + "Convention": "Legislation",
    UNTOC + "Protocol": "Legislation",
    UNTOC + "Treaty": "Legislation",
    UNTOC + "Decision": "Legislation",
    UNTOC + "Resolution": "Legislation",
    UNTOC + "Instrument": "Legislation",
    UNTOC + "Provision": "Legislation",
    UNTOC + "Session": "Event",
    UNTOC + "Meeting": "Event",
    UNTOC + "ConstructiveDialogue": "Event",
    UNTOC + "Report": "Report",
    UNTOC + "Note": "CreativeWork",
    UNTOC + "Agenda": "CreativeWork",
    UNTOC + "AgendaItem": "CreativeWork",
    UNTOC + "Document": "CreativeWork",
    UNTOC + "Paragraph": "CreativeWork",
    SCHEMA + "Place": "Place",
    SKOS + "Concept": "DefinedTerm",
    SKOS + "ConceptScheme": "DefinedTermSet",
}


SCHEMA_CREATIVE = {"Legislation", "Report", "CreativeWork", "DefinedTermSet"}


def schema_org(ui: Ui, desc: d.Description, set_aside: Iterable[SetAside] = ()) -> dict:
    """A schema.org description for search engines, each property on a type that has it:
    Organization (bodies), Legislation (treaties, instruments, provisions), Event (sessions,
    meetings and dialogues, with dates, place and organiser), Report / CreativeWork
    (documents). A value that a source decision sets aside (`set_aside`) is never given."""
    iri = desc.iri
    kind = next((SCHEMA_TYPES[t] for t in SCHEMA_TYPES if t in set(desc.types())), "Thing")
    data: dict = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": iri,
        "url": iri,
        "name": ui.label(iri),
    }
    first = _first_value(desc, iri, list(set_aside))
    alternate = sorted(
        {
            o.value
            for p in (RDFS + "label", SKOS + "altLabel", SCHEMA + "name")
            for o in desc.values(iri, p)
        }
        - {data["name"]}
    )
    if alternate:
        data["alternateName"] = alternate
    description = i18n.pick_label(
        _by_language(desc, iri, (RDFS + "comment", DCTERMS + "description", SKOS + "definition")),
        ui.lang,
    )
    if description:
        data["description"] = description
    identifier = first(UNTOC + "documentSymbol") or first(UNTOC + "identifier")
    if identifier:
        data["identifier"] = identifier.value
    same = sorted(
        o.value
        for p in (OWL + "sameAs", SKOS + "exactMatch")
        for o in desc.values(iri, p)
        if isinstance(o, ox.NamedNode)
    )
    if same:
        data["sameAs"] = same

    def ref(term, schema_type: str) -> dict | None:
        if not isinstance(term, ox.NamedNode):
            return None
        return {"@type": schema_type, "@id": term.value, "name": ui.label(term.value)}

    if kind == "Event":
        for prop, key in ((SCHEMA + "startDate", "startDate"), (SCHEMA + "endDate", "endDate")):
            if first(prop):
                data[key] = first(prop).value
        place = ref(first(SCHEMA + "location"), "Place")
        if place:
            data["location"] = place
        organizer = ref(first(UNTOC + "meetingOf") or first(UNTOC + "sessionOf"), "Organization")
        if organizer:
            data["organizer"] = organizer
    elif kind == "Organization":
        parent = ref(first(UNTOC + "subsidiaryBodyOf"), "Organization")
        if parent:
            data["parentOrganization"] = parent
    elif kind in SCHEMA_CREATIVE:
        if first(DCTERMS + "issued"):
            data["datePublished"] = first(DCTERMS + "issued").value
        about = ref(first(UNTOC + "reportOf"), "Event")
        if about:
            data["about"] = about
        part_of = ref(first(UNTOC + "provisionOf"), "Legislation") or ref(
            first(DCTERMS + "isPartOf"), "CreativeWork"
        )
        if part_of:
            data["isPartOf"] = part_of
    elif kind == "DefinedTerm":
        scheme = ref(first(SKOS + "inScheme"), "DefinedTermSet")
        if scheme:
            data["inDefinedTermSet"] = scheme
    return data


def dataset_schema_org(ui: Ui, url: str) -> dict:
    """The home page describes the dataset (schema.org Dataset, for dataset search)."""
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": ui.base_iri,
        "url": url,
        "name": gettext("UNTOC Knowledge Graph"),
        "description": gettext(
            "This dataset describes the Conference of the Parties to the Convention, its "
            "sessions, its working groups, the decisions and resolutions that established them "
            "or directed their work, their meetings and the UN documents that report on them. "
            "Every fact cites the paragraph of the source document it comes from."
        ),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True,
        "inLanguage": list(i18n.LANGUAGES),
    }


def _first_value(desc: d.Description, iri: str, set_aside: list[SetAside]):
    def first(prop: str):
        kept = [v for v in desc.values(iri, prop) if not is_set_aside(set_aside, iri, prop, v)]
        return kept[0] if kept else None

    return first


def _by_language(desc: d.Description, iri: str, props) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for prop in props:
        for o in desc.values(iri, prop):
            if isinstance(o, ox.Literal):
                found[o.language or ""].append(o.value)
    return found


def sparql_links(ui: Ui, iri: str) -> list[tuple[str, str]]:
    describe = f"DESCRIBE <{iri}>"
    select = (
        f"SELECT ?property ?value WHERE {{\n  <{iri}> ?property ?value\n}}\n"
        "ORDER BY ?property\nLIMIT 500"
    )
    return [
        (gettext("Everything about this resource (DESCRIBE)"), ui.local("/sparql", query=describe)),
        (gettext("Its properties as a table (SELECT)"), ui.local("/sparql", query=select)),
    ]
