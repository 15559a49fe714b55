"""Labels of IRIs in one language (fallback: English, untagged, any), for the command line and
the machine-readable forms of the coverage and the calendar."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from graph_service import i18n
from graph_service.store import Store, queries

VALUES_CHUNK = 400


def labels(store: Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """iri -> its label in `lang` (or the best fallback); IRIs without a label are left out."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    ordered = sorted({i for i in iris if i})
    for start in range(0, len(ordered), VALUES_CHUNK):
        nodes = [ox.NamedNode(iri) for iri in ordered[start : start + VALUES_CHUNK]]
        for row in queries.rows(store, "pages/labels", values=nodes):
            literal, resource = row["label"], row["r"]
            if isinstance(literal, ox.Literal) and isinstance(resource, ox.NamedNode):
                found[resource.value][literal.language or ""].append(literal.value)
    picked = {iri: i18n.pick_label(by_lang, lang) for iri, by_lang in found.items()}
    return {iri: label for iri, label in picked.items() if label}
