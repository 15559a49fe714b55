"""What a language module provides: the words and phrases the extractor looks for."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Language:
    code: str
    ordinal: Callable[[str], int | None]  # "тринадцатое" -> 13, unknown form -> None
    months: dict[str, int]
    date: re.Pattern  # groups d1, m1 (optional), d2 (optional), m2, y
    instrument: re.Pattern  # groups kind, s, k
    instrument_kind: Callable[[str], str]  # "решением" -> "decision"
    title: re.Pattern  # a quoted title right after an instrument reference
    meeting: re.Pattern  # groups ord (and tens); an ordinal before the word "meeting"
    session: re.Pattern  # group ord; an ordinal before the word "session"
    agenda_items: re.Pattern  # group items: "2, 4 и 5"
    respectively: re.Pattern
    provision_cues: dict[str, list[re.Pattern]]  # type -> every pattern must match
    places: dict[str, re.Pattern]
    treaties: dict[str, re.Pattern]
    bodies: dict[str, list[str]]  # known bodies: key -> names (nominative)
    working_group: re.Pattern  # a working group named in a section heading, group name
    conference: re.Pattern
    stem: Callable[[str], str]
    part_labels: dict[str, str] = field(default_factory=dict)  # kind -> "пункт {n}"
    interim: re.Pattern | None = None  # "временная", "interim": a body established as interim

    def parse_date_range(self, match: re.Match) -> tuple[dt.date, dt.date]:
        """('2 и 3 октября 2023 года') -> (2023-10-02, 2023-10-03); ValueError if impossible."""
        year = int(match.group("y"))
        end_month = self.months[match.group("m2").lower()]
        start_month = self.months[match.group("m1").lower()] if match.group("m1") else end_month
        d1 = int(match.group("d1"))
        d2 = int(match.group("d2")) if match.group("d2") else None
        if d2 is None:
            day = dt.date(year, end_month, d1)
            return day, day
        start_year = year - 1 if start_month > end_month else year
        return dt.date(start_year, start_month, d1), dt.date(year, end_month, d2)


def date_pattern(months: dict[str, int], joiners: str, tail: str = "") -> re.Pattern:
    names = "|".join(sorted(months, key=len, reverse=True))
    return re.compile(
        rf"(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{names}))?"
        rf"(?:\s*(?:{joiners})\s*(?P<d2>\d{{1,2}}))?"
        rf"\s+(?P<m2>{names})\s+(?P<y>\d{{4}}){tail}",
        re.I,
    )


def tokens(text: str, stem: Callable[[str], str]) -> list[str]:
    return [stem(w) for w in re.findall(r"[^\W_]+", text.lower())]
