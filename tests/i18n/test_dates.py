"""Dates and ranges in the six languages, from CLDR through Babel. The expectations are
CLDR's own (thin spaces around a dash between two full dates, Russian "г." after a narrow
no-break space, an em dash in Russian ranges, Egyptian month names in Arabic)."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date as babel_format_date
from babel.dates import format_interval

from graph_service import i18n
from graph_service.i18n.dates import locale_for_dates, parse_date

THIN = "\u2009"  # CLDR puts thin spaces around the dash between two full dates
NNBSP = "\u202f"  # and a narrow no-break space before the Russian "г."


@pytest.mark.parametrize(
    "lang, single, same_month, across_months, across_years",
    [
        (
            "en",
            "2 October 2023",
            "2–3 October 2023",
            f"30 September{THIN}–{THIN}3 October 2023",
            f"30 December 2023{THIN}–{THIN}2 January 2024",
        ),
        (
            "fr",
            "2 octobre 2023",
            "2–3 octobre 2023",
            f"30 septembre{THIN}–{THIN}3 octobre 2023",
            f"30 décembre 2023{THIN}–{THIN}2 janvier 2024",
        ),
        (
            "es",
            "2 de octubre de 2023",
            "2–3 de octubre de 2023",
            f"30 de septiembre{THIN}–{THIN}3 de octubre de 2023",
            f"30 de diciembre de 2023{THIN}–{THIN}2 de enero de 2024",
        ),
        (
            "ru",
            f"2 октября 2023{NNBSP}г.",
            f"2—3 октября 2023{NNBSP}г.",
            f"30 сентября — 3 октября 2023{NNBSP}г.",
            f"30 декабря 2023{NNBSP}г. — 2 января 2024{NNBSP}г.",
        ),
        (
            "ar",
            "2 أكتوبر 2023",
            "2–3 أكتوبر 2023",
            "30 سبتمبر – 3 أكتوبر 2023",
            "30 ديسمبر 2023 – 2 يناير 2024",
        ),
        (
            "zh",
            "2023年10月2日",
            f"2023年10月2日{THIN}–{THIN}3日",
            f"2023年9月30日{THIN}–{THIN}10月3日",
            f"2023年12月30日{THIN}–{THIN}2024年1月2日",
        ),
    ],
)
def test_dates_and_ranges_in_each_language(lang, single, same_month, across_months, across_years):
    assert i18n.format_date("2023-10-02", lang) == single
    assert i18n.format_date_range("2023-10-02", "2023-10-02", lang) == single
    assert i18n.format_date_range("2023-10-02", "2023-10-03", lang) == same_month
    assert i18n.format_date_range("2023-09-30", "2023-10-03", lang) == across_months
    assert i18n.format_date_range("2023-12-30", "2024-01-02", lang) == across_years


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "14–18 October 2024"),
        ("fr", "14–18 octobre 2024"),
        ("es", "14–18 de octubre de 2024"),
        ("ru", f"14—18 октября 2024{NNBSP}г."),
        ("ar", "14–18 أكتوبر 2024"),
        ("zh", f"2024年10月14日{THIN}–{THIN}18日"),
    ],
)
def test_a_week_long_meeting_is_one_collapsed_range(lang, expected):
    assert i18n.format_date_range("2024-10-14", "2024-10-18", lang) == expected


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_single_dates_are_cldr_long_dates_and_ranges_say_the_month_in_full(lang):
    """The single date is CLDR's long format; a range uses CLDR's interval pattern with the
    month as wide as the long format has it (CLDR has most ranges only with "Oct")."""
    locale = locale_for_dates(lang)
    assert i18n.format_date("2023-10-02", lang) == babel_format_date(
        date(2023, 10, 2), "long", locale=locale
    )
    full_month = babel_format_date(date(2023, 10, 2), "MMMM", locale=locale)
    in_range = i18n.format_date_range("2023-09-30", "2023-10-03", lang)
    if "MMMM" in locale.date_formats["long"].pattern:
        assert full_month in in_range
    else:  # Chinese: the month is a number, as in Babel's own interval
        assert in_range == format_interval(
            date(2023, 9, 30), date(2023, 10, 3), "yMMMd", locale=locale
        )


def test_english_dates_are_day_month_year_as_the_un_writes_them():
    assert str(locale_for_dates("en")) == "en_001"
    assert i18n.format_date("2024-07-08", "en") == "8 July 2024"


def test_what_is_not_a_plain_date_is_shown_as_it_is():
    assert i18n.format_date("2023-10-02Z", "en") == "2 October 2023"  # xsd:date with a zone
    for raw in ("2023", "2023-10", "2023-13-01", "2023-02-30", "yesterday", ""):
        assert parse_date(raw) is None
        assert i18n.format_date(raw, "ru") == raw
    assert i18n.format_date_range("2023-10-02", "", "en") == "2 October 2023"
    assert i18n.format_date_range("", "2023-10-03", "en") == "3 October 2023"
    assert i18n.format_date_range("", "", "en") == ""
    # an end that is not a date: both ends with CLDR's fallback pattern between them
    assert (
        i18n.format_date_range("2023-10-02", "2023-10", "ru")
        == f"2 октября 2023{NNBSP}г. — 2023-10"
    )


def test_an_unknown_language_gets_english_dates():
    assert i18n.format_date("2023-10-02", "xx") == "2 October 2023"
    assert i18n.format_date_range("2023-10-02", "2023-10-03", "xx") == "2–3 October 2023"


def test_first_day_of_the_month_is_a_plain_number_in_cldr_french():
    # The former hand-written rule wrote "1er"; CLDR's French long format does not.
    assert i18n.format_date("2023-10-01", "fr") == "1 octobre 2023"
    assert i18n.format_date_range("2023-10-01", "2023-10-04", "fr") == "1–4 octobre 2023"
