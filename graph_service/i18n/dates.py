"""Dates and date ranges as each language writes them, from CLDR through Babel.

`2023-10-02` becomes "2 October 2023", "2 октября 2023 г.", "2023年10月2日"; a meeting from
the 2nd to the 3rd becomes "2–3 October 2023" (CLDR's interval formats say what the two ends
share only once). The ISO form stays in `<time datetime>`; this is only what people read.
"""

from __future__ import annotations

import re
from datetime import date

from babel import Locale
from babel.dates import format_date as _babel_format_date

from graph_service.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

# The CLDR locale whose dates each page language uses. English is CLDR's "world English"
# (en_001): day month year, as UN documents write it, not the United States' month first.
DATE_LOCALES = {"en": "en_001"}

_PLAIN_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# Interval patterns name the fields the ends may differ in, largest first (era, year,
# month, day); the first one that differs picks the pattern.
_FIELDS = ("G", "y", "M", "d")


def locale_for_dates(lang: str) -> Locale:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return Locale.parse(DATE_LOCALES.get(lang, lang))


def parse_date(iso: str) -> date | None:
    """The date of a plain `YYYY-MM-DD` (an xsd:date may carry a time zone), else None."""
    match = _PLAIN_DATE.match((iso or "").strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def format_date(iso: str, lang: str) -> str:
    """`2023-10-02` in CLDR's long format for `lang`: en "2 October 2023",
    ru "2 октября 2023 г.", zh "2023年10月2日". Anything else is returned as it is."""
    day = parse_date(iso)
    if day is None:
        return iso
    return _babel_format_date(day, "long", locale=locale_for_dates(lang))


def format_date_range(start: str, end: str, lang: str) -> str:
    """A range with what the ends share said once, by CLDR's interval formats:
    "2–3 October 2023", "30 September – 3 October 2023", "2023年10月2日 – 3日"."""
    first, last = parse_date(start), parse_date(end)
    locale = locale_for_dates(lang)
    if first is None or last is None or first == last:
        if start and end and start != end:
            fallback = locale.interval_formats[None]  # "{0} – {1}"
            return fallback.format(format_date(start, lang), format_date(end, lang))
        return format_date(start or end, lang)
    patterns = _interval_patterns(locale)
    for field in _FIELDS:
        if field in patterns and _babel_format_date(first, field, locale=locale) != (
            _babel_format_date(last, field, locale=locale)
        ):
            head, tail = patterns[field]
            return _babel_format_date(first, head, locale=locale) + _babel_format_date(
                last, tail, locale=locale
            )
    return format_date(start, lang)


def _interval_patterns(locale: Locale) -> dict[str, list[str]]:
    """CLDR's interval patterns for a day, month and year, with the month as wide as in the
    locale's long date format. Most locales have them only with abbreviated months (yMMMd);
    like ICU, we widen the month field to the one asked for rather than mix "2 Oct" in a
    range with "2 October" in a single date. Chinese writes the month as a number in both."""
    formats = locale.interval_formats
    if "yMMMMd" in formats:
        return dict(formats["yMMMMd"])
    patterns = dict(formats["yMMMd"])
    if "MMMM" not in locale.date_formats["long"].pattern:
        return patterns
    return {field: [_widen_month(p) for p in pair] for field, pair in patterns.items()}


def _widen_month(pattern: str) -> str:
    """`d MMM y` -> `d MMMM y`, leaving quoted literals ('de') alone."""
    pieces = re.split(r"('[^']*')", pattern)
    return "".join(
        piece if piece.startswith("'") else re.sub(r"(?<!M)MMM(?!M)", "MMMM", piece)
        for piece in pieces
    )
