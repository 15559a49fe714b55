"""View models for the linked-data pages: labels in the chosen language, links that work on
the local server, properties grouped for people, and the type-specific sections."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

import pyoxigraph as ox

from graph_service import i18n
from graph_service.store.store import Store
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import diagrams as svg

UNTOC = "https://w3id.org/untoc/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
SHACL = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "untoc": UNTOC,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "wd": "http://www.wikidata.org/entity/",
}

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
ORDER_OF = {
    p: i * 100 + j for i, (_, props) in enumerate(PROPERTY_GROUPS) for j, p in enumerate(props)
}

BODY_TYPES = {UNTOC + "Body", UNTOC + "WorkingGroup", UNTOC + "ConferenceOfTheParties"}
INSTRUMENT_TYPES = {UNTOC + "Instrument", UNTOC + "Decision", UNTOC + "Resolution"}
DOCUMENT_TYPES = {UNTOC + "Document", UNTOC + "Report", UNTOC + "Note", UNTOC + "Agenda"}
MEETING_TYPES = {UNTOC + "Meeting"}

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

EXTERNAL_SITES = [
    ("wikidata.org", "Wikidata"),
    ("geonames.org", "GeoNames"),
    ("metadata.un.org/thesaurus", "UNBIS Thesaurus"),
    ("metadata.un.org/sdg", "SDG"),
    ("digitallibrary.un.org", "UN Digital Library"),
    ("undocs.org", "UN Official Documents"),
]


SAFE_SCHEMES = {"http", "https", "ftp", "mailto", "urn"}


class Ui:
    """What a template needs to speak the chosen language and link locally."""

    def __init__(
        self,
        store: Store,
        base_iri: str,
        lang: str,
        explicit: bool,
        script_root: str,
        path: str,
        args: dict[str, str],
    ):
        self.store = store
        self.base_iri = base_iri
        self.lang = lang
        self.explicit = explicit
        self.script_root = script_root
        self.path = path
        self.args = args
        self.dir = i18n.direction(lang)
        self.languages = [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGUAGES]
        self._labels: dict[str, dict[str, list[str]]] = {}
        self.root_url = ""  # scheme and host, for absolute links (hreflang alternates)

    def t(self, key: str) -> str:
        return i18n.text(key, self.lang)

    def local(self, path: str, **params) -> str:
        """A local URL for a path under the app, carrying the explicit language choice."""
        query = {k: v for k, v in params.items() if v not in (None, "")}
        if self.explicit and "lang" not in query:
            query["lang"] = self.lang
        url = self.script_root + path
        return url + ("?" + urlencode(query) if query else "")

    def href(self, iri: str) -> str:
        """Base IRIs become local paths (fragments kept); other web IRIs are left alone, and
        IRIs with any other scheme (`javascript:` in a sameAs) are not made links."""
        if not iri.startswith(self.base_iri):
            return iri if iri.split(":", 1)[0].lower() in SAFE_SCHEMES else "#"
        rest, _, fragment = iri[len(self.base_iri) :].partition("#")
        url = self.local("/" + rest)
        return url + ("#" + fragment if fragment else "")

    def switch_url(self, lang: str) -> str:
        query = dict(self.args)
        query["lang"] = lang
        return self.script_root + self.path + "?" + urlencode(query)

    def alternates(self) -> list[tuple[str, str]]:
        """This page in each language, absolute: `<link rel="alternate" hreflang>`."""
        return [(code, self.root_url + self.switch_url(code)) for code in i18n.LANGUAGES]

    @staticmethod
    def text_dir(lang: str) -> str:
        """Writing direction of a text in `lang`, so that a Russian quotation on an Arabic
        page runs left to right (and keeps its full stop at the end)."""
        return i18n.direction((lang or "").split("-")[0].lower())

    def page_url(self, **changes) -> str:
        query = dict(self.args)
        query.update({k: str(v) for k, v in changes.items()})
        return self.script_root + self.path + "?" + urlencode(query)

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base_iri)

    def remember(self, labels: dict[str, dict[str, list[str]]]) -> None:
        for iri, by_lang in labels.items():
            self._labels.setdefault(iri, by_lang)

    def ensure_labels(self, iris) -> None:
        missing = {i for i in iris if i and i not in self._labels}
        if missing:
            labels, _ = d.fetch_labels(self.store, missing)
            self.remember(labels)
            for iri in missing:
                self._labels.setdefault(iri, {})

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            self.ensure_labels([iri])
        labels = self._labels.get(iri)
        if not i18n.has_language(labels, self.lang):
            generated = self.generated_label(iri)
            if generated:
                return generated
        found = i18n.pick_label(labels, self.lang)
        if found:
            return found
        if iri in i18n.EXTERNAL_PROPERTY_LABELS:
            return (
                i18n.EXTERNAL_PROPERTY_LABELS[iri].get(self.lang)
                or i18n.EXTERNAL_PROPERTY_LABELS[iri]["en"]
            )
        return self.curie(iri) if not self.is_local(iri) else local_name(iri)

    def generated_label(self, iri: str) -> str | None:
        """A label the data lacks in this language: ontology terms and provision types from
        i18n.TERM_LABELS, document parts (`#para-3` -> "пункт 3") from their anchor."""
        if iri.startswith(UNTOC):
            key = "untoc:" + iri[len(UNTOC) :]
        elif self.is_local(iri):
            key = iri[len(self.base_iri) :]
            if "#" in key:
                return i18n.part_label(key.rpartition("#")[2], self.lang)
        else:
            return None
        return i18n.TERM_LABELS.get(key, {}).get(self.lang)

    def date(self, iso: str) -> dict:
        return {"iso": iso, "text": i18n.format_date(iso, self.lang)}

    def dates(self, start: str, end: str) -> str:
        return i18n.format_date_range(start, end, self.lang)

    def prop_label(self, iri: str) -> str:
        if iri in i18n.EXTERNAL_PROPERTY_LABELS and not i18n.pick_label(
            self._labels.get(iri), self.lang
        ):
            names = i18n.EXTERNAL_PROPERTY_LABELS[iri]
            return names.get(self.lang) or names["en"]
        return self.label(iri)

    def curie(self, iri: str) -> str:
        for prefix, namespace in PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def value(self, term) -> dict:
        """A term as the templates show it."""
        if isinstance(term, ox.NamedNode):
            return {
                "kind": "iri",
                "iri": term.value,
                "href": self.href(term.value),
                "text": self.label(term.value),
                "external": not self.is_local(term.value),
                "site": external_site(term.value),
            }
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value if term.datatype else ""
            if datatype == XSD_DATE and i18n.format_date(term.value, self.lang) != term.value:
                return {
                    "kind": "literal",
                    "text": i18n.format_date(term.value, self.lang),
                    "datetime": term.value,
                    "lang": "",
                    "dir": "",
                    "datatype": "",
                }
            lang = term.language or ""
            return {
                "kind": "literal",
                "text": term.value,
                "lang": lang,
                "dir": i18n.direction(lang.split("-")[0]) if lang else "",
                "datatype": "" if lang or datatype.endswith("#string") else self.curie(datatype),
            }
        return {"kind": "blank", "text": "[ ]"}


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def natural_key(text: str) -> list:
    """ "paragraph 2" before "paragraph 10"."""
    return [
        (0, int(piece), "") if piece.isdigit() else (1, 0, piece)
        for piece in re.split(r"(\d+)", text)
        if piece
    ]


def external_site(iri: str) -> str | None:
    for fragment, name in EXTERNAL_SITES:
        if fragment in iri:
            return name
    return None


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
        if triple.subject.value != subject or triple.predicate.value == RDF + "type":
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
            ordered.append((ui.t(key), rows))
    return ordered


def source_quotes(ui: Ui, iris: list[str]) -> list[dict]:
    """Cited parts with their verbatim text, in document and paragraph order."""
    parts = d.fetch_parts(ui.store, iris)
    ui.ensure_labels([p["doc"] for p in parts.values() if p["doc"]] + list(parts))
    quotes = []
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


def body_sections(ui: Ui, iri: str) -> dict:
    """Instruments that created or direct a body, and its meetings as a timeline."""
    this = ox.NamedNode(iri)
    instrument_rows = d.rows(ui.store, "body_instruments", this=this)
    meeting_rows = d.rows(ui.store, "body_meetings", this=this)
    ui.ensure_labels(
        {
            r[k].value
            for r in instrument_rows + meeting_rows
            for k in r
            if isinstance(r[k], ox.NamedNode)
        }
    )
    instruments: dict[str, dict] = {}
    for row in instrument_rows:
        key = row["instrument"].value
        entry = instruments.setdefault(
            key,
            {
                "href": ui.href(key),
                "label": ui.label(key),
                "actions": {},
                "relations": {},
                "sources": {},
                "session": None,
            },
        )
        if row["session"] is not None:
            entry["session"] = ui.value(row["session"])
        if row["type"] is not None:
            entry["actions"][row["type"].value] = ui.label(row["type"].value)
        elif row["relation"] is not None:
            entry["relations"][row["relation"].value] = ui.prop_label(row["relation"].value)
        if row["source"] is not None:
            entry["sources"][row["source"].value] = ui.label(row["source"].value)
    meetings: dict[str, dict] = {}
    for row in meeting_rows:
        key = row["meeting"].value
        entry = meetings.setdefault(
            key,
            {
                "href": ui.href(key),
                "label": ui.label(key),
                "start": row["start"].value if row["start"] is not None else "",
                "end": row["end"].value if row["end"] is not None else "",
                "place": ui.value(row["place"]) if row["place"] is not None else None,
                "ordinal": int(row["ordinal"].value)
                if row["ordinal"] is not None and row["ordinal"].value.isdigit()
                else None,
                "reports": [],
            },
        )
        if row["report"] is not None:
            symbol = (
                row["symbol"].value if row["symbol"] is not None else ui.label(row["report"].value)
            )
            report = (ui.href(row["report"].value), symbol)
            if report not in entry["reports"]:
                entry["reports"].append(report)
    for entry in instruments.values():
        # A provision type ("establishes") says what the shortcut property says, and more.
        entry["actions"] = entry["actions"] or entry["relations"]
    meeting_list = chronological(list(meetings.values()))
    for meeting in meeting_list:
        meeting["dates"] = ui.dates(meeting["start"], meeting["end"])
    timeline = None
    if meeting_list:
        timeline = svg.timeline(
            [
                svg.TimelineEntry(
                    href=m["href"],
                    title=i18n.capitalize(m["label"]),
                    dates=m["dates"],
                    year=m["start"][:4],
                    place=m["place"]["text"] if m["place"] else "",
                    reports=m["reports"],
                )
                for m in meeting_list
            ],
            title=ui.t("timeline"),
            report_word=ui.t("report"),
            rtl=ui.dir == "rtl",
        )
    return {
        "instruments": list(instruments.values()),
        "meetings": meeting_list,
        "timeline": timeline,
    }


def chronological(meetings: list[dict]) -> list[dict]:
    """Meetings of one body in order: by number when every one has one (sessions without
    recorded dates then still fall in place), else by start date, undated last."""
    if meetings and all(m["ordinal"] is not None for m in meetings):
        return sorted(meetings, key=lambda m: (m["ordinal"], m["start"]))
    return sorted(meetings, key=lambda m: (not m["start"], m["start"], m["ordinal"] or 0))


def instrument_sections(ui: Ui, iri: str) -> dict:
    found = d.rows(ui.store, "instrument_provisions", this=ox.NamedNode(iri))
    ui.ensure_labels({r[k].value for r in found for k in r if isinstance(r[k], ox.NamedNode)})
    provisions: dict[str, dict] = {}
    for row in found:
        key = row["provision"].value
        entry = provisions.setdefault(
            key,
            {
                "href": ui.href(key),
                "label": ui.label(key),
                "type": ui.value(row["type"]) if row["type"] is not None else None,
                "body": ui.value(row["body"]) if row["body"] is not None else None,
                "sources": [],
            },
        )
        if row["source"] is not None:
            source = (ui.href(row["source"].value), ui.label(row["source"].value))
            if source not in entry["sources"]:
                entry["sources"].append(source)
    return {"provisions": list(provisions.values())}


def document_sections(ui: Ui, iri: str) -> dict:
    found = d.rows(ui.store, "report_subject", this=ox.NamedNode(iri))
    ui.ensure_labels({r[k].value for r in found for k in r if isinstance(r[k], ox.NamedNode)})
    subjects = [
        {
            "meeting": ui.value(r["meeting"]),
            "body": ui.value(r["body"]) if r["body"] is not None else None,
            "start": r["start"].value if r["start"] is not None else "",
            "dates": ui.dates(
                r["start"].value if r["start"] is not None else "",
                r["end"].value if r["end"] is not None else "",
            ),
        }
        for r in found
    ]
    return {"reports_on": subjects}


def meeting_sections(ui: Ui, iri: str) -> dict:
    found = d.rows(ui.store, "meeting_reports", this=ox.NamedNode(iri))
    reports = [
        {
            "href": ui.href(r["report"].value),
            "symbol": r["symbol"].value if r["symbol"] is not None else ui.label(r["report"].value),
        }
        for r in found
    ]
    return {"reports": reports}


def schema_org(ui: Ui, desc: d.Description) -> dict:
    """A schema.org description for search engines, each property on a type that has it:
    Organization (bodies), Legislation (treaties, instruments, provisions), Event (sessions
    and meetings, with dates, place and organiser), Report / CreativeWork (documents)."""
    iri = desc.iri
    kind = next((SCHEMA_TYPES[t] for t in SCHEMA_TYPES if t in set(desc.types())), "Thing")
    data: dict = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": iri,
        "url": iri,
        "name": ui.label(iri),
    }
    first = _first_value(desc, iri)
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
        "name": ui.t("site_title"),
        "description": ui.t("home_intro"),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "isAccessibleForFree": True,
        "inLanguage": list(i18n.LANGUAGES),
    }


def _first_value(desc: d.Description, iri: str):
    def first(prop: str):
        values = desc.values(iri, prop)
        return values[0] if values else None

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
        (ui.t("query_describe"), ui.local("/sparql", query=describe)),
        (ui.t("query_select"), ui.local("/sparql", query=select)),
    ]


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
        "title": ui.t("ontology"),
    }


def shapes_context(ui: Ui, iri: str, triples: list[ox.Triple]) -> dict:
    """Each shape `{iri}#Name` with its Turtle (its blank nodes nested), so that a link to
    `/shapes#Name` lands on it."""
    from graph_service.store.validation import to_rdflib

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
        for prefix, namespace in {**PREFIXES, "sh": SHACL, "untocsh": iri + "#"}.items():
            graph.bind(prefix, namespace, replace=True)
        text = graph.serialize(format="turtle")
        body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
        shapes.append({"anchor": node.value.split("#", 1)[1], "turtle": body.strip()})
    ui.ensure_labels([iri])
    return {"title": i18n.capitalize(ui.label(iri)), "shapes": shapes}
