"""Fact-by-fact comparison of a candidate graph with what the store already has.

- matching: the triple is in the store's graph for the document;
- new: not in the store, and no other value for a functional property;
- conflicting: the store (any graph) has the same subject and functional property with
  another value (for labels, titles and texts: another value in the same language);
- missing: in the store's graph for the document, not extracted, of a kind the ingester
  extracts; not extracted: the rest (names curators add, labels in other languages,
  links to external vocabularies), listed apart so that they are not mistaken for errors.
Triples with blank nodes are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph_service.ingest.vocabulary import (
    CREATOR,
    DCTERMS,
    END,
    ISSUED,
    LABEL,
    LANGUAGE,
    LOCATION,
    RDFS,
    SCHEMA,
    SKOS,
    START,
    TITLE,
    VALUE,
    u,
)
from graph_service.vocabulary import OWL, XSD

FUNCTIONAL = {
    START, END, LOCATION, ISSUED, LANGUAGE, CREATOR,
    *(u(name) for name in (
        "ordinal", "identifier", "documentSymbol", "reportOf", "adoptedAt", "meetingOf",
        "sessionOf", "agendaItemOf", "provisionOf", "addresses", "provisionType",
        "originalLanguage", "subsidiaryBodyOf", "madePermanentBy", "establishedBy",
        "distribution", "submittedTo", "interim",
    )),
}  # fmt: skip
PER_LANGUAGE = {LABEL, TITLE, VALUE}
# Written by curators from outside knowledge, never read from a document's text.
NOT_EXTRACTED = {
    ox.NamedNode(SKOS + "altLabel"): "other names of an entity",
    ox.NamedNode(SCHEMA + "name"): "full official names of treaties",
    ox.NamedNode(RDFS + "comment"): "curators' comments",
    ox.NamedNode(DCTERMS + "description"): "curators' descriptions",
    LABEL: "labels (the curators' wording; generated only for new entities)",
    ox.NamedNode(OWL + "sameAs"): "links to external vocabularies",
    ox.NamedNode(SKOS + "exactMatch"): "links to external vocabularies",
    ox.NamedNode(RDFS + "seeAlso"): "links to external vocabularies",
}


INTEGER = ox.NamedNode(XSD + "integer")
# Oxigraph stores integer-derived literals as xsd:integer; compare them as the store does.
INTEGER_TYPES = {
    ox.NamedNode(XSD + name)
    for name in ("positiveInteger", "nonNegativeInteger", "negativeInteger",
                 "nonPositiveInteger", "long", "int", "short", "byte", "unsignedLong",
                 "unsignedInt", "unsignedShort", "unsignedByte")
}  # fmt: skip


def canonical(t: ox.Triple) -> ox.Triple:
    o = t.object
    if isinstance(o, ox.Literal) and o.datatype in INTEGER_TYPES:
        return ox.Triple(t.subject, t.predicate, ox.Literal(o.value, datatype=INTEGER))
    return t


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _slot(t: ox.Triple):
    """Subject, predicate (and language for per-language properties): a functional slot."""
    if t.predicate in PER_LANGUAGE and isinstance(t.object, ox.Literal):
        return (t.subject, t.predicate, t.object.language)
    if t.predicate in FUNCTIONAL:
        return (t.subject, t.predicate, None)
    return None


@dataclass
class Diff:
    graph: str
    matching: list[ox.Triple] = field(default_factory=list)
    new: list[ox.Triple] = field(default_factory=list)
    conflicting: list[tuple[ox.Triple, ox.Triple]] = field(default_factory=list)  # (store, new)
    missing: list[ox.Triple] = field(default_factory=list)
    not_extracted: dict[str, list[ox.Triple]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "matching": len(self.matching),
            "conflicting": len(self.conflicting),
            "missing": len(self.missing),
            "not extracted": sum(len(v) for v in self.not_extracted.values()),
        }


def diff(candidate: set[ox.Triple], store, graph_iri: str, language: str) -> Diff:
    cand = {canonical(t) for t in candidate if not _has_blank(t)}
    have = {
        q.triple
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
        if not _has_blank(q.triple)
    }
    have = {canonical(t) for t in have}
    result = Diff(graph_iri)
    result.matching = sorted(cand & have, key=str)
    conflicted_slots = set()
    for t in sorted(cand - have, key=str):
        slot = _slot(t)
        others = []
        if slot is not None:
            for q in store.quads_for_pattern(t.subject, t.predicate, None, None):
                old = canonical(q.triple)
                if old.object != t.object and _slot(old) == slot and old not in others:
                    others.append(old)
        if others:
            conflicted_slots.add(slot)
            result.conflicting.extend((old, t) for old in others)
        else:
            result.new.append(t)
    cand_slots = {_slot(t) for t in cand}
    not_extracted = defaultdict(list)
    for t in sorted(have - cand, key=str):
        slot = _slot(t)
        if slot is not None and slot in conflicted_slots:
            continue  # already reported as a conflict
        reason = _not_extracted_reason(t, language, cand_slots)
        if reason:
            not_extracted[reason].append(t)
        else:
            result.missing.append(t)
    result.not_extracted = dict(not_extracted)
    return result


def _not_extracted_reason(t: ox.Triple, language: str, cand_slots) -> str | None:
    if t.predicate in NOT_EXTRACTED:
        return NOT_EXTRACTED[t.predicate]
    if isinstance(t.object, ox.Literal) and t.object.language:
        lang = t.object.language
        if lang not in ("en", "ru"):
            return "labels in languages the ingester does not write"
        if lang != language and _slot(t) not in cand_slots and t.predicate != LABEL:
            return f"titles and texts in another language than the document's ({language})"
        if t.predicate in (LABEL, TITLE) and _slot(t) not in cand_slots:
            return "names and titles written by curators (not printed in the text)"
    return None


def format_diff(result: Diff, verbose: bool = False) -> str:
    def show(t: ox.Triple) -> str:
        return f"    {t.subject} {t.predicate} {t.object}"

    counts = result.counts()
    lines = [f"diff against {result.graph}:"]
    lines.append("  " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    if result.conflicting:
        lines.append(f"conflicting ({len(result.conflicting)}): the store has another value")
        for old, new in result.conflicting:
            lines.append(f"  {new.subject} {new.predicate}")
            lines.append(f"    store: {old.object}\n    document: {new.object}")
    if result.missing:
        lines.append(f"missing ({len(result.missing)}): in the store, not found in the document")
        lines.extend(show(t) for t in result.missing)
    if result.new:
        lines.append(f"new ({len(result.new)}): not yet in the store")
        lines.extend(show(t) for t in (result.new if verbose else result.new[:20]))
        if not verbose and len(result.new) > 20:
            lines.append(f"    ... {len(result.new) - 20} more (--verbose lists all)")
    for reason, triples in result.not_extracted.items():
        lines.append(f"not extracted, kept from the store ({len(triples)}): {reason}")
        if verbose:
            lines.extend(show(t) for t in triples)
    if verbose and result.matching:
        lines.append(f"matching ({len(result.matching)})")
        lines.extend(show(t) for t in result.matching)
    return "\n".join(lines)


__all__ = ["DCTERMS", "Diff", "diff", "format_diff"]
