"""Links to other UN datasets on a page: the SDG targets and indicators a body or treaty is linked
to (`untoc:relatedSDG`, decision 0024), labelled from the SDG KOS harvested by `kg federate` in
the reader's language where it has one; and a UN document's official text on undocs.org and its
record in the UN Digital Library (`rdfs:seeAlso`, decision 0025)."""

from __future__ import annotations

import pyoxigraph as ox
from flask_babel import gettext

from graph_service import i18n
from graph_service.i18n import N_
from graph_service.web.pages import descriptions as d
from graph_service.web.pages.ui import Ui, local_name

SDG_KINDS = {0: N_("Goal %(code)s"), 1: N_("Target %(code)s"), 2: N_("Indicator %(code)s")}
COMPACT_CODE = "http://metadata.un.org/sdg/ontology#SDGCodeCompact"
UNDOCS = "https://undocs.org/"
DIGITAL_LIBRARY = "https://digitallibrary.un.org/"


def sdg_links(ui: Ui, iri: str) -> list[dict]:
    rows = d.rows(ui.store, "related_sdg", this=ox.NamedNode(iri))
    if not rows:
        return []
    targets = sorted({r["sdg"].value for r in rows})
    labels, _ = d.fetch_labels(ui.store, targets)
    links: dict[str, dict] = {}
    for row in rows:
        target = row["sdg"].value
        entry = links.setdefault(target, {"iri": target, "codes": set(), "graphs": set()})
        notation = row["notation"]
        if isinstance(notation, ox.Literal) and notation.datatype.value == COMPACT_CODE:
            entry["codes"].add(notation.value)
        entry["graphs"].add(row["graph"].value)
    views = []
    for target, entry in links.items():
        code = min(entry["codes"], key=len) if entry["codes"] else local_name(target)
        label, label_lang = _label_in(labels.get(target), ui.lang)
        views.append(
            {
                "href": ui.href(target),
                "iri": target,
                "code": code,
                "heading": gettext(SDG_KINDS[min(code.count("."), 2)], code=code)
                if entry["codes"]
                else code,
                "label": label,
                "lang": label_lang,
                "dir": ui.text_dir(label_lang) if label_lang else "",
                "justification": [_justification(ui, g) for g in sorted(entry["graphs"])],
            }
        )
    views.sort(key=lambda v: _code_key(str(v["code"])))
    return views


def _code_key(code: str) -> list[int]:
    """ "5.2" before "16.2" before "16.4"."""
    return [int(p) if p.isdigit() else 0 for p in code.split(".")]


def _label_in(labels: dict[str, list[str]] | None, lang: str) -> tuple[str, str]:
    """The label in `lang`, else English, else any, and its language."""
    if not labels:
        return "", ""
    for code in (lang, i18n.DEFAULT_LANGUAGE, ""):
        if labels.get(code):
            return sorted(labels[code])[0], code
    code = sorted(labels)[0]
    return sorted(labels[code])[0], code


def _justification(ui: Ui, graph: str) -> dict:
    """Who states the link: a source (its graph's document) or the curators' mapping."""
    key = graph[len(ui.base_iri + "graph/") :] if graph.startswith(ui.base_iri + "graph/") else ""
    if key == "curation":
        return {"text": gettext("the curators' mapping"), "href": ui.local("/graph/curation")}
    source = ui.base_iri + "id/document/" + key
    if key and d.exists(ui.store, source):
        text = gettext("stated by %(source)s", source=ui.label(source))
        return {"text": text, "href": ui.href(source)}
    return {"text": graph, "href": ui.href(graph)}


def official_links(ui: Ui, see_also: list[str]) -> list[dict]:
    """undocs.org (the official text, also in the reader's language) and the UN Digital Library
    search for the symbol, from the document's rdfs:seeAlso."""
    links = []
    for target in sorted(see_also, key=lambda t: (not t.startswith(UNDOCS), t)):
        if target.startswith(UNDOCS):
            symbol = target[len(UNDOCS) :]
            links.append(
                {
                    "href": target,
                    "text": gettext("Official text in the UN Official Document System"),
                    "site": "undocs.org",
                    "in_language": UNDOCS + ui.lang + "/" + symbol,
                    "language": i18n.language_name(ui.lang),
                }
            )
        elif target.startswith(DIGITAL_LIBRARY):
            links.append(
                {
                    "href": target,
                    "text": gettext("Search for the symbol in the UN Digital Library"),
                    "site": "digitallibrary.un.org",
                    "in_language": None,
                    "language": None,
                }
            )
    return links
