"""Labels in the reader's language: the best label the data has, and the labels we make when
it has none in that language (document parts, ontology terms, other vocabularies' terms)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph_service.i18n.catalogues import pgettext, term
from graph_service.i18n.languages import DEFAULT_LANGUAGE

Labels = Mapping[str, Iterable[str]]  # language tag ("" for none) -> values


def pick_label(labels: Labels | None, lang: str) -> str | None:
    """A label in `lang`, else English, else untagged, else any (the first by language tag)."""
    if not labels:
        return None
    for code in (lang, DEFAULT_LANGUAGE, ""):
        values = _values_for(labels, code)
        if values:
            return values[0]
    for code in sorted(labels):
        values = sorted(labels[code])
        if values:
            return values[0]
    return None


def has_language(labels: Labels | None, lang: str) -> bool:
    """Whether there is a label in `lang` itself (not a fallback)."""
    return labels is not None and bool(_values_for(labels, lang))


def _values_for(labels: Labels, code: str) -> list[str]:
    found: list[str] = []
    for tag, values in labels.items():
        if tag == code or (code and tag.split("-")[0] == code):
            found.extend(values)
    return sorted(found)


def capitalize(text: str) -> str:
    """The first letter in upper case, the rest untouched ("решение 4/4" -> "Решение 4/4")."""
    return text[:1].upper() + text[1:] if text else text


def part_label(anchor: str, lang: str) -> str | None:
    """The label of a document's citable part from its anchor: "пункт 3" for `para-3` in
    Russian, also `section-1`, `footnote-1`, `header`; None for an anchor of another shape."""
    kind, _, number = anchor.partition("-")
    if kind == "header" and not number:
        return pgettext("document part", "header", lang)
    if not number.isdigit():
        return None
    if kind == "para":
        return pgettext("document part", "paragraph %(n)s", lang, n=number)
    if kind == "section":
        return pgettext("document part", "section heading %(n)s", lang, n=number)
    if kind == "footnote":
        return pgettext("document part", "footnote %(n)s", lang, n=number)
    return None


def term_label(key: str, lang: str) -> str | None:
    """An ontology term or provision type in a language the ontology does not label it in
    (it has English and Russian): `untoc:establishedBy` -> "créé par". Keys are CURIEs of
    `untoc:` terms or paths under the base (`id/provision-type/establishes`)."""
    return term(key, lang)


def property_label(key: str, lang: str) -> str | None:
    """A term of another vocabulary (`rdfs:label`, `dcterms:source`, `schema:Place`...) in
    `lang`, else in English; None for a term the `terms` catalogues do not name in English."""
    english = term(key, DEFAULT_LANGUAGE)
    if english is None:
        return None
    return term(key, lang) or english
