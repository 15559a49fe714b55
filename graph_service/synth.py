"""Synthetic graphs in the project's ontology, of a chosen size, for benchmarks.

The shape follows docs/data-model.md: conferences of the parties with their conventions and
protocols, numbered sessions, working groups established (and some made permanent) by
decisions and resolutions with provisions, numbered meetings and their reports, each fact
citing a paragraph of a synthetic source note. Every IRI has a `synth-` key so nothing
collides with the curated data. The same seed always gives the same triples, in order.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pyoxigraph as ox

from graph_service.formats import Format
from graph_service.vocabulary import (
    DCTERMS,
    OWL,
    PREFIXES,
    RDF,
    RDFS,
    SCHEMA,
    UNTOC,
    XSD,
    graph_iri,
)

WORKING_GROUPS_PER_CONFERENCE = 5
PROTOCOLS_PER_CONVENTION = 3
FIRST_YEAR = 1990


# (key, English, Russian, Wikidata item)
PLACES = [
    ("vienna", "Vienna", "Вена", "Q1741"),
    ("new-york", "New York", "Нью-Йорк", "Q60"),
    ("geneva", "Geneva", "Женева", "Q71"),
    ("nairobi", "Nairobi", "Найроби", "Q3870"),
    ("bangkok", "Bangkok", "Бангкок", "Q1861"),
]
TOPICS = [
    ("trafficking in persons", "торговле людьми"),
    ("smuggling of migrants", "незаконному ввозу мигрантов"),
    ("firearms", "огнестрельному оружию"),
    ("international cooperation", "международному сотрудничеству"),
    ("technical assistance", "технической помощи"),
    ("asset recovery", "возвращению активов"),
    ("prevention", "предупреждению преступности"),
    ("cybercrime", "киберпреступности"),
]


@dataclass(frozen=True)
class SynthParams:
    bodies: int = 10
    meetings_per_body: int = 5
    seed: int = 0


def synthetic_graph_iri(base_iri: str) -> str:
    return graph_iri(base_iri, "synthetic")


def synthesize(base_iri: str, params: SynthParams) -> list[ox.Triple]:
    """All triples of a synthetic graph with `params.bodies` working groups."""
    return list(_Builder(base_iri, params).triples())


def synthesize_quads(base_iri: str, params: SynthParams) -> list[ox.Quad]:
    graph = ox.NamedNode(synthetic_graph_iri(base_iri))
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in synthesize(base_iri, params)]


def bodies_for_triples(base_iri: str, target: int, meetings_per_body: int, seed: int = 0) -> int:
    """How many working groups give about `target` triples (measured, not guessed)."""
    sample = WORKING_GROUPS_PER_CONFERENCE * 2
    per_body = len(synthesize(base_iri, SynthParams(sample, meetings_per_body, seed))) / sample
    return max(1, round(target / per_body))


class _Builder:
    def __init__(self, base_iri: str, params: SynthParams):
        if params.bodies < 1 or params.meetings_per_body < 0:
            raise ValueError("need at least one body and zero or more meetings per body")
        self.base = base_iri
        self.onto = UNTOC
        self.params = params
        self.rng = random.Random(params.seed)

    # -- helpers -----------------------------------------------------------------------------
    def iri(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + path)

    def u(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.onto + name)

    @staticmethod
    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    @staticmethod
    def text(value: str, lang: str) -> ox.Literal:
        return ox.Literal(value, language=lang)

    @staticmethod
    def typed(value, datatype: str) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))

    def labels(self, s, en: str, ru: str) -> Iterator[ox.Triple]:
        yield ox.Triple(s, self.n(RDFS + "label"), self.text(en, "en"))
        yield ox.Triple(s, self.n(RDFS + "label"), self.text(ru, "ru"))

    def a(self, s, cls: str) -> ox.Triple:
        return ox.Triple(s, self.n(RDF + "type"), self.u(cls))

    # -- the graph ---------------------------------------------------------------------------
    def triples(self) -> Iterator[ox.Triple]:
        yield from self.places()
        remaining = self.params.bodies
        conference = 0
        while remaining > 0:
            conference += 1
            count = min(WORKING_GROUPS_PER_CONFERENCE, remaining)
            yield from self.conference(conference, count)
            remaining -= count

    def places(self) -> Iterator[ox.Triple]:
        for key, en, ru, qid in PLACES:
            place = self.iri(f"id/place/synth-{key}")
            yield ox.Triple(place, self.n(RDF + "type"), self.n(SCHEMA + "Place"))
            yield from self.labels(place, en, ru)
            wikidata = self.n(f"http://www.wikidata.org/entity/{qid}")
            yield ox.Triple(place, self.n(OWL + "sameAs"), wikidata)
            # Conference 1 always exists; its note introduces the places.
            source = self.iri("id/document/synth-1-note#para-1")
            yield ox.Triple(place, self.n(DCTERMS + "source"), source)

    def conference(self, c: int, groups: int) -> Iterator[ox.Triple]:
        rng = self.rng
        meetings = self.params.meetings_per_body
        key = f"synth-{c}"
        first_year = FIRST_YEAR + rng.randrange(20)
        # Sessions every two years, enough to receive every report.
        sessions = max(2, meetings // 2 + 2)
        note = self.iri(f"id/document/{key}-note")
        para = {n: self.n(f"{note.value}#para-{n}") for n in range(1, groups + 2)}

        convention = self.iri(f"id/treaty/{key}")
        yield self.a(convention, "Convention")
        yield from self.labels(
            convention, f"Synthetic Convention {c}", f"Синтетическая конвенция {c}"
        )
        yield ox.Triple(
            convention,
            self.n(SCHEMA + "name"),
            self.text(f"Synthetic Convention number {c} against Organized Crime", "en"),
        )
        yield ox.Triple(
            convention,
            self.n(SCHEMA + "name"),
            self.text(f"Синтетическая конвенция номер {c} против преступности", "ru"),
        )
        yield ox.Triple(convention, self.n(DCTERMS + "source"), para[1])
        treaties = [convention]
        for k in range(1, PROTOCOLS_PER_CONVENTION + 1):
            protocol = self.iri(f"id/treaty/{key}-protocol-{k}")
            treaties.append(protocol)
            yield self.a(protocol, "Protocol")
            yield from self.labels(
                protocol,
                f"Protocol {k} to Synthetic Convention {c}",
                f"Протокол {k} к синтетической конвенции {c}",
            )
            yield ox.Triple(protocol, self.u("supplements"), convention)
            yield ox.Triple(
                protocol,
                self.n(SCHEMA + "name"),
                self.text(f"Protocol {k} supplementing Synthetic Convention number {c}", "en"),
            )
            yield ox.Triple(
                protocol,
                self.n(SCHEMA + "name"),
                self.text(f"Протокол {k}, дополняющий синтетическую конвенцию номер {c}", "ru"),
            )
            yield ox.Triple(protocol, self.n(DCTERMS + "source"), para[1])

        cop = self.iri(f"id/body/{key}-cop")
        yield self.a(cop, "ConferenceOfTheParties")
        yield from self.labels(
            cop,
            f"Conference of the Parties to Synthetic Convention {c}",
            f"Конференция участников синтетической конвенции {c}",
        )
        yield ox.Triple(cop, self.u("mandateConcerns"), convention)
        yield ox.Triple(cop, self.n(DCTERMS + "source"), para[1])

        session_iris = []
        session_years = []
        for s in range(1, sessions + 1):
            session = self.iri(f"id/session/{key}-cop-{s}")
            year = first_year + 2 * (s - 1)
            start = date(year, 10, 1) + timedelta(days=rng.randrange(20))
            session_iris.append(session)
            session_years.append(year)
            yield self.a(session, "Session")
            yield from self.labels(
                session, f"session {s} of the Conference {c}", f"сессия {s} конференции {c}"
            )
            yield ox.Triple(session, self.u("sessionOf"), cop)
            yield ox.Triple(session, self.u("ordinal"), self.typed(s, "positiveInteger"))
            yield from self.dates(session, start, start + timedelta(days=4))
            yield ox.Triple(session, self.n(SCHEMA + "location"), self.place())
            yield ox.Triple(session, self.n(DCTERMS + "source"), para[1])

        # One resolution at the second session makes every earlier working group permanent.
        permanence = self.instrument(
            key, "resolution", 2, 1, session_iris[1], para[1], "strengthening the subsidiary bodies"
        )
        yield from permanence
        permanent_iri = self.iri(f"id/resolution/{key}-cop-2-1")

        for j in range(1, groups + 1):
            yield from self.working_group(
                key, c, j, cop, treaties, session_iris, session_years, permanent_iri, para[j + 1]
            )

        yield from self.note(key, c, note, sessions, session_iris[-1], groups)

    def working_group(
        self, key, c, j, cop, treaties, session_iris, session_years, permanent_iri, para
    ) -> Iterator[ox.Triple]:
        rng = self.rng
        topic_en, topic_ru = TOPICS[(c + j) % len(TOPICS)]
        body = self.iri(f"id/body/{key}-wg-{j}")
        established_at = 1 if j % 2 else 2
        establishing = self.iri(f"id/decision/{key}-cop-{established_at}-{j + 1}")
        yield from self.instrument(
            key, "decision", established_at, j + 1, session_iris[established_at - 1], para, topic_en
        )
        yield self.a(body, "WorkingGroup")
        yield from self.labels(
            body,
            f"Working Group on {topic_en} ({c}.{j})",
            f"Рабочая группа по {topic_ru} ({c}.{j})",
        )
        yield ox.Triple(body, self.u("subsidiaryBodyOf"), cop)
        yield ox.Triple(body, self.u("establishedBy"), establishing)
        yield ox.Triple(body, self.u("mandateConcerns"), treaties[j % len(treaties)])
        yield ox.Triple(body, self.u("symbolSeries"), ox.Literal(f"SYN{c}/COP/WG.{j}"))
        yield ox.Triple(body, self.n(DCTERMS + "source"), para)
        yield from self.provision(establishing, "establishes", body, j, para)
        if established_at == 1:
            yield ox.Triple(body, self.u("madePermanentBy"), permanent_iri)
            yield from self.provision(permanent_iri, "makes-permanent", body, j, para)

        year = session_years[established_at - 1] + 1
        for n in range(1, self.params.meetings_per_body + 1):
            meeting = self.iri(f"id/meeting/{key}-wg-{j}-{n}")
            start = date(year, rng.choice((3, 5, 6, 7, 9)), 1 + rng.randrange(25))
            yield self.a(meeting, "Meeting")
            yield from self.labels(
                meeting,
                f"meeting {n} of the Working Group {c}.{j}",
                f"совещание {n} Рабочей группы {c}.{j}",
            )
            yield ox.Triple(meeting, self.u("meetingOf"), body)
            yield ox.Triple(meeting, self.u("ordinal"), self.typed(n, "positiveInteger"))
            yield from self.dates(meeting, start, start + timedelta(days=1))
            yield ox.Triple(meeting, self.n(SCHEMA + "location"), self.place())
            yield ox.Triple(meeting, self.n(DCTERMS + "source"), para)

            symbol = f"SYN{c}/COP/WG.{j}/{year}/{n}"
            report = self.iri(f"id/document/{symbol.lower().replace('/', '-')}")
            next_session = next(
                (s for s, y in zip(session_iris, session_years, strict=True) if y >= year),
                session_iris[-1],
            )
            yield self.a(report, "Report")
            yield from self.labels(report, f"report {symbol}", f"доклад {symbol}")
            yield ox.Triple(report, self.u("documentSymbol"), ox.Literal(symbol))
            yield ox.Triple(report, self.u("reportOf"), meeting)
            yield ox.Triple(report, self.u("submittedTo"), next_session)
            yield ox.Triple(
                report, self.n(DCTERMS + "issued"), self.typed(start + timedelta(days=30), "date")
            )
            yield ox.Triple(report, self.n(DCTERMS + "source"), para)
            year += 1

    def instrument(self, key, kind, session_no, k, session, para, subject) -> Iterator[ox.Triple]:
        instrument = self.iri(f"id/{kind}/{key}-cop-{session_no}-{k}")
        ru_kind = "решение" if kind == "decision" else "резолюция"
        yield self.a(instrument, kind.capitalize())
        number = f"{session_no}/{k}"
        yield from self.labels(instrument, f"{kind} {number}", f"{ru_kind} {number}")
        yield ox.Triple(instrument, self.u("identifier"), ox.Literal(f"{session_no}/{k}"))
        title = self.text(subject.capitalize(), "en")
        yield ox.Triple(instrument, self.n(DCTERMS + "title"), title)
        yield ox.Triple(instrument, self.u("adoptedAt"), session)
        yield ox.Triple(instrument, self.n(DCTERMS + "source"), para)

    def provision(self, instrument, kind, body, j, para) -> Iterator[ox.Triple]:
        provision = self.n(f"{instrument.value}/provision/{kind}-wg-{j}")
        yield self.a(provision, "Provision")
        yield from self.labels(
            provision, f"{kind} working group {j}", f"{kind}: рабочая группа {j}"
        )
        yield ox.Triple(provision, self.u("provisionOf"), instrument)
        yield ox.Triple(provision, self.u("addresses"), body)
        yield ox.Triple(provision, self.u("provisionType"), self.iri(f"id/provision-type/{kind}"))
        yield ox.Triple(provision, self.n(DCTERMS + "source"), para)

    def note(self, key, c, note, sessions, last_session, groups) -> Iterator[ox.Triple]:
        yield self.a(note, "Note")
        yield from self.labels(
            note,
            f"note on the subsidiary bodies of Conference {c}",
            f"записка о вспомогательных органах конференции {c}",
        )
        yield ox.Triple(
            note,
            self.n(DCTERMS + "issued"),
            self.typed(date(FIRST_YEAR + 2 * sessions + 20, 7, 4), "date"),
        )
        yield ox.Triple(note, self.u("submittedTo"), last_session)
        yield ox.Triple(note, self.n(DCTERMS + "source"), self.n(f"{note.value}#para-1"))
        for n in range(1, groups + 2):
            para = self.n(f"{note.value}#para-{n}")
            yield self.a(para, "Paragraph")
            yield ox.Triple(para, self.n(DCTERMS + "isPartOf"), note)
            yield ox.Triple(para, self.u("ordinal"), self.typed(n, "positiveInteger"))
            yield ox.Triple(
                para,
                self.n(RDF + "value"),
                self.text(f"Синтетический пункт {n} записки {c}.", "ru"),
            )
            yield from self.labels(para, f"paragraph {n}", f"пункт {n}")

    def dates(self, s, start: date, end: date) -> Iterator[ox.Triple]:
        yield ox.Triple(s, self.n(SCHEMA + "startDate"), self.typed(start.isoformat(), "date"))
        yield ox.Triple(s, self.n(SCHEMA + "endDate"), self.typed(end.isoformat(), "date"))

    def place(self) -> ox.NamedNode:
        return self.iri(f"id/place/synth-{self.rng.choice(PLACES)[0]}")


def serialize(base_iri: str, params: SynthParams, rdf_format: Format) -> tuple[bytes, int]:
    """The synthetic graph in `rdf_format`, and how many triples it has."""
    quads = synthesize_quads(base_iri, params)
    if rdf_format.holds_graphs:
        data = ox.serialize(quads, format=rdf_format.rdf, prefixes=PREFIXES)
    else:
        data = ox.serialize([q.triple for q in quads], format=rdf_format.rdf, prefixes=PREFIXES)
    return data or b"", len(quads)
