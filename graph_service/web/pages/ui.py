"""What a page template needs to speak the reader's language and to link locally: `Ui`,
made for each request by `request_ui()`."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import request

from graph_service import i18n, vocabulary
from graph_service.store import Store
from graph_service.vocabulary import UNTOC, XSD_DATE
from graph_service.web.context import get_config, get_store
from graph_service.web.pages import descriptions as d

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
        self.languages = [(code, i18n.language_name(code)) for code in i18n.LANGUAGES]
        self._labels: dict[str, dict[str, list[str]]] = {}
        self.root_url = ""  # scheme and host, for absolute links (hreflang alternates)

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
        external = i18n.property_label(self.curie(iri), self.lang)
        if external:
            return external
        return self.curie(iri) if not self.is_local(iri) else local_name(iri)

    def generated_label(self, iri: str) -> str | None:
        """A label the data lacks in this language: ontology terms and provision types from
        the `terms` catalogues, document parts (`#para-3` -> "пункт 3") from their anchor."""
        if iri.startswith(UNTOC):
            key = "untoc:" + iri[len(UNTOC) :]
        elif self.is_local(iri):
            key = iri[len(self.base_iri) :]
            if "#" in key:
                return i18n.part_label(key.rpartition("#")[2], self.lang)
        else:
            return None
        return i18n.term_label(key, self.lang)

    def date(self, iso: str) -> dict:
        return {"iso": iso, "text": i18n.format_date(iso, self.lang)}

    def dates(self, start: str, end: str) -> str:
        return i18n.format_date_range(start, end, self.lang)

    def prop_label(self, iri: str) -> str:
        if not i18n.pick_label(self._labels.get(iri), self.lang):
            external = i18n.property_label(self.curie(iri), self.lang)
            if external:
                return external
        return self.label(iri)

    def curie(self, iri: str) -> str:
        return vocabulary.curie(iri)

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


def request_language() -> tuple[str, bool]:
    """The language of the current request, from `lang=` or Accept-Language, and whether it
    was chosen explicitly. Flask-Babel asks the same (graph_service.web.translation)."""
    return i18n.choose_language(request.args.get("lang"), request.accept_languages)


def request_ui() -> Ui:
    """The Ui of the current request: language from `lang=` or Accept-Language."""
    lang, explicit = request_language()
    ui = Ui(
        get_store(),
        get_config().base_iri,
        lang,
        explicit,
        request.script_root,
        request.path,
        dict(request.args.items()),
    )
    ui.root_url = request.host_url.rstrip("/")
    return ui
