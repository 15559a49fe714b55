"""/id/...: every IRI under the base dereferences to HTML for people and to Turtle,
N-Triples, JSON-LD or RDF/XML for machines (Accept, file extension or `format`)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, request

from graph_service import i18n
from graph_service.formats import HTML
from graph_service.vocabulary import DCTERMS, OWL, RDFS, SKOS, UNTOC
from graph_service.web.context import get_config, get_store
from graph_service.web.errors import HttpError
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import (
    http,
    links,
    not_found,
    properties,
    record_sections,
    schema_org,
    sections,
)
from graph_service.web.pages.ui import Ui, request_ui

blueprint = Blueprint("resources", __name__)


@blueprint.get("/id/<path:path>")
def resource(path: str):
    base = get_config().base_iri
    try:
        ox.NamedNode(base + "id/" + path)
    except ValueError as error:
        raise HttpError(400, f"400 Bad Request: /id/{path} makes no IRI ({error})") from None
    path, extension = http.split_extension(path, base + "id/")
    iri = base + "id/" + path
    media_type = http.negotiate(extension)
    if not d.exists(get_store(), iri):
        return not_found.page(iri, media_type)
    page = http.page_number("in_page")
    desc = d.describe(get_store(), iri, page=page, page_size=d.INCOMING_PAGE)
    local = request.script_root + "/id/" + path
    if media_type != HTML:
        return http.finish(http.rdf_response(desc.triples(), media_type), iri, local)
    ui = request_ui()
    context = _resource_context(ui, desc, local)
    if desc.incoming:
        context["incoming_total"], context["incoming_more"] = d.incoming_count(get_store(), iri)
    return http.finish(http.html("resource.html", **context), iri, local)


def _resource_context(ui: Ui, desc: d.Description, local: str) -> dict:
    ui.remember(desc.labels)
    iri = desc.iri
    types = desc.types()
    ui.ensure_labels(types)
    sources = sorted(
        {o.value for o in desc.values(iri, DCTERMS + "source") if isinstance(o, ox.NamedNode)}
    )
    context: dict[str, Any] = {
        "ui": ui,
        "iri": iri,
        "title": i18n.capitalize(ui.label(iri)),
        "canonical": iri,
        "types": [{"href": ui.href(t), "text": ui.label(t)} for t in types],
        "groups": properties.group_properties(ui, iri, desc.outgoing),
        "parts": properties.document_parts(ui, desc),
        "sources": properties.source_quotes(ui, sources),
        "external": [
            ui.value(o)
            for p in (OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch")
            for o in desc.values(iri, p)
            if isinstance(o, ox.NamedNode)
        ],
        "incoming": [
            {
                "subject": ui.value(t.subject),
                "property": ui.prop_label(t.predicate.value),
                "property_href": ui.href(t.predicate.value),
            }
            for t in desc.incoming
        ],
        "incoming_page": desc.incoming_page,
        "incoming_prev": ui.page_url(in_page=desc.incoming_page - 1)
        if desc.incoming_page > 1
        else None,
        "incoming_next": ui.page_url(in_page=desc.incoming_page + 1)
        if desc.incoming_has_more
        else None,
        "queries": schema_org.sparql_links(ui, iri),
        "formats": http.alternates(local),
        "body": None,
        "instrument": None,
        "document": None,
        "meeting": None,
        "session": None,
        "sdg": links.sdg_links(ui, iri),
        "official": links.official_links(
            ui,
            [o.value for o in desc.values(iri, RDFS + "seeAlso") if isinstance(o, ox.NamedNode)],
        ),
    }
    context["set_aside"] = record_sections.mark_set_aside(ui, iri, context["groups"])
    context["jsonld"] = schema_org.schema_org(ui, desc, context["set_aside"])
    type_set = set(types)
    if type_set & sections.BODY_TYPES:
        context["body"] = sections.body_sections(ui, iri)
    if type_set & sections.INSTRUMENT_TYPES:
        context["instrument"] = sections.instrument_sections(ui, iri)
    if type_set & sections.DOCUMENT_TYPES:
        context["document"] = sections.document_sections(ui, iri)
        context["document"]["symbol"] = [
            o.value for o in desc.values(iri, UNTOC + "documentSymbol")
        ]
        context["document"]["issued"] = [
            ui.date(o.value)
            for o in desc.values(iri, DCTERMS + "issued")
            if not any(
                s.property == DCTERMS + "issued" and s.value == o for s in context["set_aside"]
            )
        ]
        context["document"]["submitted_to"] = [
            ui.value(o) for o in desc.values(iri, UNTOC + "submittedTo")
        ]
    if type_set & sections.MEETING_TYPES:
        context["meeting"] = record_sections.meeting_record(ui, iri)
    if type_set & record_sections.SESSION_TYPES:
        context["session"] = record_sections.session_record(ui, iri)
    return context
