"""The state an extraction works on and the helpers every reader uses: citing a part,
labelling a node, recording a problem, recognising the bodies a text names."""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph_service.ingest.facts import SUPPLEMENTING, TREATY_CLASS, Extraction, Problem
from graph_service.ingest.language import Language, tokens
from graph_service.ingest.reference import Reference
from graph_service.ingest.russian import translit
from graph_service.ingest.structure import Layout, Part
from graph_service.ingest.vocabulary import (
    LABEL,
    PLACE,
    SOURCE,
    TYPE,
    Ids,
    lit,
    u,
)


class Reader:
    """The state and helpers of an extraction, shared by the header and paragraph readers."""

    def __init__(self, layout: Layout, lang: Language, reference: Reference, key: str, base: str):
        self.layout = layout
        self.lang = lang
        self.ref = reference
        self.ids = Ids(base)
        doc = self.ids.document(key)
        self.out = Extraction(key, self.ids.graph(key), doc, lang.code)
        self.doc = doc
        self.session: int | None = None
        self.section_body: dict[int | None, str] = {}
        self.section_place: dict[int | None, ox.NamedNode] = {}
        self.matchers = self._body_matchers()

    # ---- helpers
    def part_iri(self, part: Part) -> ox.NamedNode:
        return ox.NamedNode(f"{self.doc.value}#{part.fragment}")

    def cite(self, node: ox.NamedNode, part: Part) -> None:
        self.out.add(node, SOURCE, self.part_iri(part))

    def label(self, node, names: dict[str, str]) -> None:
        for code, text in names.items():
            self.out.add(node, LABEL, lit(text, code))

    def problem(self, part: Part, message: str, text: str | None = None) -> None:
        self.out.problems.append(Problem(part.where(), part.line, message, text or part.text))

    # ---- bodies
    def _body_matchers(self) -> list[tuple[str, list[str]]]:
        matchers = []
        for key, names in self.ref.names.items():
            if key == "cop":
                continue
            for name in names:
                words = tokens(name, self.lang.stem)
                if len(words) >= 3:
                    matchers.append((key, words))
        return sorted(matchers, key=lambda m: -len(m[1]))

    def bodies_named(self, text: str) -> list[str]:
        words = tokens(text, self.lang.stem)
        taken = [False] * len(words)
        found: list[tuple[int, str]] = []
        for key, pattern in self.matchers:
            n = len(pattern)
            for i in range(len(words) - n + 1):
                if words[i : i + n] == pattern and not any(taken[i : i + n]):
                    taken[i : i + n] = [True] * n
                    found.append((i, key))
        ordered: list[str] = []
        for _, key in sorted(found):
            if key not in ordered:
                ordered.append(key)
        return ordered

    def body_labels(self, key: str) -> dict[str, str]:
        return self.ref.labels.get(key, {})

    def propose_body(self, name: str) -> str:
        words = [w for w in re.findall(r"[^\W\d_]+", translit(name).lower()) if len(w) > 3]
        key = "wg-" + "-".join(words[2:5] or words[:3])
        self.out.proposed_bodies[key] = name
        self.ref.labels[key] = {self.lang.code: name}
        self.ref.names[key] = [name]
        self.matchers.insert(0, (key, tokens(name, self.lang.stem)))
        return key

    def place_in(self, text: str) -> ox.NamedNode | None:
        for key, pattern in self.lang.places.items():
            if pattern.search(text):
                node = self.ids.node("place", key)
                self.out.add(node, TYPE, PLACE)
                return node
        return None

    def read_treaties(self, para: Part) -> list[str]:
        found: list[str] = []
        for key, pattern in self.lang.treaties.items():
            if pattern.search(para.text):
                node = self.ids.node("treaty", key)
                self.out.add(node, TYPE, u(TREATY_CLASS.get(key, "Protocol")))
                self.cite(node, para)
                if key != "untoc" and SUPPLEMENTING.search(para.text):
                    self.out.add(node, u("supplements"), self.ids.node("treaty", "untoc"))
                found.append(key)
        return found
