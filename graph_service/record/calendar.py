"""The calendar across bodies: the sessions of the Conference of the Parties and the meetings of
its working groups by year, meetings held jointly (`untoc:jointMeetingWith`, decision 0021)
kept together as one entry; the meetings without a known date apart."""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.record import coverage
from graph_service.record.coverage import Meeting
from graph_service.store import Store


@dataclass(frozen=True)
class Entry:
    """One meeting, or the meetings of several bodies held jointly, in date order."""

    meetings: tuple[Meeting, ...]

    @property
    def start(self) -> str:
        return min((m.start for m in self.meetings if m.start), default="")

    @property
    def end(self) -> str:
        return max((m.end or m.start for m in self.meetings if m.start), default="")

    @property
    def joint(self) -> bool:
        return len(self.meetings) > 1 or any(m.joint for m in self.meetings)


@dataclass(frozen=True)
class Year:
    year: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Calendar:
    years: tuple[Year, ...]
    undated: tuple[Entry, ...]

    def count(self) -> int:
        return sum(len(e.meetings) for y in self.years for e in y.entries) + sum(
            len(e.meetings) for e in self.undated
        )


def compute(store: Store) -> Calendar:
    return store.cache.get(("record", "calendar"), lambda: build(coverage.compute(store)))


def build(cov: coverage.Coverage) -> Calendar:
    order = {b.body: i for i, b in enumerate(cov.bodies)}  # the Conference first
    meetings = {m.iri: m for m in cov.meetings()}
    entries = [
        Entry(tuple(sorted(group, key=lambda m: (m.start or "9999", order.get(m.body, 0)))))
        for group in _joint_groups(meetings)
    ]
    entries.sort(key=lambda e: (e.start, order.get(e.meetings[0].body, 0), e.meetings[0].iri))
    years: dict[str, list[Entry]] = {}
    undated: list[Entry] = []
    for entry in entries:
        if entry.start:
            years.setdefault(entry.start[:4], []).append(entry)
        else:
            undated.append(entry)
    undated.sort(key=lambda e: (order.get(e.meetings[0].body, 0), e.meetings[0].sort_key()))
    return Calendar(
        tuple(Year(year, tuple(found)) for year, found in sorted(years.items())), tuple(undated)
    )


def _joint_groups(meetings: dict[str, Meeting]) -> list[list[Meeting]]:
    """Connected groups of `jointMeetingWith` among the meetings known."""
    parent = {iri: iri for iri in meetings}

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    for meeting in meetings.values():
        for other in meeting.joint:
            if other in parent:
                parent[root(other)] = root(meeting.iri)
    groups: dict[str, list[Meeting]] = {}
    for iri, meeting in meetings.items():
        groups.setdefault(root(iri), []).append(meeting)
    return list(groups.values())
