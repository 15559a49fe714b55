"""What the graph already knows that the extractor needs: the names of the bodies.

Names are read from the store (rdfs:label and skos:altLabel of every untoc:Body) or, when
the store has none, from the curated sources (data/); the built-in names of the five
known working groups and the COP (russian.py, english.py) are always included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_service.ingest.english import ENGLISH
from graph_service.ingest.russian import RUSSIAN
from graph_service.ingest.vocabulary import ALT_LABEL, LABEL, TYPE, u

BODY_CLASSES = {u("Body").value, u("WorkingGroup").value, u("ConferenceOfTheParties").value}


@dataclass
class Reference:
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> lang -> label
    names: dict[str, list[str]] = field(default_factory=dict)  # key -> every name, any language

    def add(self, key: str, name: str, lang: str | None, preferred: bool) -> None:
        names = self.names.setdefault(key, [])
        if name not in names:
            names.append(name)
        if preferred and lang:
            self.labels.setdefault(key, {}).setdefault(lang, name)


def builtin() -> Reference:
    reference = Reference()
    for language in (RUSSIAN, ENGLISH):
        for key, names in language.bodies.items():
            for name in names:
                reference.add(key, name, language.code, preferred=True)
    return reference


def from_triples(triples, base_iri: str, reference: Reference | None = None) -> Reference:
    """Add the labels of the bodies found in `triples` (iterable of pyoxigraph triples)."""
    reference = reference or builtin()
    triples = list(triples)
    prefix = f"{base_iri}id/body/"
    bodies = {
        t.subject.value for t in triples if t.predicate == TYPE and t.object.value in BODY_CLASSES
    }
    for t in triples:
        subject = t.subject.value
        if subject in bodies and subject.startswith(prefix) and t.predicate in (LABEL, ALT_LABEL):
            key = subject[len(prefix) :]
            # Store labels replace the built-in ones: the curated data is authoritative.
            if t.predicate == LABEL and t.object.language:
                reference.labels.setdefault(key, {})[t.object.language] = t.object.value
            reference.add(key, t.object.value, t.object.language, preferred=False)
    return reference


def from_store(store, base_iri: str, fallback_sources=None) -> Reference:
    """Body names from the store; from `fallback_sources` (paths) if the store has no bodies."""
    import pyoxigraph as ox

    quads = store.quads_for_pattern
    bodies = {q.subject for c in BODY_CLASSES for q in quads(None, TYPE, ox.NamedNode(c), None)}
    if not bodies and fallback_sources:
        from graph_service.store.sources import read_sources

        return from_triples(read_sources(fallback_sources, base_iri).all_triples(), base_iri)
    triples = [ox.Triple(b, TYPE, u("Body")) for b in bodies]
    for body in bodies:
        for predicate in (LABEL, ALT_LABEL):
            triples.extend(q.triple for q in quads(body, predicate, None, None))
    return from_triples(triples, base_iri)
